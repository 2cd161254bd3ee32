"""Templates only display: every query a public page needs runs in its view, before rendering.

A query inside a template is invisible to the view's prefetching and query-count tests, and it
runs once per loop iteration when it sits in a loop."""

import pytest
from django.db import connection
from django.template.backends import jinja2 as jinja2_backend
from django.test.utils import CaptureQueriesContext

from tests.public_site import make_public_content, public_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def template_queries(monkeypatch):
    """The SQL run while each Jinja template renders (after the view and the context
    processors have built its context), by template name."""
    seen: dict[str, list[str]] = {}
    render = jinja2_backend.Template.render

    def counting_render(self, context=None, request=None):
        template = self.template
        jinja_render = template.render

        def measured(*args, **kwargs):
            with CaptureQueriesContext(connection) as captured:
                html = jinja_render(*args, **kwargs)
            queries = [query["sql"] for query in captured.captured_queries]
            seen.setdefault(template.name, []).extend(queries)
            return html

        template.render = measured
        try:
            return render(self, context, request)
        finally:
            del template.render

    monkeypatch.setattr(jinja2_backend.Template, "render", counting_render)
    return seen


def test_no_public_page_queries_the_database_while_rendering(client, settings, template_queries):
    settings.PAGE_CACHE_SECONDS = 0  # every page rendered, with cold caches
    content = make_public_content()
    urls = public_urls(content) + [
        "/search/?q=deterioration",
        "/case-studies/?q=deterioration",
        "/collaboratives/find/?q=SO16+6YD",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    assert template_queries, "no Jinja template rendered"
    offenders = {name: sqls for name, sqls in template_queries.items() if sqls}
    assert not offenders
