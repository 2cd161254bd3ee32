from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from core import extras
from programmes.models import Measure, Programme, Workstream
from psc_portal.caching import keep_until

RELATED_LIMIT = 6
EVENTS_LIMIT = 3


class ProgrammeListView(ListView):
    template_name = "programmes/programme_list.jinja"
    context_object_name = "programmes"

    def get_queryset(self):
        return list(Programme.objects.all())  # fetched here, not while the template renders


class ProgrammeDetailView(DetailView):
    template_name = "programmes/programme_detail.jinja"
    context_object_name = "programme"

    def get_queryset(self):
        return Programme.objects.prefetch_related(
            "principles",
            Prefetch(
                "workstreams",
                queryset=Workstream.objects.prefetch_related(
                    Prefetch("measures", queryset=Measure.objects.order_by("order", "pk"))
                ),
            ),
            Prefetch(
                "measures",
                queryset=Measure.objects.filter(workstream__isnull=True),
                to_attr="programme_measures",
            ),
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # Its next events change when one ends, which no save announces to the page cache.
        keep_until(response, min((event.end for event in self.next_events), default=None))
        return response

    def get_context_data(self, **kwargs):
        programme = self.object
        # The content apps sit above this one: reached through their reverse relations.
        case_studies = (
            programme.case_studies.published()
            .select_related("organisation")
            .newest_first()[: RELATED_LIMIT + 1]
        )
        resources = programme.resources.published().newest_first()[: RELATED_LIMIT + 1]
        events = programme.events.published().upcoming().select_related("organisation")
        case_studies, resources = list(case_studies), list(resources)
        self.next_events = list(events[:EVENTS_LIMIT])
        return super().get_context_data(
            case_studies=case_studies[:RELATED_LIMIT],
            more_case_studies=len(case_studies) > RELATED_LIMIT,
            resources=resources[:RELATED_LIMIT],
            more_resources=len(resources) > RELATED_LIMIT,
            events=self.next_events,
            **extras.context_for(programme),  # its improvement measures (the measures app)
            **kwargs,
        )
