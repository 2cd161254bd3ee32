"""Demo events, read from a TOML file and loaded once per slug (see core.demo).

Every demo event is an illustrative example: the public sources name no real events.
"""

from datetime import datetime, time, timedelta
from pathlib import Path

from django.utils import timezone

from collaboratives.models import Organisation
from core.demo import LoadReport, Vocabulary, fields, read_toml, required
from events.dates import UK
from events.models import Event
from programmes.models import CareSetting, Programme
from resources.models import Resource, Topic

EVENTS_FILE = Path(__file__).resolve().parent / "data" / "demo_events.toml"
EVENT_FIELDS = ("slug", "title", "summary", "description", "format", "status")
LABEL = "Events"


def demo_times(item: dict, today) -> tuple[datetime, datetime]:
    """The start and end of a demo event, in UK time, relative to ``today``."""
    day = today + timedelta(days=item["starts_in_days"])
    start = datetime.combine(day, time.fromisoformat(item["start_time"]), tzinfo=UK)
    return start, start + timedelta(minutes=item["duration_minutes"])


def load_demo_content(report: LoadReport, path: Path = EVENTS_FILE) -> None:
    """Create every demo event whose slug is not yet taken. Call inside a transaction."""
    data = read_toml(path)
    items = data.get("event", [])
    report.labels.append(LABEL)
    organisations = required(Organisation, {item["organisation"] for item in items})
    programmes = required(
        Programme, {slug for item in items for slug in item.get("programmes", [])}
    )
    care_settings = Vocabulary(CareSetting, "Care settings", data.get("care_settings", {}), report)
    topics = Vocabulary(Topic, "Topics", data.get("topics", {}), report)
    today = timezone.localdate(timezone=UK)

    existing = set(Event.objects.values_list("slug", flat=True))
    for item in items:
        if item["slug"] in existing:
            report.kept[LABEL] += 1
            continue
        start, end = demo_times(item, today)
        event = Event(
            organisation=organisations[item["organisation"]],
            start=start,
            end=end,
            is_illustrative=True,
            publish_from=timezone.now() - timedelta(days=60),
            **fields(item, EVENT_FIELDS),
        )
        event.full_clean()
        event.save()
        event.programmes.set(programmes[slug] for slug in item.get("programmes", []))
        event.care_settings.set(care_settings.get_all(item.get("care_settings", [])))
        event.topics.set(topics.get_all(item.get("topics", [])))
        event.materials.set(Resource.objects.filter(slug__in=item.get("materials", [])))
        report.created[LABEL] += 1
