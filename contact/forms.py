"""The public contact form: who they are, what it is about, which collaborative, the message."""

import re

from django import forms
from django.core.exceptions import ValidationError

from casestudies.models import CaseStudy
from collaboratives.models import Organisation
from contact.models import RoutedBy, Subject
from contact.routing import find_by_place
from programmes.models import Programme

MESSAGE_MAX_LENGTH = 5000
# NUL is refused by every Django CharField already, with its own message.
_CONTROL = re.compile(r"[\x01-\x1f\x7f]")


def no_control_characters(value: str) -> None:
    if _CONTROL.search(value):
        raise ValidationError("Use letters, numbers and punctuation only, on one line.")


def _text(label, max_length, required=True, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[no_control_characters],
        error_messages={
            "required": f"Enter your {label.lower()}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


class ContactForm(forms.Form):
    name = _text("Name", 100)
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    their_organisation = _text("Organisation", 200, required=False)
    their_role = _text("Role", 200, required=False)
    subject = forms.ChoiceField(
        label="What is it about?",
        choices=Subject.choices,
        initial=Subject.GENERAL,
        error_messages={
            "required": "Select what your message is about",
            "invalid_choice": "Select what your message is about",
        },
    )
    programme = forms.ModelChoiceField(
        label="Which programme?",
        queryset=Programme.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "Select a programme from the list"},
    )
    case_study = _text("Which case study?", 300, required=False)
    collaborative = forms.ModelChoiceField(
        label="Collaborative",
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        error_messages={"invalid_choice": "Select a collaborative from the list"},
    )
    place = _text("Postcode or place", 100, required=False)
    message = forms.CharField(
        label="Your message",
        max_length=MESSAGE_MAX_LENGTH,
        min_length=10,
        error_messages={
            "required": "Enter your message",
            "min_length": "Your message must be at least 10 characters",
            "max_length": f"Your message must be {MESSAGE_MAX_LENGTH:,} characters or fewer "
            "(you entered %(show_value)d)",
        },
    )
    # A honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(required=False, max_length=1000)

    def clean_message(self):
        message = self.cleaned_data["message"].replace("\r\n", "\n")
        if _CONTROL.search(message.replace("\n", "").replace("\t", "")):
            raise ValidationError("Your message contains characters that cannot be sent")
        return message

    def clean(self):
        cleaned = super().clean()
        subject = cleaned.get("subject")
        if subject == Subject.PROGRAMME and not cleaned.get("programme"):
            self.add_error("programme", "Select the programme your message is about")
        cleaned["matched_case_study"] = None
        if subject == Subject.CASE_STUDY:
            reference = cleaned.get("case_study", "")
            if not reference and "case_study" not in self.errors:
                self.add_error("case_study", "Enter the title or web address of the case study")
            cleaned["matched_case_study"] = match_case_study(reference) if reference else None
        self._route(cleaned)
        return cleaned

    def _route(self, cleaned) -> None:
        cleaned["recipient"], cleaned["routed_by"] = None, None
        if cleaned.get("collaborative"):
            cleaned["recipient"], cleaned["routed_by"] = cleaned["collaborative"], RoutedBy.CHOICE
            return
        if "collaborative" in self.errors or "place" in self.errors:
            return
        place = cleaned.get("place", "")
        if place:
            found = find_by_place(place)
            if len(found) == 1:
                cleaned["recipient"], cleaned["routed_by"] = found[0], RoutedBy.PLACE
            elif found:
                names = " or ".join(organisation.name for organisation in found)
                self.add_error(
                    "collaborative",
                    f"“{place}” could be covered by {names}: choose one from the list",
                )
            else:
                self.add_error(
                    "place",
                    f"We could not find a collaborative for “{place}”. Check the postcode or "
                    "place, or choose a collaborative from the list",
                )
            return
        case_study = cleaned.get("matched_case_study")
        if case_study:
            cleaned["recipient"], cleaned["routed_by"] = (
                case_study.organisation,
                RoutedBy.CASE_STUDY,
            )
            return
        cleaned["recipient"] = Organisation.objects.home().first()
        cleaned["routed_by"] = RoutedBy.DEFAULT
        if cleaned["recipient"] is None:
            self.add_error("collaborative", "Choose the collaborative your message is for")


def match_case_study(reference: str) -> CaseStudy | None:
    """A published case study by its web address, slug or exact title."""
    text = reference.strip()
    slug = text.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    published = CaseStudy.objects.published().select_related("organisation")
    return (published.filter(slug=slug).first() if slug else None) or published.filter(
        title__iexact=text
    ).first()
