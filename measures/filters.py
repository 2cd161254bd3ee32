"""Filters for lists of published measures (the open-data API): programme and organisation,
by slug, any number of each. An unknown slug is an error, not an empty list."""

from django_filters import FilterSet

from collaboratives.models import Organisation
from core.finders import VocabularyFilter
from measures.models import Measure
from programmes.models import Programme


class MeasureFilter(FilterSet):
    programme = VocabularyFilter(
        vocabulary=Programme, relation="programmes", noun="programme", label="Programme"
    )
    organisation = VocabularyFilter(
        vocabulary=Organisation,
        relation="organisation",
        noun="organisation",
        label="Organisation",
    )

    class Meta:
        model = Measure
        fields = ["programme", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for facet in (self.filters["programme"], self.filters["organisation"]):
            facet.prepare()
