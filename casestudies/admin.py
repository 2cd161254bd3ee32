from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from casestudies.checklist import checklist, checklist_for, missing
from casestudies.models import CaseStudy, Contact, ImpactFigure, Quote, Theme
from casestudies.transfer import CaseStudyMetadataResource
from casestudies.views import CaseStudyDetailView
from core.admin_mixins import (
    EditorialAdminMixin,
    EditorialForm,
    PublishedYearFilter,
    StampedAdminMixin,
    VersionedAdminMixin,
)
from core.publishing import PublicationStatus
from core.readability import GUIDANCE, readability

CLASSIFICATION_HINT = (
    "Type to search the list, then choose; you can choose several. Public: readers filter "
    "case studies by these."
)


def _missing_message(labels: list[str]) -> str:
    return "The publication checklist is not complete. Still missing: " + "; ".join(labels) + "."


class CaseStudyForm(EditorialForm):
    """Checks the publication checklist, against the figures, quotes and contacts on the page
    (collected by CaseStudyAdmin.get_formsets_with_inlines), before review or publication."""

    request = None  # set per request by EditorialAdminMixin.get_form

    def _inline_rows(self):
        rows = {"figures": [], "quotes": [], "contacts": []}
        for formset in getattr(self.request, "_case_study_formsets", []):
            if not formset.is_valid():
                continue  # its own errors are shown; the checklist counts what is valid
            key = formset.prefix
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None)
                if data and not data.get("DELETE"):
                    rows.setdefault(key, []).append(data)
        return rows

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        before = self.initial.get("status") if self.instance.pk else None
        entering = status != before and status in (
            PublicationStatus.IN_REVIEW,
            PublicationStatus.PUBLISHED,
        )
        if not entering:
            return cleaned
        rows = self._inline_rows()
        gaps = missing(checklist(cleaned, rows["figures"], rows["quotes"], rows["contacts"]))
        if not gaps:
            return cleaned
        if status == PublicationStatus.IN_REVIEW:
            raise ValidationError(
                _missing_message(gaps) + " Complete it, or keep it as a draft.", code="checklist"
            )
        if not (cleaned.get("checklist_override_reason") or "").strip():
            self.add_error(
                "checklist_override_reason" if "checklist_override_reason" in self.fields else None,
                ValidationError(
                    _missing_message(gaps)
                    + " To publish it anyway, give the reason in “reason for publishing with "
                    "the checklist incomplete”.",
                    code="checklist",
                ),
            )
        return cleaned


def _number(size: int = 8):
    return forms.NumberInput(attrs={"class": "narrow-number", "size": size})


