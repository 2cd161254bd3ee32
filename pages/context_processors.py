"""Context for every public (Jinja) page rendered with a request."""

from django.utils.functional import SimpleLazyObject

from collaboratives.models import Organisation

# (section, label, route): a link is current when the page's URL namespace or full view name
# equals its section.
NAVIGATION = (
    ("programmes", "Programmes", "programmes:list"),
    ("casestudies", "Case studies", "casestudies:list"),
    ("resources", "Resources", "resources:list"),
    ("events", "Events", "events:list"),
    ("collaboratives", "Find your collaborative", "postcodes:find"),
    ("pages:about", "About", "pages:about"),
)


def public_site(request):
    """The home collaborative (one query, only when a template asks for it)."""
    return {
        "home_organisation": SimpleLazyObject(lambda: Organisation.objects.home().first()),
        "navigation": NAVIGATION,
    }
