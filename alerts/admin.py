"""Alert subscriptions in the admin: counts per search for staff; addresses only for network
administrators. Nothing here can be added or edited (people subscribe themselves)."""

from django.contrib import admin
from django.db.models import Count, Q

from alerts.models import Subscription
from alerts.topics import TOPICS, describe
from core.roles import is_network_administrator


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    change_list_template = "admin/alerts/subscription/change_list.html"
    list_display = ("email", "topic", "query", "frequency", "consented_at", "confirmed_at")
    list_filter = ("topic", "frequency")
    search_fields = ("email",)
    readonly_fields = (
        "email", "topic", "filters", "query", "frequency", "consent_text", "consented_at",
        "confirmed_at",
    )  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_network_administrator(request.user) and super().has_delete_permission(
            request, obj
        )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_network_administrator(request.user):
            return queryset.none()
        return queryset

    def has_view_permission(self, request, obj=None):
        if obj is not None and not is_network_administrator(request.user):
            return False
        return super().has_view_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        rows = (
            Subscription.objects.values("topic", "query", "filters")
            .annotate(
                confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
                waiting=Count("pk", filter=Q(confirmed_at__isnull=True)),
            )
            .order_by("topic", "query")
        )
        counts = [
            {
                "search": describe(TOPICS[row["topic"]], row["filters"]),
                "confirmed": row["confirmed"],
                "waiting": row["waiting"],
            }
            for row in rows
        ]
        extra_context = {
            **(extra_context or {}),
            "counts": counts,
            "shows_addresses": is_network_administrator(request.user),
        }
        return super().changelist_view(request, extra_context)
