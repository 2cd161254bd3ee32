import datetime

from django import template
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from core import roles
from core.models import reviewable_models
from core.publishing import PublicationStatus, Publishable
from core.richtext import rich_text as _rich_text

register = template.Library()

RECENT_DAYS = 30  # "recently published" on the dashboard


@register.filter
def nhsuk_input(bound_field):
    """Render a form field's widget with NHS.UK classes and error/hint descriptions."""
    attrs = {"class": "nhsuk-input" + (" nhsuk-input--error" if bound_field.errors else "")}
    described = [f"{bound_field.auto_id}-hint"] if bound_field.help_text else []
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def rich_text(value):
    return _rich_text(value)


def editorial_models() -> list:
    """Every model staff write and publish (each a core.publishing.Publishable)."""
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def _scoped(model, user):
    """What this user may see of a model in the admin, or None when it is not theirs to see.

    Items owned by a collaborative are scoped to the user's own; national items (a model
    without an owner, such as programmes) are the network administrators'.
    """
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return None
    queryset = model._default_manager.all()
    if hasattr(queryset, "for_user"):
        return queryset.for_user(user)
    return queryset if roles.is_network_administrator(user) else None


def _section(rows: list, counts: list) -> dict:
    return {"items": rows, "counts": counts, "total": sum(count["count"] for count in counts)}


@register.inclusion_tag("admin/includes/editorial_dashboard.html", takes_context=True)
def editorial_dashboard(context, limit: int = 10):
    """The admin home: my drafts, what awaits my review, what my collaborative published
    lately and what is overdue a review, each with counts and links, within the user's scope."""
    user = context["request"].user
    sections = {name: ([], []) for name in ("drafts", "review", "published", "overdue")}
    can_review = False
    recent = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    for model in editorial_models():
        scoped = _scoped(model, user)
        if scoped is None:
            continue
        can_review = can_review or roles.can_publish(user, model)
        wanted = {
            "drafts": (
                scoped.filter(status=PublicationStatus.DRAFT, created_by=user).order_by(
                    "-updated_at"
                ),
                f"status__exact={PublicationStatus.DRAFT}",
            ),
            "published": (
                scoped.published().filter(publish_from__gte=recent).newest_first(),
                f"status__exact={PublicationStatus.PUBLISHED}",
            ),
        }
        # Publishers review; editors see what their collaborative has waiting for a publisher.
        wanted["review"] = (
            scoped.filter(status=PublicationStatus.IN_REVIEW).order_by("updated_at"),
            f"status__exact={PublicationStatus.IN_REVIEW}",
        )
        _collect(sections, model, wanted, limit)
    for model in reviewable_models():
        scoped = _scoped(model, user)
        if scoped is not None:
            wanted = {
                "overdue": (scoped.in_service().overdue().order_by("review_by"), "review=overdue")
            }
            _collect(sections, model, wanted, limit)
    result = {name: _section(*rows) for name, rows in sections.items()}
    return {**result, "can_review": can_review, "recent_days": RECENT_DAYS}


def _collect(sections: dict, model, wanted: dict, limit: int) -> None:
    opts = model._meta
    change = f"admin:{opts.app_label}_{opts.model_name}_change"
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    for name, (queryset, query) in wanted.items():
        rows, counts = sections[name]
        # Always a count and a list query, so the page's query count does not depend on data.
        count = queryset.count()
        if count:
            counts.append(
                {
                    "label": capfirst(opts.verbose_name_plural),
                    "count": count,
                    "url": f"{changelist}?{query}",
                }
            )
        if "organisation" in {field.name for field in opts.fields}:
            queryset = queryset.select_related("organisation")
        rows.extend(
            {"obj": obj, "kind": opts.verbose_name, "url": reverse(change, args=[obj.pk])}
            for obj in queryset[:limit]
        )
