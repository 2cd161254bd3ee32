"""The shapes the API answers with; django-ninja turns them into the OpenAPI description."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field


class Error(Schema):
    detail: str = Field(description="What was wrong, in a sentence.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages for each parameter that was refused."
    )


class LookupRefusal(Schema):
    """The lookup's own error shape, {"error": "..."}."""

    error: str = Field(description="What was wrong with q, in a sentence.")


class LookupOrganisation(Schema):
    slug: str
    acronym: str
    name: str
    psc_name: str
    former_names: list[str]
    url: str = Field(description="The collaborative's page on this site.")
    contact_url: str | None = Field(description="Website, or a mailto: link, when recorded.")
    share: float | None = Field(description="For a district or sector: its share of postcodes.")
    postcodes: int | None


class LookupShare(Schema):
    organisation: str | None
    icb_code: str | None
    country: str | None
    postcodes: int
    share: float


class LookupBoard(Schema):
    code: str
    ods_code: str | None
    name: str


class LookupRelease(Schema):
    name: str
    date: str | None
    imported_at: str


class LookupData(Schema):
    source: str = Field(description="The data the answer rests on, in words.")
    release: LookupRelease | None


class LookupAnswer(Schema):
    query: str
    kind: str = Field(description="What matched: a postcode, district, sector, place, …")
    matched: str
    found: bool
    message: str | None
    organisations: list[LookupOrganisation]
    shares: list[LookupShare]
    icb: LookupBoard | None
    country: str | None
    terminated: str | None = Field(description="For a retired postcode: when (YYYY-MM).")
    not_in_directory: bool | None
    notes: list[str]
    data: LookupData


VariationIcon = Literal[
    "common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
    "neither_high", "neither_low",
]  # fmt: skip
AssuranceIcon = Literal["consistent_pass", "consistent_fail", "hit_and_miss"]


class Term(Schema):
    slug: str
    name: str


class RichText(Schema):
    html: str = Field(description="Clean HTML (headings, paragraphs, lists, links, emphasis).")
    text: str = Field(description="The same as plain text, paragraphs separated by blank lines.")


class ContactFact(Schema):
    kind: str
    value: str
    is_current: bool


class Organisation(Schema):
    slug: str
    acronym: str
    name: str
    former_names: list[str]
    psc_name: str
    host_organisation: str
    territory: str
    territory_notes: str
    summary: str
    integrated_care_systems: list[str] = Field(description="ICSs the organisation covers.")
    contacts: list[ContactFact] = Field(description="Verified contact facts only.")
    url: str = Field(description="The public page.")


class Workstream(Schema):
    slug: str
    name: str
    aim: str


class ProgrammeMeasure(Schema):
    key: str
    label: str
    target: str
    period: str
    target_date: date | None
    source: str
    source_url: str
    workstream: str | None = Field(description="The workstream's slug, if the target has one.")


class Programme(Schema):
    slug: str
    name: str
    short_name: str
    summary: str
    aims: str
    status: str
    status_note: str
    status_from: date | None
    principles: list[Term]
    workstreams: list[Workstream]
    measures: list[ProgrammeMeasure]
    url: str


class Link(Schema):
    slug: str
    name: str
    url: str = Field(description="The public page.")


class ImpactFigure(Schema):
    label: str
    value: float
    unit: str
    baseline: float | None
    target: float | None
    period: str
    source: str
    measure: str | None = Field(
        description="The slug of the published improvement measure the figure comes from."
    )


class Quote(Schema):
    text: str
    attribution: str
    role: str


class CaseStudySections(Schema):
    issue: RichText
    what_we_did: RichText
    impact: RichText
    next_steps: RichText


class CaseStudy(Schema):
    slug: str
    title: str
    summary: str
    organisation: Term
    publish_from: datetime
    updated_at: datetime
    sections: CaseStudySections
    impact_figures: list[ImpactFigure]
    measures: list[Link] = Field(description="Published improvement measures showing impact.")
    quotes: list[Quote]
    programmes: list[Term]
    workstreams: list[Term]
    settings: list[Term]
    themes: list[Term]
    url: str


class Resource(Schema):
    slug: str
    title: str
    summary: str
    description: RichText
    kind: str
    kind_label: str
    organisation: Term | None
    publish_from: datetime
    updated_at: datetime
    published_on: date | None = Field(description="When the material itself was published.")
    file_type: str
    file_size: int | None = Field(description="Bytes, for an uploaded file.")
    download_url: str | None = Field(description="The uploaded file, if there is one.")
    link: str | None = Field(description="Material held elsewhere, if it is a link.")
    programmes: list[Term]
    topics: list[Term]
    settings: list[Term]
    url: str


