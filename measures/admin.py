from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import EditorialAdminMixin, StampedAdminMixin
from measures import paste, svg
from measures.models import DataPoint, Measure, PhaseChange
from measures.spc import format_period
from measures.views import MeasureDetailView

MAX_UPLOAD_BYTES = 1024 * 1024


class DataPointInline(admin.TabularInline):
    model = DataPoint
    extra = 1
    fields = ["period", "value", "numerator", "denominator", "annotation"]


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    fields = ["date", "reason"]


class PasteForm(forms.Form):
    data = forms.CharField(
        label="Paste the data",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 60, "spellcheck": "false"}),
        help_text="Two columns copied from a spreadsheet: period and value (an optional "
        f"third column is a note). Periods like {paste.PERIOD_FORMATS}.",
    )
    csv_file = forms.FileField(
        label="Or upload a CSV file",
        required=False,
        help_text="The same two columns, comma-separated; a heading line is fine. Up to 1 MB.",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("csv_file")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError("The file is larger than 1 MB.")
            try:
                cleaned["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(
                    "The file is not a text CSV file (save it as “CSV UTF-8” and try again)."
                ) from error
            if "\x00" in cleaned["text"]:
                raise forms.ValidationError("The file is not a text CSV file.")
        else:
            cleaned["text"] = cleaned.get("data", "")
        if not cleaned["text"].strip():
            raise forms.ValidationError("Paste some data or choose a CSV file.")
        return cleaned


@admin.register(Measure)
class MeasureAdmin(EditorialAdminMixin, StampedAdminMixin, SimpleHistoryAdmin):
    preview_view = MeasureDetailView
    list_display = [
        "name",
        "organisation",
        "status",
        "is_illustrative",
        "frequency",
        "point_count",
        "updated_at",
    ]
    list_filter = ["status", "is_illustrative", "frequency", "programmes", "organisation"]
    search_fields = ["name", "slug", "definition"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisation", "programmes", "workstreams"]
    readonly_fields = [
        "chart_preview",
        "add_data_link",
        "preview_link",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    ]
    inlines = [DataPointInline, PhaseChangeInline]

    class Media:
        css = {"all": ["css/mdc-charts.css"]}

    fieldsets = [
        (None, {"fields": ["name", "slug", "organisation", "is_illustrative"]}),
        (
            "What is measured",
            {"fields": ["definition", "unit", "direction", "frequency", "data_source"]},
        ),
        ("Target and limits", {"fields": ["target", "target_from", "baseline_points"]}),
        ("Links", {"fields": ["programmes", "workstreams"]}),
        ("Chart of the saved data", {"fields": ["chart_preview", "add_data_link"]}),
        ("Publication", {"fields": ["status", "publish_from", "preview_link"]}),
        (
            "History",
            {
                "fields": ["created_at", "created_by", "updated_at", "updated_by"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_total=Count("data_points"))

    @admin.display(description="Points", ordering="point_total")
    def point_count(self, obj):
        return obj.point_total

    @admin.display(description="Chart")
    def chart_preview(self, obj):
        if not obj.pk:
            return "Save the measure, then add data to see its chart."
        result = obj.analysis()
        # measures.svg escapes every text it writes, so its output is safe markup.
        chart = mark_safe(
            svg.render_chart(
                result,
                title=f"{obj.name}: chart of the saved data",
                description=result.summary,
                unit=obj.unit,
                annotations=[p for p in obj.data_points.all() if p.annotation],
                id_prefix="admin-chart",
            )
        )
        return format_html('<div class="app-admin-chart">{}</div><p>{}</p>', chart, result.summary)

    @admin.display(description="Add many points")
    def add_data_link(self, obj):
        if not obj.pk:
            return "Save first."
        url = reverse("admin:measures_measure_add_data", args=[obj.pk])
        return format_html('<a href="{}">Add data points from a paste or CSV</a>', url)

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/add-data/",
                self.admin_site.admin_view(self.add_data_view),
                name="measures_measure_add_data",
            )
        ]
        return extra + super().get_urls()

    def add_data_view(self, request, object_id):
        """Add data points from a paste or a CSV file: check, preview, then confirm."""
        measure = self.get_object(request, object_id)  # scoped to the user's collaborative
        if measure is None:
            raise Http404("No such measure that you can see.")
        if not self.has_change_permission(request, measure) or not request.user.has_perm(
            "measures.add_datapoint"
        ):
            raise PermissionDenied
        existing = dict(measure.data_points.values_list("period", "value"))
        form = PasteForm()
        parsed, preview_chart = None, None
        if request.method == "POST":
            if "confirm" in request.POST:
                parsed = paste.parse(request.POST.get("checked", ""), measure.frequency, existing)
                if parsed.ok:
                    try:
                        self._save_points(request, measure, parsed.points)
                    except IntegrityError:
                        messages.error(
                            request,
                            "Nothing was saved: someone added values for some of these periods "
                            "while you were checking them. Check the data again.",
                        )
                        return redirect(request.path)
                    messages.success(
                        request,
                        f"Added {len(parsed.points)} data "
                        f"{'point' if len(parsed.points) == 1 else 'points'} to “{measure}”.",
                    )
                    return redirect("admin:measures_measure_change", measure.pk)
                form = PasteForm(initial={"data": request.POST.get("checked", "")})
            else:
                form = PasteForm(request.POST, request.FILES)
                if form.is_valid():
                    parsed = paste.parse(form.cleaned_data["text"], measure.frequency, existing)
            if parsed is not None and parsed.ok:
                combined = [*measure.data_points.all(), *parsed.points]
                result = measure.analyse(
                    combined, [change.date for change in measure.phase_changes.all()]
                )
                preview_chart = mark_safe(
                    svg.render_chart(
                        result,
                        title=f"{measure.name}: chart with the new points",
                        description=result.summary,
                        unit=measure.unit,
                        id_prefix="admin-paste-chart",
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": measure,
            "title": f"Add data points to “{measure}”",
            "form": form,
            "parsed": parsed,
            "checked": paste.serialise(parsed.points) if parsed and parsed.ok else "",
            "preview_chart": preview_chart,
            "new_rows": [
                (
                    point.line,
                    format_period(point.period, measure.frequency),
                    measure.format_value(point.value),
                    point.annotation,
                )
                for point in (parsed.points if parsed and parsed.ok else [])
            ],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/measures/measure/add_data.html", context)

    @transaction.atomic
    def _save_points(self, request, measure, points):
        for point in points:
            row = DataPoint(
                measure=measure, period=point.period, value=point.value, annotation=point.annotation
            )
            row._history_user = request.user
            row.full_clean()
            row.save()
        measure.updated_by = request.user
        measure._history_user = request.user
        measure.save(update_fields=["updated_at", "updated_by"])