class ImpactFigureInline(admin.TabularInline):
    model = ImpactFigure
    extra = 0
    fields = [
        "label",
        "value",
        "unit",
        "baseline",
        "target",
        "period",
        "source",
        "measure",
        "order",
    ]
    autocomplete_fields = ["measure"]
    # Narrow widgets so the table fits a laptop screen (see static/css/admin.css).
    widgets = {
        "label": forms.TextInput(attrs={"size": 28}),
        "value": _number(),
        "baseline": _number(),
        "target": _number(),
        "unit": forms.TextInput(attrs={"size": 5}),
        "period": forms.TextInput(attrs={"size": 9}),
        "source": forms.TextInput(attrs={"size": 22}),
        "order": _number(3),
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in self.widgets:
            kwargs["widget"] = self.widgets[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text", "attribution", "role", "consent_recorded", "order"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = [
        "name",
        "role",
        "email",
        "phone",
        "website",
        "social_handle",
        "consent_recorded",
        "order",
    ]


@admin.register(CaseStudy)
class CaseStudyAdmin(EditorialAdminMixin, StampedAdminMixin, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CaseStudyMetadataResource]
    form = CaseStudyForm
    preview_view = CaseStudyDetailView
    change_form_template = "admin/casestudies/casestudy/change_form.html"
    list_display = ["title", "organisation", "status", "publish_from", "updated_at"]
    list_filter = [
        "status",
        PublishedYearFilter,
        "programmes",
        "organisation",
        "themes",
        "care_settings",
    ]
    search_fields = ["title", "summary", "slug"]
    list_select_related = ["organisation"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "organisation",
        "programmes",
        "workstreams",
        "care_settings",
        "themes",
        "measures",
    ]
    readonly_fields = [
        "preview_link",
        "publication_checklist",
        "summary_readability",
        "removed_rows_link",
        "created_at",
        "updated_at",
        "created_by",
        "updated_by",
    ]
    inlines = [ImpactFigureInline, QuoteInline, ContactInline]
    # Rows removed from these inlines stay in their history and can be put back.
    restorable_inlines = [ImpactFigure, Quote, Contact]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "summary", "summary_readability"]}),
        (
            "The story",
            {"fields": ["issue", "what_we_did", "impact", "evaluation", "next_steps"]},
        ),
        ("Funding", {"fields": ["funding_declaration", "funding_details"]}),
        ("Picture", {"fields": ["image", "image_alt", "image_decorative"]}),
        (
            "Classification",
            {
                "fields": ["programmes", "workstreams", "care_settings", "themes"],
                "description": CLASSIFICATION_HINT,
            },
        ),
        ("Measured impact", {"fields": ["measures"]}),
        (
            "Publication",
            {
                "fields": [
                    "publication_checklist",
                    "status",
                    "checklist_override_reason",
                    "publish_from",
                    "preview_link",
                ]
            },
        ),
        ("Review", {"fields": ["last_reviewed", "review_by"]}),
        (
            "History",
            {
                "fields": [
                    "created_at",
                    "created_by",
                    "updated_at",
                    "updated_by",
                    "removed_rows_link",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_formsets_with_inlines(self, request, obj=None):
        """Hands each inline formset to the form too, so the checklist sees unsaved rows."""
        collected = request.__dict__.setdefault("_case_study_formsets", [])
        for formset_class, inline in super().get_formsets_with_inlines(request, obj):

            def __init__(formset, *args, _base=formset_class, **kwargs):
                _base.__init__(formset, *args, **kwargs)
                collected.append(formset)

            yield type(formset_class.__name__, (formset_class,), {"__init__": __init__}), inline

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if not self.has_publish_permission(request):
            fields.append("checklist_override_reason")
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("programmes", "workstreams", "care_settings", "themes"):
            field.help_text = "Type to search, then choose; you can choose several."
        return field

    def workflow_refusal(self, request, obj, to_status) -> str:
        if to_status not in (PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED):
            return ""
        gaps = missing(checklist_for(obj))
        if not gaps:
            return ""
        if to_status == PublicationStatus.IN_REVIEW:
            return _missing_message(gaps)
        reason = obj.checklist_override_reason.strip()
        if to_status == PublicationStatus.PUBLISHED and not reason:
            return _missing_message(gaps) + " Open it to give a reason for publishing it anyway."
        obj._change_reason = f"Published with the checklist incomplete: {reason}"
        return ""

    def save_model(self, request, obj, form, change):
        reason = obj.checklist_override_reason.strip()
        if obj.status == PublicationStatus.PUBLISHED and reason and "status" in form.changed_data:
            obj._change_reason = f"Published with the checklist incomplete: {reason}"
        super().save_model(request, obj, form, change)

    @admin.display(description="Publication checklist")
    def publication_checklist(self, obj):
        items = checklist_for(obj)
        rows = format_html_join(
            "",
            '<li class="checklist-{}"><span aria-hidden="true">{}</span> '
            '<span class="visually-hidden">{}</span>{}</li>',
            (
                (
                    "done" if item.done else "missing",
                    "✓" if item.done else "✗",
                    "Done: " if item.done else "Missing: ",
                    item.label,
                )
                for item in items
            ),
        )
        return format_html(
            '<ul class="publication-checklist">{}</ul><p class="help">Needed before it can be '
            "sent for review (after NICE's shared-learning standard). Checked when you save.</p>",
            rows,
        )

    @admin.display(description="Readability of the summary")
    def summary_readability(self, obj):
        score = readability(obj.summary) if obj.pk else None
        if score is None:
            return format_html('<p class="help">Save to see a readability score. {}</p>', GUIDANCE)
        return format_html('{}<p class="help">{}</p>', str(score), GUIDANCE)

    def removed_rows(self, case_study):
        """The last recorded state of every figure, quote and contact removed from it."""
        rows = []
        for model in self.restorable_inlines:
            live = model.objects.filter(case_study=case_study).values_list("pk", flat=True)
            removed = (
                model.history.filter(case_study_id=case_study.pk, history_type="-")
                .exclude(id__in=list(live))
                .select_related("history_user")
                .order_by("-history_date")
            )
            rows.extend(removed)
        return sorted(rows, key=lambda record: record.history_date, reverse=True)

    @admin.display(description="Removed figures, quotes and contacts")
    def removed_rows_link(self, obj):
        if not obj.pk:
            return "None yet."
        url = reverse("admin:casestudies_casestudy_removed_rows", args=[obj.pk])
        return format_html('<a href="{}">See and restore removed rows</a>', url)

    def get_urls(self):
        extra = [
            path(
                "<path:object_id>/removed-rows/",
                self.admin_site.admin_view(self.removed_rows_view),
                name="casestudies_casestudy_removed_rows",
            )
        ]
        return extra + super().get_urls()

    def removed_rows_view(self, request, object_id):
        case_study = self.get_object(request, object_id)  # scoped to the user's collaborative
        if case_study is None:
            raise Http404("No such case study.")
        if not self.has_change_permission(request, case_study):
            raise PermissionDenied
        rows = self.removed_rows(case_study)
        if request.method == "POST":
            wanted = (request.POST.get("model", ""), request.POST.get("history_id", ""))
            for record in rows:
                if (record.instance._meta.model_name, str(record.history_id)) == wanted:
                    record.instance.save()
                    messages.success(request, f"Restored “{record.instance}”.")
                    break
            else:
                messages.error(request, "That row is no longer available to restore.")
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": case_study,
            "title": f"Removed rows of “{case_study}”",
            "rows": [(record, record.instance._meta) for record in rows],
        }
        return TemplateResponse(request, "admin/casestudies/casestudy/removed_rows.html", context)


@admin.register(Theme)
class ThemeAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
