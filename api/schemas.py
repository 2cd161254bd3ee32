"""The shapes the API answers with; django-ninja turns them into the OpenAPI description."""

from datetime import date, datetime

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


class ImpactFigure(Schema):
    label: str
    value: float
    unit: str
    baseline: float | None
    target: float | None
    period: str
    source: str


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
