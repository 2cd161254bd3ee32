"""Site-wide guard: what the public must never see.

Every public page is rendered with the reference data and the demo content loaded, and its
visible text is checked for build notes: the domain brief's confidence tags ([S], [M]),
mentions of the brief itself, "from memory", placeholders (TODO, lorem ipsum) and "not stated
in the brief". A fact we could not verify says "not yet confirmed" instead, or is left out.
"""

import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.http import urlencode

from casestudies.models import CaseStudy
from collaboratives.models import Organisation
from programmes.models import Programme
from resources.models import Resource

pytestmark = pytest.mark.django_db

INTERNAL_MARKERS = re.compile(
    r"\[S\]|\[M\]|\[S[:\-]|\bTODO\b|domain brief|from memory|lorem|not stated in the brief",
    re.IGNORECASE,
)
# Attributes whose text a reader or a search engine sees.
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "content", "placeholder", "value"}


class _VisibleText(HTMLParser):
    """Text nodes and visible attributes; comments and script or style code are skipped.

    JSON-LD is kept: search engines show it.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._skip = tag in {"script", "style"} and attributes.get("type") != (
            "application/ld+json"
        )
        self.parts.extend(
            value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value is not None
        )

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def internal_markers(html: str) -> list[str]:
    """Each marker found, with a little of the text around it."""
    text = visible_text(html)
    return [
        text[max(match.start() - 40, 0) : match.end() + 40]
        for match in INTERNAL_MARKERS.finditer(text)
    ]


def every_public_path() -> list[str]:
    fixed = [
        reverse(name)
        for name in (
            "pages:home",
            "pages:about",
            "pages:accessibility",
            "pages:privacy",
            "programmes:list",
            "casestudies:list",
            "resources:list",
            "collaboratives:list",
            "postcodes:find",
            "search:results",
        )
    ]
    queries = [
        f"{reverse('postcodes:find')}?{urlencode({'q': q})}"
        for q in ("SO16 6YD", "Oxford", "Frimley", "Dorset")
    ] + [
        f"{reverse('search:results')}?{urlencode({'q': q})}"
        for q in ("oximetry", "SO16 6YD", "restrictive practice", "Oxford")
    ]
    programmes = list(Programme.objects.all())
    # Workstreams and their targets are shown on their programme's page and in the finders.
    filtered = [
        f"{reverse(route)}?programme={programme.slug}"
        for programme in programmes
        for route in ("casestudies:list", "resources:list")
    ]
    details = [
        item.get_absolute_url()
        for item in [
            *programmes,
            *CaseStudy.objects.published(),
            *Resource.objects.published(),
            *Organisation.objects.all(),
        ]
    ]
    return fixed + queries + filtered + details


@pytest.fixture
def site_data():
    call_command("load_reference_data", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_no_public_page_shows_internal_build_notes(client, site_data):
    paths = every_public_path()
    assert len(paths) > 60  # the data was loaded: 5 programmes, 15 collaboratives...

    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        markers = internal_markers(response.content.decode())
        if markers:
            found[path] = markers

    assert not found, found


def test_the_guard_catches_a_tag_left_in_data(client, site_data):
    programme = Programme.objects.get(slug="medicines-safety")
    measure = programme.measures.first()
    measure.source = "National programmes (domain brief §2 [S])"
    measure.save()

    html = client.get(programme.get_absolute_url()).content.decode()

    assert len(internal_markers(html)) == 2


def test_the_guard_ignores_comments_and_script_code():
    html = "<!-- TODO: tidy --><p>Safe text</p><script>var s = '[S]';</script>"

    assert internal_markers(html) == []


def test_a_case_study_shows_lists_as_lists_not_dashes_in_a_paragraph(client, site_data):
    for case_study in CaseStudy.objects.published():
        html = client.get(case_study.get_absolute_url()).content.decode()
        paragraphs = re.findall(r"<p\b[^>]*>(.*?)</p>", html, re.S)
        lines = [line.strip() for p in paragraphs for line in re.split(r"<br\s*/?>|\n", p)]

        assert not [line for line in lines if line.startswith("- ")], case_study.slug

    restore = CaseStudy.objects.get(slug="wessex-restore2mini-adaptations")
    html = client.get(restore.get_absolute_url()).content.decode()
    assert "<li>prison healthcare</li>" in html
