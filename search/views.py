"""One search across programmes, case studies, resources and collaboratives."""

from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy
from collaboratives import lookup
from collaboratives.models import Organisation, normalise_postcode
from core import search
from core.finders import COUNT_CAP, format_count
from core.nulbytes import validates_nul
from programmes.models import Programme
from resources.filters import ResourceFilter
from resources.models import Resource

PER_GROUP = 5
# The best few are chosen among the newest this many matches: ranking reads each candidate's
# search_vector, so it is kept small here (the finders rank their whole listed 1,000).
RANKED = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search this site",
        required=False,
        max_length=search.MAX_QUERY_LENGTH,
        error_messages={
            "max_length": "Search words must be %(limit_value)d characters or fewer "
            "(you entered %(show_value)d)."
        },
    )


@dataclass
class Group:
    key: str
    title: str
    singular: str
    plural: str
    items: list
    count: int
    see_all_url: str | None = None

    @property
    def count_display(self) -> str:
        return format_count(self.count)


def _content_group(key, title, singular, plural, model, filterset_class, list_route, text):
    """The best few published matches and how many there are (capped like the finders)."""
    # Words in a large share of many items (the planner estimates well over COUNT_CAP matches):
    # reading the newest RANKED of them is enough; once that many are found, the count is
    # shown as "1,000+" without testing a thousand more rows.
    everywhere = search.uses_postgres() and search.walk_is_cheaper(model, text)
    ids, capped = search.newest_match_ids(
        model.objects.published(),
        text,
        filterset_class.text_fields,
        RANKED if everywhere else COUNT_CAP,
    )
    listed = model.objects.select_related("organisation").defer("search_vector")
    items = list(search.ranked(listed, ids[:RANKED], text)[:PER_GROUP]) if ids else []
    count = COUNT_CAP + 1 if everywhere and capped else len(ids) + capped
    see_all = f"{reverse(list_route)}?{urlencode({'q': text})}" if count > PER_GROUP else None
    return Group(key, title, singular, plural, items, count, see_all)


def postcode_in(text: str) -> str:
    """The postcode or district a search is for ("SO16 6YD", "SO16"), or empty: such a search
    is most likely someone looking for their collaborative."""
    text = text.strip()
    if lookup.looks_like_postcode(text) and lookup.is_postcode_shaped(text):
        return normalise_postcode(text)
    return ""


@validates_nul
def results(request):
    form = SearchForm(request.GET)
    text, groups, status = "", [], 200
    if not form.is_valid():
        status = 400
    else:
        text = search.clean_query(form.cleaned_data["q"])
    if text:
        programmes = list(
            search.simple_search(
                Programme.objects.all(), text, ("name", "short_name", "summary", "aims")
            )
        )
        collaboratives = list(
            search.simple_search(
                Organisation.objects.all(),
                text,
                ("name", "acronym", "former_names", "psc_name", "territory"),
            )
        )
        groups = [
            Group(
                "programmes", "Programmes", "programme", "programmes", programmes, len(programmes)
            ),
            _content_group(
                "case-studies",
                "Case studies",
                "case study",
                "case studies",
                CaseStudy,
                CaseStudyFilter,
                "casestudies:list",
                text,
            ),
            _content_group(
                "resources",
                "Resources",
                "resource",
                "resources",
                Resource,
                ResourceFilter,
                "resources:list",
                text,
            ),
            Group(
                "collaboratives",
                "Collaboratives",
                "collaborative",
                "collaboratives",
                collaboratives,
                len(collaboratives),
            ),
        ]
    postcode = postcode_in(text)
    context = {
        "form": form,
        "text": text,
        "postcode": postcode,
        "find_url": (
            f"{reverse('postcodes:find')}?{urlencode({'q': postcode})}" if postcode else ""
        ),
        "groups": groups,
        "total": sum(group.count for group in groups),
        "errors": form.errors.get("q", []),
    }
    return render(request, "search/results.jinja", context, status=status)
