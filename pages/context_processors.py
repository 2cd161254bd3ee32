"""Context for every public (Jinja) page rendered with a request."""

from django.core.cache import caches

from collaboratives.models import Organisation
from psc_portal.caching import PAGES_CACHE, request_generation

HOME_CACHE_SECONDS = 300

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


def home_organisation(request):
    """The home collaborative, kept under the content generation (a rename shows at once)."""
    store = caches[PAGES_CACHE]
    key = f"home-organisation:{request_generation(request)}"
    found = store.get(key, default=False)
    if found is False:
        found = Organisation.objects.home().first()
        store.set(key, found, HOME_CACHE_SECONDS)
    return found


def public_site(request):
    """The home collaborative (kept in the page memory) and the main navigation: read here,
    before the template renders, like every other query of a public page."""
    return {"home_organisation": home_organisation(request), "navigation": NAVIGATION}
