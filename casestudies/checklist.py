"""The publication checklist a case study passes before it is sent for review.

After NICE's shared-learning standard: a summary, the issue, what was done, the impact with at
least one figure that can be checked (baseline, period, source), how it was evaluated, funding
declared, and consent recorded for everyone named.

The checklist reads plain values so the admin can check what is on the form (figures, quotes
and contacts not yet saved) as well as what is stored.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casestudies.models import CaseStudy, FundingDeclaration
from core.richtext import is_blank


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool


def _has_text(value) -> bool:
    return not is_blank(str(value or ""))


def _checkable(figure: Mapping) -> bool:
    return (
        figure.get("baseline") is not None
        and bool(str(figure.get("period") or "").strip())
        and bool(str(figure.get("source") or "").strip())
    )


def checklist(
    fields: Mapping,
    figures: Iterable[Mapping],
    quotes: Iterable[Mapping],
    contacts: Iterable[Mapping],
) -> list[ChecklistItem]:
    """Each item of the checklist, done or not, for these values."""
    funding = fields.get("funding_declaration") or ""
    funding_done = funding == FundingDeclaration.NONE or (
        funding == FundingDeclaration.DECLARED and _has_text(fields.get("funding_details"))
    )
    named_contacts = [c for c in contacts if str(c.get("name") or "").strip()]
    quotes = list(quotes)
    return [
        ChecklistItem("A summary", _has_text(fields.get("summary"))),
        ChecklistItem("The issue the work set out to address", _has_text(fields.get("issue"))),
        ChecklistItem("What was done", _has_text(fields.get("what_we_did"))),
        ChecklistItem("The impact, described in words", _has_text(fields.get("impact"))),
        ChecklistItem(
            "At least one impact figure with a baseline, a period and a source",
            any(_checkable(figure) for figure in figures),
        ),
        ChecklistItem("How the work was evaluated", _has_text(fields.get("evaluation"))),
        ChecklistItem("Funding or industry sponsorship declared (or “none” chosen)", funding_done),
        ChecklistItem(
            "Consent recorded for every named contact and every quote",
            all(c.get("consent_recorded") for c in named_contacts)
            and all(q.get("consent_recorded") for q in quotes),
        ),
    ]


def checklist_for(case_study: CaseStudy) -> list[ChecklistItem]:
    """The checklist for a case study as stored (a new one has no figures yet)."""
    fields = {
        name: getattr(case_study, name)
        for name in (
            "summary",
            "issue",
            "what_we_did",
            "impact",
            "evaluation",
            "funding_declaration",
            "funding_details",
        )
    }
    if case_study.pk is None:
        return checklist(fields, [], [], [])
    return checklist(
        fields,
        case_study.figures.values("baseline", "period", "source"),
        case_study.quotes.values("consent_recorded"),
        case_study.contacts.values("name", "consent_recorded"),
    )


def missing(items: Iterable[ChecklistItem]) -> list[str]:
    return [item.label for item in items if not item.done]
