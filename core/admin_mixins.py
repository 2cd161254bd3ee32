"""Admin behaviour shared by the editorial models (case studies, resources and the like).

- ``StampedAdminMixin`` records who created and last changed an item.
- ``VersionedForm``/``VersionedAdminMixin`` refuse a stale save (someone else saved after
  you opened the page); ``EditorialForm`` also limits the status choices of non-publishers.
- ``ReviewDueFilter``/``ReviewAdminMixin`` let staff find what is due a review and mark it
  reviewed; ``LabelledHistoryMixin`` shows history changes with the labels editors see.
- ``EditorialAdminMixin`` scopes every admin page, action, filter and autocomplete to the
  user's collaborative, adds the workflow actions and the preview link, and replaces
  deleting with archiving. Its changelists stay fast at 100,000 items: search through the
  full-text and trigram indexes (core.search), counts that stop at ``ADMIN_COUNT_CAP``
  (``SEARCH_COUNT_CAP`` with a search) and a year filter instead of a date drill-down that
  scans the table.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from simple_history.template_utils import HistoricalRecordContextHelper

from core import roles, search
from core.models import DUE_SOON_DAYS, default_review_by
from core.preview import preview
from core.publishing import EDITOR_STATUSES, PublicationStatus


class StampedAdminMixin:
    """Records who created and who last changed a Publishable item."""

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


def _current_version(model, pk, lock: bool = False):
    """(token, who, when) for the stored row: its ``updated_at`` or its latest history entry.

    Inside the admin's transaction the row is locked until the save completes, so two
    simultaneous saves cannot both pass the check.
    """
    rows = model._default_manager.filter(pk=pk)
    if lock and transaction.get_connection().in_atomic_block:
        rows.select_for_update(of=("self",)).values_list("pk").first()
    if any(field.name == "updated_at" for field in model._meta.fields):
        row = rows.values_list(
            "updated_at", "updated_by__first_name", "updated_by__last_name"
        ).first()
        return (row[0].isoformat(), _person(row[1], row[2]), row[0]) if row else None
    history = getattr(model, "history", None)
    if history is None:
        return None
    row = (
        history.filter(**{model._meta.pk.attname: pk})
        .order_by("-history_id")
        .values_list(
            "history_id", "history_user__first_name", "history_user__last_name", "history_date"
        )
        .first()
    )
    return (str(row[0]), _person(row[1], row[2]), row[3]) if row else None


def _person(first_name: str | None, last_name: str | None) -> str:
    """A colleague's name; never their e-mail address, which is not for showing around."""
    return " ".join(part for part in (first_name, last_name) if part) or ANOTHER_PERSON


ANOTHER_PERSON = "another member of staff"


class VersionedForm(forms.ModelForm):
    """Optimistic locking: a hidden copy of the item's version, taken when the page opened.

    A save whose version is no longer current is refused with a message, and the form is
    shown again with the user's own text so nothing they typed is lost.
    """

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The row as stored now, not the instance: a history "revert" form shows an old one.
            version = _current_version(type(self.instance), self.instance.pk)
            self.fields["edit_token"].initial = version[0] if version else ""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            version = _current_version(type(self.instance), self.instance.pk, lock=True)
            if version and cleaned.get("edit_token") != version[0]:
                who = version[1] or ANOTHER_PERSON
                when = timezone.localtime(version[2]).strftime("%-d %B %Y at %H:%M")
                raise ValidationError(
                    f"Your changes have not been saved: {who} saved this "
                    f"{self._meta.model._meta.verbose_name} on {when}, after you opened it. "
                    "Your text is still below. Copy what you need, open the page again to "
                    "see their version, then make your changes there.",
                    code="stale",
                )
        return cleaned


class EditorialForm(VersionedForm):
    """Also limits the status choices of people who may not publish."""

    can_publish = False  # set per request by EditorialAdminMixin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields and not self.can_publish:
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] in EDITOR_STATUSES
            ]
            self.fields["status"].help_text = (
                "Save as a draft, or send it for review. A publisher of your collaborative "
                "publishes it."
            )

    def clean_status(self):
        status = self.cleaned_data["status"]
        if not self.can_publish and status not in EDITOR_STATUSES:
            raise ValidationError(
                "Only a publisher can publish or archive. Choose draft or review."
            )
        return status


class ReviewDueFilter(admin.SimpleListFilter):
    """'Review due': overdue, due within DUE_SOON_DAYS, or not due."""

    title = "review due"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("soon", f"Due in {DUE_SOON_DAYS} days"),
            ("not_due", "Not due"),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "overdue":
                return queryset.overdue()
            case "soon":
                return queryset.due_soon()
            case "not_due":
                return queryset.not_due()
        return queryset


