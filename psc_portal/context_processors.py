"""Context for every public (Jinja) page rendered with a request."""

from django.utils.functional import SimpleLazyObject

from collaboratives.models import Organisation

NAVIGATION = (
    ("programmes", "Programmes", "programmes:list"),
    ("casestudies", "Case studies", "casestudies:list"),
    ("resources", "Resources", "resources:list"),
    ("collaboratives", "Find your collaborative", "collaboratives:find"),
    ("pages", "About", "pages:about"),
)


def public_site(request):
    """The home collaborative (one query, only when a template asks for it)."""
    return {
        "home_organisation": SimpleLazyObject(lambda: Organisation.objects.home().first()),
        "navigation": NAVIGATION,
    }
