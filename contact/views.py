"""The contact form. It is the only public page that sets a cookie (the CSRF token its form
needs); every other public page sets none."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods, require_safe

from collaboratives.models import Organisation
from contact.forms import ContactForm
from contact.models import ContactMessage, Subject
from contact.routing import email_address_of

logger = logging.getLogger(__name__)

# Per client address: this many form submissions in RATE_WINDOW seconds, then a 429 page.
RATE_LIMIT = 10
RATE_WINDOW = 3600


def client_address(request) -> str:
    """REMOTE_ADDR: behind a proxy, the proxy must pass the client's address (gunicorn's
    forwarded_allow_ips) for the limit to be per visitor."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_rate_limit(request) -> bool:
    """Count this submission; True when the address has sent too many lately."""
    key = f"contact-rate:{client_address(request)}"
    cache.add(key, 0, RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, RATE_WINDOW)
        count = 1
    return count > RATE_LIMIT


def _initial(request) -> dict:
    """Prefill from links such as ?about=case_study&case_study=<slug> or ?programme=<slug>."""
    initial = {}
    about = request.GET.get("about", "")
    if about in Subject.values:
        initial["subject"] = about
    for name in ("programme", "collaborative"):
        value = request.GET.get(name, "")[:80]
        if value:
            initial[name] = value
            initial.setdefault("subject", Subject.PROGRAMME if name == "programme" else None)
    if request.GET.get("case_study"):
        initial["case_study"] = request.GET["case_study"][:300]
        initial["subject"] = Subject.CASE_STUDY
    return {key: value for key, value in initial.items() if value}


def _body(message: ContactMessage) -> str:
    lines = [
        f"A message from the contact form of {settings.SITE_NAME}.",
        "",
        f"From: {message.name} <{message.email}>",
    ]
    if message.their_organisation:
        lines.append(f"Organisation: {message.their_organisation}")
    if message.their_role:
        lines.append(f"Role: {message.their_role}")
    lines.append(f"About: {message.get_subject_display()}")
    if message.programme:
        lines.append(f"Programme: {message.programme.name}")
    if message.case_study_reference:
        lines.append(f"Case study: {message.case_study_reference}")
    if message.place_given:
        lines.append(f"Postcode or place given: {message.place_given}")
    lines += ["", message.message, "", "Reply to this e-mail to answer them."]
    return "\n".join(lines)


def send(message: ContactMessage) -> None:
    """E-mail the message to its collaborative, reply-to the visitor; kept either way."""
    address = email_address_of(message.organisation)
    if not address:
        return
    email = EmailMessage(
        subject=f"Contact form: {message.get_subject_display()} – {message.name}",
        body=_body(message),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        reply_to=[message.email],
    )
    try:
        email.send()
    except Exception:  # the message is stored; staff find it in the admin
        logger.exception("Contact message %s could not be e-mailed", message.pk)
        return
    message.sent_to = address
    message.save(update_fields=["sent_to"])


@never_cache
@ensure_csrf_cookie
@require_http_methods(["GET", "HEAD", "POST"])
def contact(request):
    if request.method == "POST":
        if over_rate_limit(request):
            return render(request, "contact/rate_limited.jinja", status=429)
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            recipient = data["recipient"]
            if not data.get("website"):  # a robot filled the honeypot: same page, nothing kept
                message = ContactMessage.objects.create(
                    organisation=recipient,
                    name=data["name"],
                    email=data["email"],
                    their_organisation=data["their_organisation"],
                    their_role=data["their_role"],
                    subject=data["subject"],
                    programme=data["programme"] if data["subject"] == Subject.PROGRAMME else None,
                    case_study=data["matched_case_study"],
                    case_study_reference=data["case_study"]
                    if data["subject"] == Subject.CASE_STUDY
                    else "",
                    message=data["message"],
                    routed_by=data["routed_by"],
                    place_given=data["place"],
                )
                send(message)
            return redirect(f"{reverse('contact:sent')}?{urlencode({'to': recipient.slug})}")
        status = 400
    else:
        form = ContactForm(initial=_initial(request))
        status = 200
    return render(
        request,
        "contact/contact_form.jinja",
        {
            "form": form,
            "organisations": Organisation.objects.order_by("name"),
            "retention_days": settings.CONTACT_RETENTION_DAYS,
        },
        status=status,
    )


@require_safe
def sent(request):
    recipient = Organisation.objects.filter(slug=request.GET.get("to", "")[:80]).first()
    return render(
        request,
        "contact/sent.jinja",
        {"recipient": recipient, "retention_days": settings.CONTACT_RETENTION_DAYS},
    )
