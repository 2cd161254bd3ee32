"""Back-office views: the admin's sign-in door and staff previews of unpublished items."""

from importlib import import_module

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

PREVIEW_BANNER = (
    '<div class="nhsuk-warning-callout" data-preview-banner role="status" '
    'style="margin:16px">'
    '<h2 class="nhsuk-warning-callout__label"><span role="text">'
    '<span class="nhsuk-u-visually-hidden">Important: </span>Preview – not published'
    "</span></h2><p>This is how the page will look. The public cannot see it until a "
    "publisher publishes it.</p></div>"
)


def admin_login(request):
    """The admin's own login page is replaced by allauth's (rate limits, MFA)."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if request.user.is_staff:
            return redirect(next_url)
        raise PermissionDenied("This account has no access to the back-office.")
    return redirect_to_login(next_url, reverse("account_login"))


def _public_detail_view(model):
    """The public site's detail view class, ``<app>.views.<Model>DetailView``, if it exists."""
    try:
        module = import_module(f"{model._meta.app_label}.views")
    except ImportError:
        return None
    return getattr(module, f"{model.__name__}DetailView", None)


def preview(model_admin):
    """Build the admin view that shows an item in the public design, whatever its status.

    The item is looked up through the admin's scoped queryset, so staff of another
    collaborative get a 404. The public detail view is reused with that queryset in place of
    ``published()``; until the public site exists a plain NHS.UK-styled page stands in.
    """
    model = model_admin.model

    def view(request, object_id):
        scoped = model_admin.get_queryset(request)
        obj = scoped.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404(f"No {model._meta.verbose_name} with that number that you can see.")
        public_view = _public_detail_view(model)
        if public_view is not None:
            preview_view = type(
                f"Preview{public_view.__name__}",
                (public_view,),
                {"get_queryset": lambda self: scoped, "extra_context": {"is_preview": True}},
            )
            response = preview_view.as_view()(request, slug=obj.slug, pk=obj.pk)
            if hasattr(response, "render"):
                response.render()
            response.content = _with_banner(response.content.decode())
        else:
            response = render(
                request,
                "backoffice/preview_fallback.html",
                {"object": obj, "opts": model._meta, "banner": PREVIEW_BANNER},
            )
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

    return view


def _with_banner(html: str) -> str:
    if "data-preview-banner" in html:
        return html
    for anchor in ("<main", "<body"):
        start = html.find(anchor)
        if start != -1:
            end = html.find(">", start) + 1
            return html[:end] + PREVIEW_BANNER + html[end:]
    return PREVIEW_BANNER + html
