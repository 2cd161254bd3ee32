from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from casestudies.models import CaseStudy, Contact, ImpactFigure, Quote, Theme
from casestudies.transfer import CaseStudyMetadataResource
from casestudies.views import CaseStudyDetailView
from core.admin_mixins import (
    EditorialAdminMixin,
    PublishedYearFilter,
    StampedAdminMixin,
    VersionedAdminMixin,
)


class ImpactFigureInline(admin.TabularInline):
    model = ImpactFigure
    extra = 0
    fields = ["label", "value", "unit", "baseline", "target", "period", "source", "order"]


class QuoteInline(admin.StackedInline):
    model = Quote
    extra = 0
    fields = ["text", "attribution", "role", "order"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "website", "social_handle", "order"]


@admin.register(CaseStudy)
class CaseStudyAdmin(EditorialAdminMixin, StampedAdminMixin, ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [CaseStudyMetadataResource]
    preview_view = CaseStudyDetailView
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
    autocomplete_fields = ["organisation", "programmes", "workstreams", "care_settings", "themes"]
    readonly_fields = [
        "preview_link",
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
        (None, {"fields": ["title", "slug", "organisation", "summary"]}),
        ("The story", {"fields": ["issue", "what_we_did", "impact", "next_steps"]}),
        ("Picture", {"fields": ["image", "image_alt", "image_decorative"]}),
        ("Classification", {"fields": ["programmes", "workstreams", "care_settings", "themes"]}),
        ("Publication", {"fields": ["status", "publish_from", "preview_link"]}),
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
