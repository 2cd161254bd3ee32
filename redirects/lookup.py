"""Where an address that found no page should go: the redirect table, then the former names
and acronyms of the collaboratives."""

from django.urls import NoReverseMatch, reverse
from django.utils.text import slugify

from collaboratives.models import Organisation
from redirects.models import Redirect

SLUG_PLACEHOLDER = "slug-placeholder"


def _toggled_slash(path: str) -> str:
    return path[:-1] if path.endswith("/") and len(path) > 1 else f"{path}/"


def from_table(path: str) -> str | None:
    rows = dict(
        Redirect.objects.filter(old_path__in=[path, _toggled_slash(path)]).values_list(
            "old_path", "new_path"
        )
    )
    return rows.get(path) or rows.get(_toggled_slash(path))


def organisation_old_slugs() -> dict[str, Organisation]:
    """Slugs made from each organisation's former names, acronym, name and PSC name, e.g.
    'wessex-ahsn' for Wessex; a slug that two organisations share, or that is a live slug,
    is left out."""
    organisations = list(
        Organisation.objects.only("slug", "acronym", "name", "psc_name", "former_names")
    )
    live = {organisation.slug for organisation in organisations}
    found: dict[str, Organisation | None] = {}
    for organisation in organisations:
        names = [
            *organisation.former_name_list,
            organisation.acronym,
            organisation.name,
            organisation.psc_name,
        ]
        for slug in {slugify(name) for name in names} - live - {""}:
            if slug in found and found[slug] != organisation:
                found[slug] = None  # ambiguous
            else:
                found[slug] = organisation
    return {slug: organisation for slug, organisation in found.items() if organisation}


def from_organisation_names(path: str) -> str | None:
    try:
        pattern = reverse("collaboratives:detail", kwargs={"slug": SLUG_PLACEHOLDER})
    except NoReverseMatch:
        return None
    prefix, _, suffix = pattern.partition(SLUG_PLACEHOLDER)
    wanted = path if path.endswith("/") else f"{path}/"
    if not (wanted.startswith(prefix) and wanted.endswith(suffix)):
        return None
    old_slug = wanted[len(prefix) : len(wanted) - len(suffix)].lower()
    if not old_slug or "/" in old_slug:
        return None
    organisation = organisation_old_slugs().get(old_slug)
    return organisation.get_absolute_url() if organisation else None


def find_target(path: str) -> str | None:
    return from_table(path) or from_organisation_names(path)
