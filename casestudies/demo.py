"""Demo case studies, read from a TOML file and loaded once per slug (see core.demo)."""

from decimal import Decimal
from pathlib import Path

from casestudies.models import CaseStudy, Contact, ImpactFigure, Quote, Theme
from collaboratives.models import Organisation
from core.demo import PUBLISHABLE_FIELDS, LoadReport, Vocabulary, fields, read_toml, required
from programmes.models import CareSetting, Programme, Workstream

CASE_STUDIES_FILE = Path(__file__).resolve().parent / "data" / "demo_case_studies.toml"
CASE_STUDY_FIELDS = (*PUBLISHABLE_FIELDS, "issue", "what_we_did", "impact", "next_steps")
LABEL = "Case studies"


def load_demo_content(report: LoadReport, path: Path = CASE_STUDIES_FILE) -> None:
    """Create every demo case study whose slug is not yet taken. Call inside a transaction."""
    data = read_toml(path)
    items = data.get("case_study", [])
    report.labels.append(LABEL)
    organisations = required(Organisation, {item["organisation"] for item in items})
    programmes = required(
        Programme, {slug for item in items for slug in item.get("programmes", [])}
    )
    care_settings = Vocabulary(CareSetting, "Care settings", data.get("care_settings", {}), report)
    themes = Vocabulary(Theme, "Themes", data.get("themes", {}), report)
    contacts = data.get("contacts", {})

    existing = set(CaseStudy.objects.values_list("slug", flat=True))
    for item in items:
        if item["slug"] in existing:
            report.kept[LABEL] += 1
            continue
        case_study = CaseStudy(
            organisation=organisations[item["organisation"]],
            **fields(item, CASE_STUDY_FIELDS),
        )
        case_study.full_clean()
        case_study.save()
        case_study.programmes.set(programmes[slug] for slug in item.get("programmes", []))
        case_study.workstreams.set(_workstreams(item.get("workstreams", []), report))
        case_study.care_settings.set(care_settings.get_all(item.get("care_settings", [])))
        case_study.themes.set(themes.get_all(item.get("themes", [])))
        _add_children(case_study, item, contacts)
        report.created[LABEL] += 1


def _workstreams(refs: list[str], report: LoadReport) -> list[Workstream]:
    found = []
    for ref in refs:
        programme_slug, _, slug = ref.partition("/")
        workstream = Workstream.objects.filter(programme__slug=programme_slug, slug=slug).first()
        if workstream is None:
            report.unlinked_workstreams.add(ref)
        else:
            found.append(workstream)
    return found


def _add_children(case_study: CaseStudy, item: dict, contacts: dict) -> None:
    for order, figure in enumerate(item.get("figures", [])):
        numbers = {
            name: Decimal(str(figure[name]))
            for name in ("value", "baseline", "target")
            if name in figure
        }
        text = {
            name: figure[name] for name in ("label", "unit", "period", "source") if name in figure
        }
        ImpactFigure.objects.create(case_study=case_study, order=order, **numbers, **text)
    for order, quote in enumerate(item.get("quotes", [])):
        Quote.objects.create(
            case_study=case_study,
            order=order,
            text=quote["text"].strip(),
            attribution=quote["attribution"],
            role=quote.get("role", ""),
        )
    for order, key in enumerate(item.get("contacts", [])):
        Contact.objects.create(case_study=case_study, order=order, **contacts[key])
