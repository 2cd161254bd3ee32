"""Public case-study pages: the finder and the structured case study."""

from django.db.models import Exists, OuterRef, Prefetch

from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy, ImpactFigure
from core.finders import FinderView
from core.preview import PublicDetailView
from measures import charts

RELATED_COUNT = 3


class CaseStudyListView(FinderView):
    model = CaseStudy
    filterset_class = CaseStudyFilter
    template_name = "casestudies/casestudy_list.jinja"
    noun_plural = "case studies"

    def list_select_related(self):
        return ("organisation",)


class CaseStudyDetailView(PublicDetailView):
    """One published case study; staff previews call it with their own queryset."""

    model = CaseStudy
    template_name = "casestudies/casestudy_detail.jinja"
    context_object_name = "case_study"

    def get_object(self, queryset=None):
        queryset = (queryset if queryset is not None else self.get_queryset()).select_related(
            "organisation"
        )
        queryset = queryset.prefetch_related(
            Prefetch("figures", queryset=ImpactFigure.objects.select_related("measure")),
            "quotes",
            "contacts",
            "programmes",
            "care_settings",
            "themes",
        )
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related"] = related_case_studies(self.object)
        context["measures"] = charts.rollup(self.object.measures.all())
        return context


def related_case_studies(case_study: CaseStudy) -> list[CaseStudy]:
    """Other published case studies from the same programmes, newest first."""
    programme_ids = [programme.pk for programme in case_study.programmes.all()]
    if not programme_ids:
        return []
    through = CaseStudy.programmes.through
    shares_programme = Exists(
        through.objects.filter(casestudy=OuterRef("pk"), programme__in=programme_ids)
    )
    return list(
        CaseStudy.objects.published()
        .filter(shares_programme)
        .exclude(pk=case_study.pk)
        .select_related("organisation")
        .newest_first()[:RELATED_COUNT]
    )
