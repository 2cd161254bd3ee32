from django import forms

from alerts.models import Frequency

CONSENT_TEXT = (
    "I agree that this website keeps my e-mail address, the search I chose, this wording and "
    "when I agreed and confirmed, only to send me these alerts. Every alert has a link to stop "
    "them, which deletes all of this."
)


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    frequency = forms.ChoiceField(
        label="How often",
        choices=Frequency.choices,
        initial=Frequency.DAILY,
        error_messages={"required": "Choose how often", "invalid_choice": "Choose how often"},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": "Tick the box to agree, or we cannot send alerts"},
    )
    # A honeypot: hidden from people by CSS, filled in by naive robots.
    website = forms.CharField(required=False, label="Leave this empty")
