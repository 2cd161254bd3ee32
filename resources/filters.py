"""The resource library's filters: search words, kind, programme, topic, care setting and
measured impact (slugs in the URL), and the sort order."""

from django.db.models import Exists, OuterRef, Q

from core.finders import ChoiceFacetFilter, ConditionFacetFilter, FinderFilterSet, VocabularyFilter
from measures.models import Measure
from programmes.models import CareSetting, Programme
from resources.models import Resource, ResourceKind, Topic


def has_measured_impact() -> Q:
    """Linked to a published improvement measure."""
    return Q(
        Exists(
            Resource.measures.through.objects.filter(
                resource_id=OuterRef("pk"),
                measure_id__in=Measure.objects.published().values("pk"),
            )
        )
    )


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

    impact = ConditionFacetFilter(
        value="measured",
        option_label="Linked to measured impact (charts over time)",
        make_condition=has_measured_impact,
        noun="kind of evidence",
        label="Evidence",
    )

    text_fields = ("title", "summary", "description")

    class Meta:
        model = Resource
        fields = ["q", "kind", "programme", "topic", "setting", "impact", "sort"]
