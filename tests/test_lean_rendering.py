"""Header, footer and finder facets are rendered once per distinct data, then reused, and the
reused HTML is exactly what the official NHS.UK macros produce."""

from html.parser import HTMLParser

import pytest
from django.core.cache import caches
from django.template import engines

from core import jinja2 as portal_jinja
from programmes.models import CareSetting
from tests.test_query_counts_finders import make_case_studies, make_resources

pytestmark = pytest.mark.django_db

PAGES = [
    "/case-studies/",
    "/case-studies/?programme=medicines-safety&year=2021",
    "/resources/?q=opioids",
    "/",
    "/programmes/",
]


def macro_only(*parts, caller):
    return caller()


@pytest.fixture
def content(settings):
    make_case_studies(3)
    make_resources(3)


def test_reused_fragments_are_identical_to_the_macros_output(client, content, monkeypatch):
    portal_jinja._fragments.clear()
    reused = {}
    for url in PAGES:
        client.get(url + ("&" if "?" in url else "?") + "fill=1")  # fills the fragments
        reused[url] = client.get(url).content.decode()
    assert portal_jinja._fragments, "no fragment was kept"
    monkeypatch.setitem(engines["jinja2"].env.globals, "fragment", macro_only)
    portal_jinja._fragments.clear()
    caches["pages"].clear()
    for url in PAGES:
        assert client.get(url).content.decode() == reused[url], url
    assert not portal_jinja._fragments


def test_a_fragment_is_rendered_once_per_distinct_data():
    calls = []

    def body():
        calls.append(1)
        return "<p>rendered</p>"

    portal_jinja._fragments.clear()
    first = portal_jinja.fragment("x", {"items": [1, 2]}, caller=body)
    again = portal_jinja.fragment("x", {"items": [1, 2]}, caller=body)
    other = portal_jinja.fragment("x", {"items": [1, 3]}, caller=body)
    assert first == again == other == "<p>rendered</p>"
    assert len(calls) == 2


def test_the_facet_checkboxes_match_the_official_macro_for_the_same_options(client, content):
    portal_jinja._fragments.clear()
    client.get("/case-studies/?warm=1")
    html = client.get("/case-studies/").content.decode()
    setting = CareSetting.objects.get(slug="care-homes").name
    expected = (
        engines["jinja2"]
        .from_string(
            '{% from "nhsuk/components/checkboxes/macro.jinja" import checkboxes %}'
            "{{ checkboxes(params) }}"
        )
        .render(
            {
                "params": {
                    "idPrefix": "finder-setting",
                    "name": "setting",
                    "classes": "nhsuk-checkboxes--small",
                    "fieldset": {
                        "legend": {"text": "Care setting", "classes": "nhsuk-fieldset__legend--s"}
                    },
                    "items": [
                        {
                            "value": "care-homes",
                            "html": portal_jinja.mark_safe(
                                f'{setting} <span class="app-facet-count">(3<span '
                                'class="nhsuk-u-visually-hidden"> case studies</span>)</span>'
                            ),
                            "checked": False,
                        }
                    ],
                }
            }
        )
    )
    assert " ".join(expected.split()) in " ".join(html.split())


class Tokens(HTMLParser):
    """An HTML document as tags, attributes and text, whitespace between tags ignored."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tokens = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("start", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        if data.strip():
            self.tokens.append(("text", " ".join(data.split())))


@pytest.mark.parametrize(
    ("title", "href", "description", "meta", "level"),
    [
        ('Falls & "fractures" <b>', "/case-studies/a/?x=1&y=2", "Less harm & more", ["W", ""], 3),
        ("Sepsis", "/resources/sepsis/", "", [], 2),
        ("Sepsis", "/resources/sepsis/", "", [None], 2),
        ("Hydration", "/case-studies/hydration/", "Drinks rounds.", ["Wessex", "2021"], 3),
    ],
)
def test_the_written_out_card_is_the_official_card(title, href, description, meta, level):
    template = engines["jinja2"].from_string(
        '{% from "includes/listing.jinja" import content_card, official_content_card %}'
        "{{ content_card(*args) }}|{{ official_content_card(*args) }}"
    )
    ours, official = template.render({"args": [title, href, description, meta, level]}).split("|")
    assert Tokens(ours).tokens == Tokens(official).tokens
    assert "nhsuk-card__link" in ours
