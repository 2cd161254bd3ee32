"""The whole site's reference and demo data, each part loaded by the app that owns it."""

from django.db import transaction

from casestudies import demo as casestudy_demo
from casestudies import loader as casestudy_reference
from collaboratives import loader as collaborative_reference
from core.demo import LoadReport as DemoReport
from core.reference import Loader, LoadReport
from events import demo as event_demo
from measures import demo as measure_demo
from postcodes.loader import load_icbs
from programmes import loader as programme_reference
from resources import demo as resource_demo
from resources import loader as resource_reference

# Order matters: programmes and case studies refer to organisations and care settings.
REFERENCE_LOADERS = (
    collaborative_reference.load,
    programme_reference.load,
    casestudy_reference.load,
    resource_reference.load,
)
# Events link to demo resources (their recordings and slides), so they come after them.
DEMO_LOADERS = (
    casestudy_demo.load_demo_content,
    resource_demo.load_demo_content,
    measure_demo.load_demo_content,
    event_demo.load_demo_content,
)


def load_reference_data(*, dry_run: bool = False) -> LoadReport:
    """Load every reference data file in one transaction; roll it back when ``dry_run``."""
    report = LoadReport()
    loader = Loader(report)
    with transaction.atomic():
        for load in REFERENCE_LOADERS:
            load(loader)
        # The boards and which collaborative covers each: only what is not there yet.
        load_icbs()
        if dry_run:
            transaction.set_rollback(True)
    return report


def load_demo_content() -> DemoReport:
    """Every app's demo content, created once per slug. Call inside a transaction."""
    report = DemoReport()
    for load in DEMO_LOADERS:
        load(report)
    return report
