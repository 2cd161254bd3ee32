from django import forms
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.views.decorators.http import require_safe

from collaboratives.models import ContactDetail
from core.nulbytes import validates_nul
from postcodes.lookup import Answer, lookup

QUERY_MAX_LENGTH = 100


def contact_prefetch() -> Prefetch:
    return Prefetch(
        "contact_details",
        queryset=ContactDetail.objects.filter(is_current=True).order_by("kind", "order", "pk"),
        to_attr="current_contacts",
    )


class FindForm(forms.Form):
    q = forms.CharField(
        max_length=QUERY_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter a postcode, town, county or integrated care system",
            "max_length": f"Postcode or place must be {QUERY_MAX_LENGTH} characters or fewer",
        },
    )


def error_for(answer: Answer) -> str:
    """The message for an answer that names no collaborative."""
    query = answer.query
    if answer.kind == "outside_england":
        return (
            f"We could not find a collaborative for ‘{query}’: it is in {answer.country}. "
            "Patient safety collaboratives cover England only"
        )
    if answer.kind == "invalid_postcode":
        return (
            f"‘{query}’ is not a postcode we recognise. Enter a full postcode, like SO16 6YD, "
            "or the first part of one, like SO16"
        )
    if answer.kind == "unknown_postcode" and answer.release and " " in answer.matched:
        return (
            f"We could not find a collaborative for ‘{query}’: the postcode is not in the "
            f"{answer.release.name}. Check it is correct and in England, like SO16 6YD"
        )
    if answer.kind == "icb" and answer.icb:
        return (
            f"{answer.icb.full_name} is covered by more than one collaborative. Enter a "
            "postcode to find yours"
        )
    if answer.kind == "not_found":
        return (
            f"We could not find a place called ‘{query}’. Check the spelling, or enter a "
            "postcode instead"
        )
    return (
        f"We could not find a collaborative for ‘{query}’. Check the postcode is correct and "
        "in England, like SO16 6YD"
    )


@validates_nul
@require_safe
def find(request):
    """Find your collaborative by postcode, place or organisation name (GET, no cookies)."""
    context = {"query": "", "answer": None, "error": None, "suggestions": [], "organisations": []}
    status = 200
    if "q" in request.GET:
        typed = request.GET.get("q", "")
        context["query"] = typed.replace("\x00", "")[:QUERY_MAX_LENGTH]
        form = FindForm(request.GET)
        if not form.is_valid():
            context["error"] = form.errors["q"][0]
            if len(typed) > QUERY_MAX_LENGTH or "\x00" in typed:
                status = 400
        else:
            answer = lookup(form.cleaned_data["q"])
            context["answer"] = answer
            if answer.found:
                prefetch_related_objects(answer.organisations, contact_prefetch())
                context["organisations"] = answer.organisations
            else:
                context["error"] = error_for(answer)
                context["suggestions"] = answer.suggestions
    return render(request, "postcodes/find.jinja", context, status=status)
