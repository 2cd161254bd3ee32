"""Public resource library pages: the finder and one resource."""

from core.finders import FinderView
from core.preview import PublicDetailView
from resources.filters import ResourceFilter
from resources.models import Resource


class ResourceListView(FinderView):
    model = Resource
    filterset_class = ResourceFilter
    template_name = "resources/resource_list.jinja"
    noun_plural = "resources"

    def list_select_related(self):
        return ("organisation",)


class ResourceDetailView(PublicDetailView):
    """One published resource; staff previews call it with their own queryset."""

    model = Resource
    template_name = "resources/resource_detail.jinja"
    context_object_name = "resource"

    def get_object(self, queryset=None):
        queryset = (queryset if queryset is not None else self.get_queryset()).select_related(
            "organisation"
        )
        queryset = queryset.prefetch_related("programmes", "topics", "care_settings")
        return super().get_object(queryset)
