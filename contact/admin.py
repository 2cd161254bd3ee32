from django.contrib import admin
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.html import format_html

from contact.models import ContactMessage
from core import roles


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    """The inbox of a collaborative's staff: their own messages only (network administrators
    see all). Messages are read-only apart from the handled state; nothing is linkified."""

    list_display = ["created_at", "name", "subject", "organisation", "is_handled", "sent_to"]
    list_filter = ["is_handled", "subject", "routed_by", "organisation"]
    search_fields = ["name", "email", "their_organisation", "message"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    actions = ["mark_handled", "mark_not_handled"]
    fields = [
        "created_at",
        "organisation",
        "routed_by",
        "place_given",
        "sent_to",
        "name",
        "email",
        "their_organisation",
        "their_role",
        "subject",
        "programme",
        "case_study_reference",
        "message_text",
        "is_handled",
        "handled_at",
        "handled_by",
    ]
    readonly_fields = [name for name in fields if name != "is_handled"]

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def get_list_filter(self, request):
        if roles.is_network_administrator(request.user):
            return self.list_filter
        return [name for name in self.list_filter if name != "organisation"]

    def has_add_permission(self, request):
        return False  # messages come from the public form only

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or roles.in_scope(request.user, obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.in_scope(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.in_scope(request.user, obj))

    @admin.display(description="Message")
    def message_text(self, obj):
        # Escaped, line breaks kept, links shown as text: never a clickable link from a stranger.
        return format_html("<div>{}</div>", linebreaksbr(obj.message, autoescape=True))

    def save_model(self, request, obj, form, change):
        if "is_handled" in form.changed_data:
            self._stamp(obj, request.user)
        super().save_model(request, obj, form, change)

    @staticmethod
    def _stamp(obj, user):
        obj.handled_at = timezone.now() if obj.is_handled else None
        obj.handled_by = user if obj.is_handled else None

    @admin.action(description="Mark selected as handled", permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.filter(is_handled=False).update(
            is_handled=True, handled_at=timezone.now(), handled_by=request.user
        )
        self.message_user(request, f"{count} message(s) marked as handled.")

    @admin.action(description="Mark selected as not handled", permissions=["change"])
    def mark_not_handled(self, request, queryset):
        count = queryset.filter(is_handled=True).update(
            is_handled=False, handled_at=None, handled_by=None
        )
        self.message_user(request, f"{count} message(s) marked as not handled.")
