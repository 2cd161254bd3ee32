from django import forms
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from collaboratives import lookup
from collaboratives.models import ContactDetail, Coverage, CoverageKind, Organisation

RELATED_LIMIT = 6
QUERY_MAX_LENGTH = 100


def contact_prefetch():
    return Prefetch(
        "contact_details",
        queryset=ContactDetail.objects.filter(is_current=True).order_by("kind", "order", "pk"),
        to_attr="current_contacts",
    )


class OrganisationListView(ListView):
    template_name = "collaboratives/organisation_list.jinja"
    context_object_name = "organisations"

    def get_queryset(self):
        # Ordered by the collaborative's name, the name the directory shows first.
        return Organisation.objects.order_by("psc_name").prefetch_related(contact_prefetch())


class OrganisationDetailView(DetailView):
    template_name = "collaboratives/organisation_detail.jinja"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.prefetch_related(
            contact_prefetch(),
            Prefetch(
                "contact_details",
                queryset=ContactDetail.objects.filter(is_current=False),
                to_attr="former_contacts",
            ),
            Prefetch(
                "coverage",
                queryset=Coverage.objects.filter(kind=CoverageKind.ICS).order_by("value"),
                to_attr="systems",
            ),
        )

    def get_context_data(self, **kwargs):
        organisation = self.object
        # The content apps sit above this one: reached through their reverse relations.
        case_studies = list(
            organisation.case_studies.published().newest_first()[: RELATED_LIMIT + 1]
        )
        resources = list(organisation.resources.published().newest_first()[: RELATED_LIMIT + 1])
        return super().get_context_data(
            case_studies=case_studies[:RELATED_LIMIT],
            more_case_studies=len(case_studies) > RELATED_LIMIT,
            resources=resources[:RELATED_LIMIT],
            more_resources=len(resources) > RELATED_LIMIT,
            **kwargs,
        )


class FindForm(forms.Form):
    q = forms.CharField(
        max_length=QUERY_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter a postcode, town, county or integrated care system",
            "max_length": f"Postcode or place must be {QUERY_MAX_LENGTH} characters or fewer",
        },
    )


@require_safe
def find(request):
    """Find your collaborative by postcode, place or organisation name (GET, no cookies)."""
    context = {"form": None, "query": "", "result": None, "error": None, "suggestions": []}
    status = 200
    if "q" in request.GET:
        form = FindForm(request.GET)
        context["form"] = form
        context["query"] = request.GET.get("q", "")[:QUERY_MAX_LENGTH]
        if not form.is_valid():
            context["error"] = form.errors["q"][0]
            if len(request.GET.get("q", "")) > QUERY_MAX_LENGTH:
                status = 400
        else:
            query = form.cleaned_data["q"]
            result = lookup.find(query)
            if result:
                ids = [organisation.pk for organisation in result.organisations]
                organisations = Organisation.objects.filter(pk__in=ids).prefetch_related(
                    contact_prefetch()
                )
                context["result"] = result
                context["organisations"] = list(organisations)
            elif lookup.looks_like_postcode(query) and not lookup.is_postcode_shaped(query):
                context["error"] = (
                    f"‘{query}’ is not a postcode we recognise. Enter a full postcode, like "
                    "SO16 6YD, or the first part of one, like SO16"
                )
            elif lookup.looks_like_postcode(query):
                context["error"] = (
                    f"We could not find a collaborative for ‘{query}’. Check the postcode is "
                    "correct and in England, like SO16 6YD"
                )
            else:
                context["error"] = (
                    f"We could not find a place called ‘{query}’. Check the spelling, or "
                    "enter a postcode instead"
                )
                context["suggestions"] = lookup.suggest_places(query)
    return render(request, "collaboratives/find.jinja", context, status=status)