class LatestValue(Schema):
    period: date
    value: float


class MeasureSummary(Schema):
    slug: str
    name: str
    definition: str
    unit: str
    direction: Literal["increase", "decrease", "neither"] = Field(
        description="Which way is better."
    )
    direction_label: str
    target: float | None
    target_from: date | None = Field(description="The target applies from this date.")
    frequency: Literal["weekly", "monthly", "quarterly"] = Field(
        description="Weeks are dated by their day; months and quarters by their first day."
    )
    data_source: str
    baseline_points: int | None = Field(
        description="Limits come from the first N points of each phase; null: every point."
    )
    is_illustrative: bool = Field(description="True for made-up demonstration figures.")
    organisation: Term
    programmes: list[Link]
    workstreams: list[Term]
    case_studies: list[Link] = Field(description="Published case studies that cite it.")
    point_count: int
    latest: LatestValue | None
    variation_icon: VariationIcon | None = Field(
        description="Making Data Count variation icon for the latest point; null with no data."
    )
    variation_label: str
    assurance_icon: AssuranceIcon | None = Field(
        description="Making Data Count assurance icon; null without a target, without a "
        "better direction or without reliable limits."
    )
    assurance_label: str
    summary: str = Field(description="What the chart shows, in a sentence or two.")
    publish_from: datetime
    updated_at: datetime
    url: str = Field(description="The chart page.")
    csv_url: str = Field(description="Every data point with its limits and flags, as CSV.")


class MeasurePoint(Schema):
    period: date
    value: float
    numerator: float | None
    denominator: float | None
    annotation: str
    phase: int = Field(description="Index of the phase (0 first) the point belongs to.")
    in_baseline: bool = Field(description="Whether the point was used for the limits.")
    mean: float
    lower: float | None = Field(description="Lower process limit; null in a one-point phase.")
    upper: float | None = Field(description="Upper process limit; null in a one-point phase.")
    flags: list[Literal["beyond_limit", "shift", "trend", "two_of_three"]] = Field(
        description="The special-cause rules the point breaks, computed as on the chart."
    )
    classification: Literal["improvement", "concern", "neither"] | None
    side: Literal["high", "low"] | None


class MeasurePhase(Schema):
    index: int
    start: date
    end: date
    point_count: int
    baseline_count: int
    mean: float
    lower: float | None
    upper: float | None
    limits_reliable: bool = Field(description="False when fewer than 12 points set them.")
    reason: str = Field(description="Why the limits were recalculated (empty for the first).")


class Measure(MeasureSummary):
    points: list[MeasurePoint]
    phases: list[MeasurePhase]


class Material(Schema):
    slug: str
    title: str
    kind: str
    url: str
    download_url: str | None
    link: str | None


class Event(Schema):
    slug: str
    title: str
    summary: str
    description: RichText
    start: datetime = Field(description="UTC.")
    end: datetime = Field(description="UTC.")
    when: str = Field(description="The date and times in words, UK time.")
    format: Literal["online", "in_person", "hybrid"]
    format_label: str
    is_cancelled: bool
    is_past: bool
    location: str = Field(description="Venue or joining instructions; empty until known.")
    booking_url: str | None
    capacity_note: str
    is_illustrative: bool = Field(description="True for an illustrative (demo) event.")
    organisation: Link
    programmes: list[Link]
    settings: list[Term]
    topics: list[Term]
    materials: list[Material] = Field(description="Recording and slides, once it has ended.")
    publish_from: datetime
    updated_at: datetime
    url: str = Field(description="The public page.")
    ics_url: str = Field(description="The event as an iCalendar file.")


class MeasurePage(Schema):
    items: list[MeasureSummary]
    next_cursor: str | None
    next: str | None


class EventPage(Schema):
    items: list[Event]
    next_cursor: str | None
    next: str | None


class OrganisationList(Schema):
    items: list[Organisation]


class ProgrammeList(Schema):
    items: list[Programme]


class CaseStudyPage(Schema):
    items: list[CaseStudy]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page.")
    next: str | None = Field(description="The next page's full address, or null at the end.")


class ResourcePage(Schema):
    items: list[Resource]
    next_cursor: str | None
    next: str | None