class ReviewAdminMixin:
    """The review-due filter, a review-by column and a 'reviewed today' action (list
    ``"mark_reviewed"`` in the admin's ``actions``)."""

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), ReviewDueFilter]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "review_by"]

    @admin.action(description="Mark selected as reviewed today", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        today = timezone.localdate()
        marked = 0
        for obj in queryset:
            if not self.has_change_permission(request, obj):
                continue
            obj.last_reviewed = today
            obj.review_by = default_review_by(today)
            obj._history_user = request.user
            obj._change_reason = "Reviewed"
            obj.save()
            marked += 1
        self.message_user(
            request,
            f"{marked} item(s) marked as reviewed today; next review by "
            f"{default_review_by(today):%-d %B %Y}.",
            messages.SUCCESS,
        )


class LabelledHistoryHelper(HistoricalRecordContextHelper):
    """History changes in the words of the form: "Draft → In review", "Yes", "(empty)"."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if getattr(field, "flatchoices", None) and not field.many_to_many:
            return dict(field.flatchoices).get(value, value) or "(empty)"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if value in (None, ""):
            return "(empty)"
        return super().prepare_delta_change_value(change, value)


class LabelledHistoryMixin:
    """For a SimpleHistoryAdmin: changes listed with display labels, and the change-reason
    column only when there is a reason to show."""

    def get_historical_record_context_helper(self, request, historical_record):
        return LabelledHistoryHelper(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        records = context.get("page_obj") or []
        context["has_change_reasons"] = any(r.history_change_reason for r in records)
        return super().render_history_view(request, template, context, **kwargs)


class VersionedAdminMixin(LabelledHistoryMixin):
    """Protects an admin's change form against overwriting someone else's newer save."""

    form = VersionedForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if any("edit_token" in options["fields"] for _, options in fieldsets):
            return fieldsets
        first_name, first = fieldsets[0]
        first = {**first, "fields": [*first["fields"], "edit_token"]}
        return [(first_name, first), *fieldsets[1:]]


ADMIN_COUNT_CAP = 10_000
# A search is counted to a lower cap: every counted row is a full-text test.
SEARCH_COUNT_CAP = 1_000
FIRST_YEAR = 2014  # the Patient Safety Collaboratives were set up in 2014


class AtLeast(int):
    """A count that stopped at its cap: reads "more than 1,000" wherever it is shown."""

    def __str__(self):
        return f"more than {self - 1:,}"


class CappedCountPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows (COUNT over a LIMIT subquery): pages beyond are not
    offered; a search or a filter narrows a long list down."""

    cap = ADMIN_COUNT_CAP

    @cached_property
    def count(self):
        found = self.object_list.order_by()[: self.cap + 1].count()
        return AtLeast(found) if found > self.cap else found


class SearchCountPaginator(CappedCountPaginator):
    cap = SEARCH_COUNT_CAP


class PublishedYearFilter(admin.SimpleListFilter):
    """The year an item is (to be) published: a fixed list, so no query builds it."""

    title = "year published"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        this_year = timezone.localdate().year
        return [(str(year), str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(publish_from__year=int(value))
        return queryset


class EditorialAdminMixin(ReviewAdminMixin, VersionedAdminMixin):
    """Collaborative scoping, roles and the editorial workflow for a Publishable model admin.

    Staff see only items owned by their own collaborative (network administrators see all):
    every admin page, action, filter, autocomplete and guessed URL goes through
    ``get_queryset`` or the object permission checks below.
    """

    form = EditorialForm
    # The public detail view (a core.preview.PublicDetailView) that previews render.
    preview_view = None
    actions = ["submit_for_review", "publish", "unpublish", "archive", "mark_reviewed"]
    # At 100,000 items: no unbounded COUNT(*), search through the indexes (below).
    show_full_result_count = False
    paginator = CappedCountPaginator
    # Each row costs Django's admin about 1 ms to render (its link, checkbox and cells).
    list_per_page = 50

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        searched = request.GET.get(SEARCH_VAR, "").strip()
        paginator = SearchCountPaginator if searched else self.paginator
        return paginator(queryset, per_page, orphans, allow_empty_first_page)

    # --- search -----------------------------------------------------------------------------
    def get_search_results(self, request, queryset, search_term):
        """Full-text and title-trigram search (GIN indexes) for models with a search_vector,
        plus an exact slug; Django's ``LIKE '%word%'`` over every column otherwise."""
        has_vector = any(f.name == "search_vector" for f in self.model._meta.fields)
        if not search_term.strip() or not has_vector or not search.uses_postgres():
            return super().get_search_results(request, queryset, search_term)
        text = search.clean_query(search_term)[: search.MAX_QUERY_LENGTH]
        by_slug = self.model._default_manager.filter(slug=text.strip('"')).values("pk")
        condition = search.match_condition(self.model, text) | Q(pk__in=by_slug)
        return queryset.filter(condition), False

    # --- scope ----------------------------------------------------------------------------
    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or roles.in_scope(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        if not roles.in_scope(request.user, obj):
            return False
        # Published and archived items are the publishers' to change.
        return obj.status in EDITOR_STATUSES or self.has_publish_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # content is archived, never deleted

    def has_publish_permission(self, request):
        return roles.can_publish(request.user, self.model)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if roles.is_network_administrator(request.user):
            return filters
        return [f for f in filters if f != "organisation"]

    def get_autocomplete_fields(self, request):
        fields = super().get_autocomplete_fields(request)
        if roles.is_network_administrator(request.user):
            return fields
        return [f for f in fields if f != "organisation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        own = roles.organisation_id_of(request.user)
        limited = db_field.name == "organisation" and not roles.is_network_administrator(
            request.user
        )
        if limited:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(pk=own)
            kwargs["initial"] = own
            kwargs["empty_label"] = None
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if limited:
            field.required = True
        return field

    def role_help_texts(self, request) -> dict[str, str]:
        """Help text for what this person can do: no advice about actions they cannot take."""
        texts = {}
        if not self.has_publish_permission(request):
            texts["publish_from"] = "A publisher of your collaborative sets when it goes live."
        if not roles.is_network_administrator(request.user):
            texts["organisation"] = "Your collaborative, which owns what you write here."
        return texts

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form = type(
            form.__name__,
            (form,),
            {"can_publish": self.has_publish_permission(request), "request": request},
        )
        texts = self.role_help_texts(request)
        # Read-only fields take their help text from the form's Meta, editable ones from the field.
        form._meta.help_texts = {**(form._meta.help_texts or {}), **texts}
        for name, text in texts.items():
            if name in form.base_fields:
                form.base_fields[name].help_text = text
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("publish_from")
        return fields

    def save_model(self, request, obj, form, change):
        if not roles.is_network_administrator(request.user):
            obj.organisation_id = roles.organisation_id_of(request.user)
        super().save_model(request, obj, form, change)

    # --- workflow actions -------------------------------------------------------------------
    def workflow_refusal(self, request, obj, to_status) -> str:
        """Why ``obj`` may not move to ``to_status`` (e.g. a checklist), or "" when it may."""
        return ""

    def _move(self, request, queryset, to_status, from_statuses, done: str):
        moved = refused = 0
        for obj in queryset.filter(status__in=from_statuses):
            refusal = self.workflow_refusal(request, obj, to_status)
            if refusal:
                self.message_user(request, f"“{obj}” was not {done}. {refusal}", messages.ERROR)
                refused += 1
                continue
            obj.status = to_status
            if to_status == PublicationStatus.PUBLISHED and obj.publish_from < timezone.now():
                obj.publish_from = timezone.now()
            obj.updated_by = request.user
            obj._history_user = request.user
            obj.save()
            moved += 1
        skipped = queryset.count() - moved - refused
        noun = self.model._meta.verbose_name if moved == 1 else self.model._meta.verbose_name_plural
        if moved:
            self.message_user(request, f"{moved} {noun} {done}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected item(s) left as they were: their status does not allow it.",
                messages.WARNING,
            )

    @admin.action(description="Submit selected for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._move(
            request,
            queryset,
            PublicationStatus.IN_REVIEW,
            [PublicationStatus.DRAFT],
            "sent for review",
        )

    @admin.action(
        description="Publish selected (on their publish-from date)", permissions=["publish"]
    )
    def publish(self, request, queryset):
        self._move(
            request,
            queryset,
            PublicationStatus.PUBLISHED,
            [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW],
            "published",
        )

    @admin.action(description="Unpublish selected (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._move(
            request,
            queryset,
            PublicationStatus.DRAFT,
            [PublicationStatus.PUBLISHED, PublicationStatus.IN_REVIEW, PublicationStatus.ARCHIVED],
            "moved back to draft",
        )

    @admin.action(description="Archive selected (hide from the public)", permissions=["publish"])
    def archive(self, request, queryset):
        self._move(
            request,
            queryset,
            PublicationStatus.ARCHIVED,
            [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW, PublicationStatus.PUBLISHED],
            "archived",
        )

    # --- preview ----------------------------------------------------------------------------
    def view_on_site(self, obj):
        """'View on site' only for what the public can see; everything else has Preview."""
        if not obj.is_public:
            return None
        try:
            return obj.get_absolute_url()
        except NoReverseMatch:  # public pages not installed
            return None

    def get_urls(self):
        opts = self.model._meta
        extra = [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(preview(self)),
                name=f"{opts.app_label}_{opts.model_name}_preview",
            )
        ]
        return extra + super().get_urls()

    @admin.display(description="Preview")
    def preview_link(self, obj):
        if not obj.pk:
            return "Save first to preview."
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[obj.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Preview in the public design '
            "(opens in a new tab)</a>",
            url,
        )
