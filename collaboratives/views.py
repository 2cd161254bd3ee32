from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from collaboratives.models import ContactDetail, Coverage, CoverageKind, Organisation
from core import extras

RELATED_LIMIT = 6


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
        # Fetched here, not while the template renders.
        return list(Organisation.objects.order_by("psc_name").prefetch_related(contact_prefetch()))


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
            **extras.context_for(organisation),  # its improvement measures (the measures app)
            **kwargs,
        )
