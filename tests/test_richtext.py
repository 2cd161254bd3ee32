"""Rich text: only headings 2–4, paragraphs, lists, links, bold, italic and quotes survive."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from casestudies.models import CaseStudy
from core import roles
from core.richtext import rich_text, sanitise
from tests.factories import CaseStudyFactory, OrganisationFactory, ResourceFactory
from tests.staff import change_form_data, make_staff, sign_in

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<h2 onclick="steal()">Results</h2>'
    "<script>alert('x')</script>"
    '<p style="color:red" onmouseover="steal()">Fewer <strong>falls</strong>'
    ' <a href="javascript:alert(1)">click</a>'
    ' <a href="https://example.org/report" onclick="x()">report</a></p>'
    '<img src="x" onerror="steal()">'
    "<style>body{display:none}</style>"
    '<iframe src="https://evil.example"></iframe>'
    "<h1>Too big</h1><blockquote>Said well</blockquote><ul><li><em>one</em></li></ul>"
)


def _assert_neutralised(html: str):
    lowered = html.lower()
    for bad in ("<script", "alert(", "onclick", "onmouseover", "onerror", "javascript:", "style",
                "<img", "<iframe", "<h1"):  # fmt: skip
        assert bad not in lowered, bad


def test_the_sanitiser_keeps_the_allowed_formatting():
    clean = sanitise(HOSTILE)
    _assert_neutralised(clean)
    assert "<h2>Results</h2>" in clean
    assert "<strong>falls</strong>" in clean
    assert '<a href="https://example.org/report" rel="noopener noreferrer">report</a>' in clean
    assert "<blockquote>Said well</blockquote>" in clean
    assert "<ul><li><em>one</em></li></ul>" in clean
    assert "Too big" in clean  # the words stay; the forbidden tag goes


def test_plain_text_becomes_escaped_paragraphs():
    assert sanitise("Fish & chips\n\n<not a tag") == "<p>Fish &amp; chips</p><p>&lt;not a tag</p>"
    assert sanitise("One line\nnext line") == "<p>One line<br>next line</p>"
    assert sanitise("") == ""


def test_sanitising_twice_changes_nothing():
    once = sanitise(HOSTILE)
    assert sanitise(once) == once


def test_hostile_html_is_neutralised_when_saved_through_the_admin(client):
    organisation = OrganisationFactory()
    story = CaseStudyFactory(organisation=organisation, status="draft")
    sign_in(client, make_staff("ed@example.org", roles.EDITOR, organisation))
    url = reverse("admin:casestudies_casestudy_change", args=[story.pk])
    response = client.post(url, change_form_data(client, url, impact=HOSTILE))
    assert response.status_code == 302
    story.refresh_from_db()
    _assert_neutralised(story.impact)
    assert "<strong>falls</strong>" in story.impact


def test_every_save_sanitises_not_only_the_admin():
    story = CaseStudyFactory(what_we_did=HOSTILE, next_steps="<script>x()</script>Next")
    story.refresh_from_db()
    _assert_neutralised(story.what_we_did)
    assert story.next_steps == "<p>Next</p>" or story.next_steps == "Next"
    resource = ResourceFactory(description=HOSTILE)
    resource.refresh_from_db()
    _assert_neutralised(resource.description)


def test_display_sanitises_again_even_if_the_database_holds_bad_html(client):
    organisation = OrganisationFactory()
    story = CaseStudyFactory(organisation=organisation, status="draft")
    CaseStudy.objects.filter(pk=story.pk).update(impact=HOSTILE)  # bypasses save()
    story.refresh_from_db()
    _assert_neutralised(str(rich_text(story.impact)))
    rendered = Template("{% load backoffice %}{{ value|rich_text }}").render(
        Context({"value": story.impact})
    )
    _assert_neutralised(rendered)
    sign_in(client, make_staff("ed@example.org", roles.EDITOR, organisation))
    preview = client.get(reverse("admin:casestudies_casestudy_preview", args=[story.pk]))
    body = preview.content.decode()
    assert "<strong>falls</strong>" in body
    assert "alert(" not in body and "onclick" not in body and "javascript:" not in body


def test_the_long_fields_use_the_small_editor(client):
    organisation = OrganisationFactory()
    sign_in(client, make_staff("ed@example.org", roles.EDITOR, organisation))
    page = client.get(reverse("admin:casestudies_casestudy_add")).content.decode()
    assert "backoffice/richtext.js" in page
    for field in ("issue", "what_we_did", "impact", "next_steps"):
        assert f'name="{field}"' in page
    assert page.count("data-rich-text") >= 4
    assert 'name="summary"' in page
