"""The home page and the site's plain pages (about, accessibility, privacy), plus robots.txt
and /favicon.ico."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from casestudies.models import CaseStudy
from collaboratives.models import Organisation
from events.models import Event
from programmes.models import Programme
from psc_portal.caching import keep_until
from resources.models import Resource

COVID_TOPIC = "covid-19"
FAVICON = "vendor/nhsuk-frontend/assets/images/favicon.ico"


@require_safe
def home(request):
    # Evaluated here, not in the template, so the queries are the view's to count.
    latest_case_studies = list(
        CaseStudy.objects.published().select_related("organisation").newest_first()[:3]
    )
    covid_resources = list(
        Resource.objects.published().filter(topics__slug=COVID_TOPIC).newest_first()[:3]
    )
    featured_resources = list(
        Resource.objects.published().exclude(topics__slug=COVID_TOPIC).newest_first()[:3]
    )
    next_events = list(Event.objects.published().upcoming().select_related("organisation")[:3])
    response = render(
        request,
        "pages/home.jinja",
        {
            "next_events": next_events,
            "programmes": list(Programme.objects.all()),
            "latest_case_studies": latest_case_studies,
            "covid_resources": covid_resources,
            "featured_resources": featured_resources,
            "covid_topic": COVID_TOPIC,
        },
    )
    # The next events change when one ends, which no save announces to the page cache.
    keep_until(response, min((event.end for event in next_events), default=None))
    return response


@require_safe
def about(request):
    return render(
        request,
        "pages/about.jinja",
        {"organisation_count": Organisation.objects.count()},
    )


@require_safe
def accessibility(request):
    return render(request, "pages/accessibility.jinja")


@require_safe
def privacy(request):
    return render(
        request,
        "pages/privacy.jinja",
        {"contact_retention_days": settings.CONTACT_RETENTION_DAYS},
    )


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """Browsers and tools ask for /favicon.ico whatever the pages link to: send them to the
    NHS favicon among the static files. Not permanent, as its hashed name changes."""
    return redirect(static(FAVICON))
