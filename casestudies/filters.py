"""The case-study finder's filters: search words, programme, collaborative, care setting,
theme, year and measured impact (slugs in the URL), and the sort order."""

from django.db.models import Exists, OuterRef, Q

from casestudies.models import CaseStudy, ImpactFigure, Theme
from collaboratives.models import Organisation
from core.finders import ConditionFacetFilter, FinderFilterSet, VocabularyFilter, YearFilter
from measures.models import Measure
from programmes.models import CareSetting, Programme


def has_measured_impact() -> Q:
    """Links a published measure, or has an impact figure taken from one."""
    published = Measure.objects.published().values("pk")
    return Q(
        Exists(
            CaseStudy.measures.through.objects.filter(
                casestudy_id=OuterRef("pk"), measure_id__in=published
            )
        )
    ) | Q(
        Exists(ImpactFigure.objects.filter(case_study_id=OuterRef("pk"), measure_id__in=published))
    )


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
    impact = ConditionFacetFilter(
        value="measured",
        option_label="Has measured impact (charts over time)",
        make_condition=has_measured_impact,
        noun="kind of evidence",
        label="Evidence",
    )

    text_fields = ("title", "summary", "issue", "what_we_did", "impact", "next_steps")

    class Meta:
        model = CaseStudy
        fields = ["q", "programme", "collaborative", "setting", "theme", "year", "impact", "sort"]
