"""Public measure pages: the list, the chart page and the series as CSV."""

import csv

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from collaboratives.models import Organisation
from core.preview import PublicDetailView
from measures import charts, spc, svg
from measures.models import Measure
from programmes.models import Programme

CSV_COLUMNS = (
    "period",
    "value",
    "numerator",
    "denominator",
    "phase",
    "mean",
    "lower_limit",
    "upper_limit",
    "flags",
    "annotation",
)


class MeasureFilterForm(forms.Form):
    programme = forms.ChoiceField(
        required=False,
        label="Programme",
        error_messages={
            "invalid_choice": "There is no programme “%(value)s”. Choose one from the list."
        },
    )
    collaborative = forms.ChoiceField(
        required=False,
        label="Collaborative",
        error_messages={
            "invalid_choice": "There is no collaborative “%(value)s”. Choose one from the list."
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [
            ("", "All programmes"),
            *Programme.objects.values_list("slug", "name"),
        ]
        self.fields["collaborative"].choices = [
            ("", "All collaboratives"),
            *Organisation.objects.values_list("slug", "name"),
        ]


class MeasureListView(ListView):
    """Published measures with small charts and icons, filtered by programme or collaborative."""

    template_name = "measures/measure_list.jinja"
    context_object_name = "measures"
    paginate_by = 20

    def get(self, request, *args, **kwargs):
        self.form = MeasureFilterForm(request.GET)
        if not self.form.is_valid():
            self.object_list = Measure.objects.none()
            context = self.get_context_data()
            return self.render_to_response(context, status=400)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        measures = Measure.objects.published().select_related("organisation")
        chosen = self.form.cleaned_data if self.form.is_valid() else {}
        if chosen.get("programme"):
            measures = measures.filter(programmes__slug=chosen["programme"])
        if chosen.get("collaborative"):
            measures = measures.filter(organisation__slug=chosen["collaborative"])
        return charts.with_series(measures.order_by("name", "pk"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["measures"])
        context.update(
            form=self.form,
            measures=page,
            any_illustrative=any(measure.is_illustrative for measure in page),
        )
        return context


class MeasureDetailView(PublicDetailView):
    """A measure's chart page; staff previews call it with their own queryset."""

    model = Measure
    template_name = "measures/measure_detail.jinja"
    context_object_name = "measure"

    def get_object(self, queryset=None):
        queryset = (queryset if queryset is not None else self.get_queryset()).select_related(
            "organisation"
        )
        queryset = charts.with_series(queryset).prefetch_related("programmes", "workstreams")
        return super().get_object(queryset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.object
        result = measure.analysis()
        context.update(
            result=result,
            icons=charts.icons(result),
            chart=charts.chart(measure),
            rows=charts.rows(measure),
            legend=svg.annotation_legend(charts.annotations(measure), measure.frequency),
            phases=list(measure.phase_changes.all()),
            phase_results=result.phases,
            format_period=spc.format_period,
            format_number=spc.format_number,
            case_studies=list(
                measure.case_studies.published().select_related("organisation").newest_first()
            ),
            missing=spc.missing_periods(
                [point.period for point in measure.data_points.all()], measure.frequency
            ),
        )
        return context


def _cell(value) -> str:
    """Text cells that a spreadsheet would run as a formula are quoted."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value) -> str:
    if value is None:
        return ""
    return (
        f"{value.normalize():f}"
        if hasattr(value, "normalize")
        else f"{value:.4f}".rstrip("0").rstrip(".")
    )


def measure_csv(request, slug):
    """The published series with its statistics, one row per period."""
    measure = get_object_or_404(charts.with_series(Measure.objects.published()), slug=slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{measure.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in charts.rows(measure):
        point, result = row.point, row.result
        writer.writerow(
            [
                point.period.isoformat(),
                _number(point.value),
                _number(point.numerator),
                _number(point.denominator),
                result.phase + 1,
                _number(result.mean),
                _number(result.lower),
                _number(result.upper),
                "; ".join(row.flag_labels),
                _cell(point.annotation),
            ]
        )
    return response
