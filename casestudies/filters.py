"""The case-study finder's filters: search words, programme, collaborative, care setting,
theme and year (slugs in the URL), and the sort order."""

from casestudies.models import CaseStudy, Theme
from collaboratives.models import Organisation
from core.finders import FinderFilterSet, VocabularyFilter, YearFilter
from programmes.models import CareSetting, Programme


class CaseStudyFilter(FinderFilterSet):
    programme = VocabularyFilter(
        vocabulary=Programme, relation="programmes", noun="programme", label="Programme"
    )
    collaborative = VocabularyFilter(
        vocabulary=Organisation,
        relation="organisation",
        noun="collaborative",
        label="Collaborative",
    )
    setting = VocabularyFilter(
        vocabulary=CareSetting, relation="care_settings", noun="care setting", label="Care setting"
    )
    theme = VocabularyFilter(vocabulary=Theme, relation="themes", noun="theme", label="Theme")
    year = YearFilter(noun="year", label="Year published")

    text_fields = ("title", "summary", "issue", "what_we_did", "impact", "next_steps")

    class Meta:
        model = CaseStudy
        fields = ["q", "programme", "collaborative", "setting", "theme", "year", "sort"]
