"""Public resource library pages: the finder and one resource."""

from django.views.generic import DetailView

from psc_portal.finders import FinderView
from resources.filters import ResourceFilter
from resources.models import Resource


class ResourceListView(FinderView):
    model = Resource
    filterset_class = ResourceFilter
    template_name = "resources/resource_list.jinja"
    noun_plural = "resources"

    def list_select_related(self):
        return ("organisation",)


class ResourceDetailView(DetailView):
    """One resource. Staff previews reuse this view with ``get_queryset`` overridden."""

    model = Resource
    template_name = "resources/resource_detail.jinja"
    context_object_name = "resource"

    def get_queryset(self):
        """What this view may show: the public sees published resources only."""
        return Resource.objects.published()

    def get_object(self, queryset=None):
        queryset = (queryset if queryset is not None else self.get_queryset()).select_related(
            "organisation"
        )
        queryset = queryset.prefetch_related("programmes", "topics", "care_settings")
        return super().get_object(queryset)
