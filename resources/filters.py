"""The resource library's filters: search words, kind, programme, topic and care setting
(slugs in the URL), and the sort order."""

from core.finders import ChoiceFacetFilter, FinderFilterSet, VocabularyFilter
from programmes.models import CareSetting, Programme
from resources.models import Resource, ResourceKind, Topic


class ResourceFilter(FinderFilterSet):
    kind = ChoiceFacetFilter(
        field_name="kind", choices=ResourceKind.choices, noun="kind of resource", label="Type"
    )
    programme = VocabularyFilter(
        vocabulary=Programme, relation="programmes", noun="programme", label="Programme"
    )
    topic = VocabularyFilter(vocabulary=Topic, relation="topics", noun="topic", label="Topic")
    setting = VocabularyFilter(
        vocabulary=CareSetting, relation="care_settings", noun="care setting", label="Care setting"
    )

    text_fields = ("title", "summary", "description")

    class Meta:
        model = Resource
        fields = ["q", "kind", "programme", "topic", "setting", "sort"]
