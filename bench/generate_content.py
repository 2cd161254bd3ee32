"""Fill the configured database with synthetic case studies and resources for benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/psc_bench \\
        python bench/generate_content.py --case-studies 100000 --resources 100000

Needs the reference data (``manage.py load_reference_data``; the script runs it when the
database has no programmes). Items are bulk-inserted in batches with their programme, care
setting, theme and topic links; the database trigger fills the search columns. About 95% are
published (dates spread from 2014 to now), the rest drafts or scheduled, so the public rule
has something to hide. ``--delete`` removes what earlier runs generated (slugs ``bench-...``).
Finally the tables are vacuumed and analysed so the planner sees the new sizes.
"""

import argparse
import itertools
import os
import random
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "psc_portal.settings")
os.environ.setdefault("DEBUG", "true")  # a local benchmark needs no production secrets

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from casestudies.models import CaseStudy, Theme  # noqa: E402
from collaboratives.models import Organisation  # noqa: E402
from core.publishing import PublicationStatus  # noqa: E402
from programmes.models import CareSetting, Programme  # noqa: E402
from psc_portal.caching import bump_content_generation  # noqa: E402
from resources.models import Resource, ResourceKind, Topic  # noqa: E402

SLUG_PREFIX = "bench-"

# Real words the site's readers search for, mixed with many made-up ones so that each word
# matches a realistic share of items rather than all of them.
DOMAIN_WORDS = """
deterioration sepsis news2 restore2 oximetry oxygen virtual wards care homes domiciliary
prison maternity neonatal preterm magnesium sulphate smoking pregnancy stillbirth medicines
opioids polypharmacy methotrexate prescribing dashboard mental health restraint seclusion
tranquillisation suicide self-harm asthma copd discharge bundle tracheostomy laparotomy
culture leadership improvement measurement co-design inequalities learning disability
falls pressure ulcers delirium frailty dementia handover escalation training simulation
webinar toolkit audit pathway network collaborative patients families carers staff safety
""".split()  # noqa: SIM905
SYLLABLES = """
ka lo mi ne ru sa te vo bi da fe gu ha ji ko le mu no pa qui re si tu va we xo ya zu
""".split()  # noqa: SIM905


def made_up_words(count: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        # As in real writing, a few words are in almost every item ("safety", "patients") and
        # the subject words ("opioids", "tracheostomy") each appear in a few per cent.
        self.vocabulary = made_up_words(5000, rng)
        common = ["safety", "patients", "care", "staff", "improvement"]
        for rank, word in enumerate(common):
            self.vocabulary.insert(rank * 3, word)
        subject = [word for word in DOMAIN_WORDS if word not in common]
        for offset, word in enumerate(subject):
            self.vocabulary.insert(300 + offset * 40, word)
        # Zipf-like weights: a few words are common, most are rare.
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.vocabulary))]
        self.cum_weights = list(itertools.accumulate(weights))

    def words(self, count: int) -> str:
        return " ".join(self.rng.choices(self.vocabulary, cum_weights=self.cum_weights, k=count))

    def title(self) -> str:
        return self.words(self.rng.randint(3, 7)).capitalize()

    def sentences(self, count: int) -> str:
        return " ".join(
            self.words(self.rng.randint(8, 16)).capitalize() + "." for _ in range(count)
        )


def publication(rng: random.Random, now: datetime) -> tuple[str, datetime]:
    start = datetime(2014, 1, 1, tzinfo=UTC)
    roll = rng.random()
    if roll < 0.95:
        moment = start + timedelta(seconds=rng.randint(0, int((now - start).total_seconds())))
        return PublicationStatus.PUBLISHED, moment
    if roll < 0.97:  # scheduled: published but not yet live
        return PublicationStatus.PUBLISHED, now + timedelta(days=rng.randint(1, 300))
    status = rng.choice([PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW])
    return status, now - timedelta(days=rng.randint(0, 3000))


def sample(rng: random.Random, items: list, low: int, high: int) -> list:
    return rng.sample(items, min(len(items), rng.randint(low, high)))


def link(model, relation: str, objects, chosen: list[list[int]]) -> None:
    """Bulk-insert the many-to-many rows: ``chosen[i]`` are the ids linked to ``objects[i]``."""
    field = model._meta.get_field(relation)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = [
        through(**{f"{source}_id": obj.pk, f"{target}_id": pk})
        for obj, pks in zip(objects, chosen, strict=True)
        for pk in pks
    ]
    through.objects.bulk_create(rows, batch_size=5000)


