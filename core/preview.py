"""Staff previews: an unpublished item shown in the public design, with a banner.

The public detail view is called as it is, given the admin's scoped queryset in place of
``published()`` and ``is_preview=True``; the site layout draws the banner from that flag.
"""

from django.http import Http404
from django.views.generic import DetailView


class PublicDetailView(DetailView):
    """A published item's public page; a staff preview passes its own queryset."""

    is_preview = False

    def get_queryset(self):
        if self.queryset is not None:
            return self.queryset.all()
        return self.model._default_manager.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = self.is_preview
        return context


def preview(model_admin):
    """The admin view that shows an item in the public design, whatever its status.

    The item is looked up through the admin's scoped queryset, so staff of another
    collaborative get a 404.
    """
    model = model_admin.model

    def view(request, object_id):
        scoped = model_admin.get_queryset(request)
        obj = scoped.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404(f"No {model._meta.verbose_name} with that number that you can see.")
        public_view = model_admin.preview_view.as_view(queryset=scoped, is_preview=True)
        response = public_view(request, slug=obj.slug)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    return view
