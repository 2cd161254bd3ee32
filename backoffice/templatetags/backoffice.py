from django import template
from django.apps import apps
from django.urls import reverse

from core.publishing import PublicationStatus, Publishable
from core.richtext import rich_text as _rich_text

register = template.Library()


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


@register.inclusion_tag("admin/includes/editorial_dashboard.html", takes_context=True)
def editorial_dashboard(context, limit: int = 10):
    """'My drafts' and 'Awaiting review' for the admin home page, within the user's scope."""
    user = context["request"].user
    drafts, review = [], []
    for model in editorial_models():
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            continue
        scoped = model.objects.for_user(user).select_related("organisation").order_by("-updated_at")
        change = f"admin:{model._meta.app_label}_{model._meta.model_name}_change"
        for bucket, queryset in (
            (drafts, scoped.filter(status=PublicationStatus.DRAFT, created_by=user)),
            (review, scoped.filter(status=PublicationStatus.IN_REVIEW)),
        ):
            bucket.extend(
                {
                    "obj": obj,
                    "kind": model._meta.verbose_name,
                    "url": reverse(change, args=[obj.pk]),
                }
                for obj in queryset[:limit]
            )
    return {"my_drafts": drafts, "awaiting_review": review}
