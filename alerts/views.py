"""Signing up for alerts (double opt-in), confirming, and unsubscribing.

The finder pages only link here, so they set no cookie; the sign-up form is the one page with
a CSRF cookie. Confirm and unsubscribe links are signed, so their forms need no CSRF token
(mail clients post the one-click unsubscribe without one).
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from alerts import sending
from alerts.forms import CONSENT_TEXT, SubscribeForm
from alerts.models import Subscription
from alerts.topics import TOPICS, InvalidFilters, as_query, clean_filters, describe

# Abuse limits: sign-ups from one address (IP) an hour, and e-mails to one address a day.
SIGNUPS_PER_IP_PER_HOUR = 10
EMAILS_PER_ADDRESS_PER_DAY = 3


def _over_limit(key: str, limit: int, seconds: int) -> bool:
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key) > limit
    except ValueError:
        cache.set(key, 1, timeout=seconds)
        return False


def _address_key(email: str) -> str:
    return "alerts-address:" + hashlib.sha256(email.lower().encode()).hexdigest()


def _invalid_request(request, title: str, messages: list[str], status: int = 400):
    return render(
        request, "alerts/problem.jinja", {"title": title, "messages": messages}, status=status
    )


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request):
    topic = TOPICS.get(request.GET.get("topic", ""))
    if topic is None:
        return _invalid_request(
            request,
            "This alert cannot be set up",
            ["Start from the case studies, resources or events page and choose “e-mail alerts”."],
        )
    data = request.GET.copy()
    data.pop("topic")
    try:
        filters = clean_filters(topic, data)
    except InvalidFilters as error:
        messages = [" ".join(m) for m in error.errors.values()]
        return _invalid_request(request, "This alert cannot be set up", messages)
    query = as_query(filters).urlencode()
    form = SubscribeForm(request.POST if request.method == "POST" else None)
    context = {
        "form": form,
        "topic": topic,
        "description": describe(topic, filters),
        "search_url": reverse(topic.list_route) + (f"?{query}" if query else ""),
        "consent_text": CONSENT_TEXT,
    }
    if request.method != "POST":
        return render(request, "alerts/subscribe.jinja", context)
    ip_key = f"alerts-ip:{request.META.get('REMOTE_ADDR', '')}"
    if _over_limit(ip_key, SIGNUPS_PER_IP_PER_HOUR, 3600):
        return _invalid_request(
            request,
            "Too many sign-ups",
            ["Too many alerts have been requested from your connection. Try again in an hour."],
            status=429,
        )
    if not form.is_valid():
        return render(request, "alerts/subscribe.jinja", context, status=400)
    if form.cleaned_data["website"]:  # the honeypot: answer as usual, keep nothing
        return redirect("alerts:check_email")
    email = form.cleaned_data["email"].strip()
    if not _over_limit(_address_key(email), EMAILS_PER_ADDRESS_PER_DAY, 86400):
        _sign_up(email, topic.slug, filters, query, form.cleaned_data["frequency"])
    # The same answer whether the address was new, waiting, already subscribed or limited.
    return redirect("alerts:check_email")


def _sign_up(email, topic, filters, query, frequency) -> None:
    existing = Subscription.objects.filter(email__iexact=email, topic=topic, query=query).first()
    if existing and existing.is_confirmed:
        return
    now = timezone.now()
    values = {
        "filters": filters,
        "frequency": frequency,
        "consent_text": CONSENT_TEXT,
        "consented_at": now,
    }
    try:
        with transaction.atomic():
            if existing:
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                subscription = existing
            else:
                subscription = Subscription.objects.create(
                    email=email, topic=topic, query=query, **values
                )
    except IntegrityError:  # the same sign-up, twice at once
        return
    sending.send_confirmation(subscription)


@require_safe
def check_email(request):
    return render(
        request, "alerts/check_email.jinja", {"confirm_days": settings.ALERTS_CONFIRM_DAYS}
    )


def _bad_link(request, reason: str):
    if reason == "expired":
        messages = [
            f"Confirmation links work for {settings.ALERTS_CONFIRM_DAYS} days. Sign up again "
            "from the case studies, resources or events page."
        ]
    else:
        messages = ["Check that you copied the whole link from the e-mail."]
    return _invalid_request(request, "This link is not valid", messages)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    try:
        pk, email = sending.read_confirm_token(token)
    except sending.InvalidLink as error:
        return _bad_link(request, str(error))
    subscription = Subscription.objects.filter(pk=pk, email=email).first()
    if subscription is None:
        return _bad_link(request, "expired")
    context = {
        "subscription": subscription,
        "description": describe(TOPICS[subscription.topic], subscription.filters),
    }
    if request.method != "POST":
        template = "alerts/confirmed.jinja" if subscription.is_confirmed else "alerts/confirm.jinja"
        return render(request, template, context)
    if not subscription.is_confirmed:
        Subscription.objects.filter(pk=pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now()
        )
    return render(request, "alerts/confirmed.jinja", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    try:
        pk, email = sending.read_unsubscribe_token(token)
    except sending.InvalidLink as error:
        return _bad_link(request, str(error))
    subscription = Subscription.objects.filter(pk=pk, email=email).first()
    if request.method != "POST" and subscription is not None:
        description = describe(TOPICS[subscription.topic], subscription.filters)
        return render(request, "alerts/unsubscribe.jinja", {"description": description})
    Subscription.objects.filter(pk=pk, email=email).delete()
    return render(request, "alerts/unsubscribed.jinja")