def batches(total: int, batch_size: int, build, links: dict, rng):
    """Unsaved items and their link choices, one batch at a time."""
    run = uuid.uuid4().hex[:6]
    for start in range(0, total, batch_size):
        size = min(batch_size, total - start)
        objects = [build(f"{SLUG_PREFIX}{run}-{start + i}") for i in range(size)]
        picks = {
            relation: [sample(rng, items, low, high) for _ in range(size)]
            for relation, (items, low, high) in links.items()
        }
        yield start + size, objects, picks


def generate(model, total: int, batch_size: int, build, links: dict, rng) -> None:
    started = time.perf_counter()
    label = model._meta.verbose_name_plural
    batch_source = batches(total, batch_size, build, links, rng)
    # A second thread builds the next batch while this one is written: the database driver
    # releases the GIL, so on two cores this nearly halves the time.
    with ThreadPoolExecutor(max_workers=1) as builder:
        pending = builder.submit(next, batch_source, None)
        while (batch := pending.result()) is not None:
            pending = builder.submit(next, batch_source, None)
            done, objects, picks = batch
            with transaction.atomic():
                created = model.objects.bulk_create(objects)
                for relation, chosen in picks.items():
                    link(model, relation, created, chosen)
            rate = done / (time.perf_counter() - started)
            print(f"  {label}: {done:,}/{total:,} ({rate:,.0f}/s)", end="\r")
    print(f"  {label}: {total:,} in {time.perf_counter() - started:.1f}s" + " " * 20)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case-studies", type=int, default=0, metavar="N")
    parser.add_argument("--resources", type=int, default=0, metavar="N")
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument(
        "--delete", action="store_true", help="first delete items earlier runs generated"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    db = connection.settings_dict
    print(f"Database: {connection.vendor} {db.get('NAME')}")

    if args.delete:
        for model in (CaseStudy, Resource):
            deleted, _ = model.objects.filter(slug__startswith=SLUG_PREFIX).delete()
            print(f"  deleted {deleted:,} rows for {model._meta.verbose_name_plural}")

    if not Programme.objects.exists():
        print("No reference data yet: running load_reference_data")
        call_command("load_reference_data", verbosity=0)
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    programmes = list(Programme.objects.values_list("pk", flat=True))
    settings_ = list(CareSetting.objects.values_list("pk", flat=True))
    themes = list(Theme.objects.values_list("pk", flat=True))
    topics = list(Topic.objects.values_list("pk", flat=True))
    if not organisations or not programmes:
        sys.exit("Organisations and programmes are needed: run manage.py load_reference_data.")

    text = TextMaker(rng)
    now = datetime.now(UTC)

    def case_study(slug: str) -> CaseStudy:
        status, publish_from = publication(rng, now)
        return CaseStudy(
            slug=slug,
            title=text.title(),
            summary=text.sentences(2),
            issue=text.sentences(3),
            what_we_did=text.sentences(4),
            impact=text.sentences(3),
            organisation_id=rng.choice(organisations),
            status=status,
            publish_from=publish_from,
        )

    kinds = [kind for kind, _ in ResourceKind.choices]

    def resource(slug: str) -> Resource:
        status, publish_from = publication(rng, now)
        return Resource(
            slug=slug,
            title=text.title(),
            summary=text.sentences(2),
            description=text.sentences(4),
            kind=rng.choice(kinds),
            organisation_id=rng.choice(organisations + [None]),
            url=f"https://example.org/{slug}",
            status=status,
            publish_from=publish_from,
        )

    if args.case_studies:
        generate(
            CaseStudy,
            args.case_studies,
            args.batch_size,
            case_study,
            {
                "programmes": (programmes, 1, 2),
                "care_settings": (settings_, 0, 3),
                "themes": (themes, 0, 2),
            },
            rng,
        )
    if args.resources:
        generate(
            Resource,
            args.resources,
            args.batch_size,
            resource,
            {
                "programmes": (programmes, 0, 2),
                "topics": (topics, 0, 2),
                "care_settings": (settings_, 0, 2),
            },
            rng,
        )

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for model in (CaseStudy, Resource):
                tables = [model._meta.db_table] + [
                    f.remote_field.through._meta.db_table for f in model._meta.many_to_many
                ]
                for table in tables:
                    cursor.execute(f"VACUUM (ANALYZE) {table}")
        print(f"  vacuum and analyse: {time.perf_counter() - started:.1f}s")
    bump_content_generation()  # bulk inserts send no signals: forget stored pages
    print(
        f"Now: {CaseStudy.objects.count():,} case studies "
        f"({CaseStudy.objects.published().count():,} public), "
        f"{Resource.objects.count():,} resources ({Resource.objects.published().count():,} public)"
    )


if __name__ == "__main__":
    main()
