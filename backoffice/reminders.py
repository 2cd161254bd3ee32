"""The weekly review reminder: each collaborative's publishers hear what falls due.

Every model built on core.models.Reviewable takes part without being named here (case
studies, resources, contact details, programmes; events when they come): items owned by a
collaborative (an ``organisation`` field) go to its publishers, national items (no owner)
to the network administrators. Only items in service are listed (published content, current
contact details), overdue or due within ``days``.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from core.models import DUE_SOON_DAYS, reviewable_models
from core.roles import NETWORK_ADMINISTRATOR, PUBLISHER

NATIONAL = None  # the owner key of items no collaborative owns


@dataclass(frozen=True)
class DueItem:
    kind: str
    title: str
    review_by: object
    overdue: bool
    link: str


def _owned(model) -> bool:
    return any(field.name == "organisation" for field in model._meta.fields)


def due_items(base_url: str, days: int = DUE_SOON_DAYS) -> dict[int | None, list[DueItem]]:
    """What falls due, by the id of the owning collaborative (None: national)."""
    today = timezone.localdate()
    by_owner = defaultdict(list)
    for model in reviewable_models():
        opts = model._meta
        queryset = model._default_manager.in_service().falling_due(days).order_by("review_by")
        for obj in queryset:
            owner = obj.organisation_id if _owned(model) else NATIONAL
            path = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
            by_owner[owner].append(
                DueItem(
                    kind=capfirst(opts.verbose_name),
                    title=str(obj),
                    review_by=obj.review_by,
                    overdue=obj.review_by < today,
                    link=base_url.rstrip("/") + path,
                )
            )
    return by_owner


def recipients(owner: int | None):
    """A collaborative's publishers; the network administrators for national items."""
    people = User.objects.filter(is_active=True).exclude(email="")
    if owner is NATIONAL:
        return people.filter(groups__name=NETWORK_ADMINISTRATOR).distinct()
    return people.filter(groups__name=PUBLISHER, staff_profile__organisation_id=owner).distinct()


def send_review_reminders(base_url: str, days: int = DUE_SOON_DAYS) -> list[tuple[str, int]]:
    """E-mail each person what falls due; returns (address, number of items) per e-mail."""
    sent = []
    for owner, items in due_items(base_url, days).items():
        for person in recipients(owner):
            context = {
                "person": person,
                "items": items,
                "days": days,
                "site_name": settings.SITE_NAME,
                "overdue": sum(item.overdue for item in items),
            }
            send_mail(
                subject=f"{len(items)} item(s) due a review – {settings.SITE_NAME} back-office",
                message=render_to_string("backoffice/email/review_reminder.txt", context),
                from_email=None,
                recipient_list=[person.email],
            )
            sent.append((person.email, len(items)))
    return sent
