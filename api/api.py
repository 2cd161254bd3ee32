"""The read-only open-data API (django-ninja): published content only, described by the
OpenAPI 3.1 document it serves at /api/openapi.json.

Lists take the same filters as the public finders (the same django-filter FilterSets, so a
finder's query string works here unchanged) and page with an opaque signed cursor, newest
first. Any list is also CSV: ``?format=csv`` or the ``.csv`` address.

Adding an endpoint: declare it on ``api`` below (or ``api.add_router(prefix, router)`` for a
whole app's router), with a response schema for every status it can answer; the OpenAPI
document and the schemathesis run in tests/test_api_schema.py pick it up. A postcode lookup,
for example, belongs here as ``@api.get("/lookup", response={200: ..., 400: Error})``.
"""

from typing import Literal

from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError
from pydantic import Field

from api import cursor, schemas, serialise
from casestudies.filters import CaseStudyFilter
from casestudies.models import CaseStudy
from core import search
from events.filters import EventFilter
from events.models import Event, EventFormat
from measures.filters import MeasureFilter
from measures.models import Measure
from postcodes.api import lookup_answer
from resources.filters import ResourceFilter
from resources.models import Resource, ResourceKind

DEFAULT_LIMIT = 20
MAX_LIMIT = 100  # items on one JSON page
CSV_MAX_ROWS = 10_000  # rows in one CSV download; more follow through the Link header
# Parameters that are not the finder's filters. `format` is also the events finder's
# "online or in person" filter: its values json and csv choose the output, the others filter.
NOT_FILTERS = ("cursor", "limit", "when")
OUTPUTS = ("json", "csv")
ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}
CSV_CONTENT = {"text/csv": {"schema": {"type": "string"}}}

DESCRIPTION = """Published content of the Patient Safety Collaborative portal, read-only and
anonymous. Our own text and data are available under the Open Government Licence v3.0.
Lists are newest first and paged with `cursor`; add `format=csv` (or use the `.csv` address)
for a CSV download with the same filters. Unknown parameters are refused with 400. Requests are
rate-limited per IP address (429 with Retry-After)."""

api = NinjaAPI(
    title="Patient Safety Collaborative open data API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def refuse_invalid_parameters(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # The parameter's name: the last name in the location (a list item adds its index).
        location = error.get("loc") or ("request",)
        name = next((part for part in reversed(location) if isinstance(part, str)), "request")
        errors.setdefault(name, []).append(error.get("msg", "Not valid."))
    return api.create_response(
        request, {"detail": "Some parameters are not valid.", "errors": errors}, status=400
    )


def _refusal(detail: str, errors: dict | None = None):
    return Status(400, {"detail": detail, "errors": errors or {}})


def _unknown_parameters(request, allowed) -> tuple | None:
    unknown = sorted(set(request.GET) - set(allowed))
    if unknown:
        return _refusal(
            f"Unknown parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            {name: ["This API does not take this parameter."] for name in unknown},
        )
    return None


def _absolute(request):
    return request.build_absolute_uri


def _csv_response(rows, columns, filename, next_url=None) -> HttpResponse:
    response = HttpResponse(serialise.to_csv(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if next_url:
        response["Link"] = f'<{next_url}>; rel="next"'
    return response


# --- Parameters -------------------------------------------------------------------------


class Pages(Schema):
    cursor: str = Field("", description="From `next_cursor` of the previous page.")
    limit: int = Field(
        DEFAULT_LIMIT,
        ge=1,
        le=CSV_MAX_ROWS,
        description=f"Items per page: 1 to {MAX_LIMIT} for JSON (default {DEFAULT_LIMIT}); "
        f"rows for CSV, 1 to {CSV_MAX_ROWS:,} (default {CSV_MAX_ROWS:,}).",
    )


class Paging(Pages):
    format: Literal["json", "csv"] = Field("json", description="`csv` for a CSV download.")


class FinderParams(Paging):
    q: str = Field("", max_length=search.MAX_QUERY_LENGTH, description="Search words.")
    programme: list[str] = Field(default_factory=list, description="Programme slugs.")
    setting: list[str] = Field(default_factory=list, description="Care-setting slugs.")
    sort: Literal["relevance", "newest"] = Field(
        "newest",
        description="Accepted so that finder addresses work; the API lists newest first.",
    )


class CaseStudyParams(FinderParams):
    collaborative: list[str] = Field(default_factory=list, description="Organisation slugs.")
    theme: list[str] = Field(default_factory=list, description="Theme slugs.")
    year: list[int] = Field(default_factory=list, description="Years published.")


class ResourceParams(FinderParams):
    kind: list[Literal[tuple(ResourceKind.values)]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="Kinds of resource."
    )
    topic: list[str] = Field(default_factory=list, description="Topic slugs.")


class MeasureParams(Paging):
    programme: list[str] = Field(default_factory=list, description="Programme slugs.")
    organisation: list[str] = Field(default_factory=list, description="Organisation slugs.")


class EventParams(Pages):
    when: Literal["upcoming", "past"] = Field(
        "upcoming",
        description="`upcoming` (not yet ended, soonest first) or `past` (most recent first).",
    )
    q: str = Field("", max_length=search.MAX_QUERY_LENGTH, description="Search words.")
    programme: list[str] = Field(default_factory=list, description="Programme slugs.")
    collaborative: list[str] = Field(default_factory=list, description="Organisation slugs.")
    format: list[Literal[(*OUTPUTS, *EventFormat.values)]] = Field(  # type: ignore[valid-type]
        default_factory=list,
        description="As the events finder: `online`, `in_person` or `hybrid` (any number). "
        "Add `csv` for a CSV download.",
    )
    month: list[str] = Field(
        default_factory=list, description="Months the events start in, UK time, as YYYY-MM."
    )


class FormatParam(Schema):
    format: Literal["json", "csv"] = Field("json", description="`csv` for a CSV download.")


# --- Finder lists: case studies and resources ------------------------------------------


def _wants_csv(request, params) -> bool:
    chosen = params.format if isinstance(params.format, list) else [params.format]
    return "csv" in chosen or request.path.endswith(".csv")


def _filter_data(request) -> QueryDict:
    """The query string less paging and output: what the finder's FilterSet reads."""
    data = QueryDict(mutable=True)
    for key in request.GET:
        if key in NOT_FILTERS:
            continue
        values = request.GET.getlist(key)
        if key == "format":
            values = [value for value in values if value not in OUTPUTS]
        if values:
            data.setlist(key, values)
    return data


def newest_first(queryset):
    return queryset.newest_first()


def finder_list(
    request,
    params,
    *,
    model,
    filterset_class,
    serialiser,
    row,
    columns,
    name,
    queryset=None,
    order=newest_first,
    cursor_field="publish_from",
    descending=True,
    deferred=("search_vector",),
):
    allowed = set(type(params).model_fields)
    refused = _unknown_parameters(request, allowed)
    if refused:
        return refused
    is_csv = _wants_csv(request, params)
    limit = params.limit if "limit" in request.GET else (CSV_MAX_ROWS if is_csv else DEFAULT_LIMIT)
    if not is_csv and limit > MAX_LIMIT:
        return _refusal(
            f"limit must be between 1 and {MAX_LIMIT} for JSON.",
            {"limit": [f"Ask for at most {MAX_LIMIT} items a page (or use CSV)."]},
        )
    if queryset is None:
        queryset = model.objects.published()
    filterset = filterset_class(_filter_data(request), queryset=queryset, request=request)
    if not filterset.is_valid():
        errors = {key: list(messages) for key, messages in filterset.form.errors.items()}
        return _refusal("Some filters are not valid.", errors)
    queryset = order(filterset.qs)
    if params.cursor:
        try:
            queryset = queryset.filter(cursor.after(params.cursor, cursor_field, descending))
        except cursor.InvalidCursor as error:
            return _refusal(str(error), {"cursor": [str(error)]})
    if deferred:
        queryset = queryset.defer(*deferred)
    found = list(serialiser.queryset(queryset)[: limit + 1])
    page, more = found[:limit], len(found) > limit
    next_cursor = cursor.encode(page[-1], cursor_field, descending) if more else None
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    absolute = _absolute(request)
    items = [serialiser.data(obj, absolute) for obj in page]
    if is_csv:
        return _csv_response([row(item) for item in items], columns, f"{name}.csv", next_url)
    return {"items": items, "next_cursor": next_cursor, "next": next_url}


class _Serialiser:
    def __init__(self, queryset, data):
        self.queryset, self.data = queryset, data


CASE_STUDIES = {
    "model": CaseStudy,
    "filterset_class": CaseStudyFilter,
    "serialiser": _Serialiser(serialise.case_studies, serialise.case_study),
    "row": serialise.case_study_row,
    "columns": serialise.CASE_STUDY_COLUMNS,
    "name": "case-studies",
}
RESOURCES = {
    "model": Resource,
    "filterset_class": ResourceFilter,
    "serialiser": _Serialiser(serialise.resources, serialise.resource),
    "row": serialise.resource_row,
    "columns": serialise.RESOURCE_COLUMNS,
    "name": "resources",
}


@api.get(
    "/case-studies",
    response={200: schemas.CaseStudyPage, **ERRORS},
    openapi_extra={"responses": {200: {"content": CSV_CONTENT}}},
    tags=["Case studies"],
    summary="Published case studies, with the case-study finder's filters",
)
def list_case_studies(request, params: Query[CaseStudyParams]):
    return finder_list(request, params, **CASE_STUDIES)


@api.get(
    "/case-studies.csv",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "CSV", "content": CSV_CONTENT}}},
    tags=["Case studies"],
    summary="Published case studies as CSV",
    url_name="case_studies_csv",
)
def case_studies_csv(request, params: Query[CaseStudyParams]):
    return finder_list(request, params, **CASE_STUDIES)


@api.get(
    "/case-studies/{slug}",
    response={200: schemas.CaseStudy, **ERRORS},
    tags=["Case studies"],
    summary="One published case study",
)
def case_study(request, slug: str):
    refused = _unknown_parameters(request, ())
    if refused:
        return refused
    obj = get_object_or_404(serialise.case_studies(CaseStudy.objects.published()), slug=slug)
    return serialise.case_study(obj, _absolute(request))


@api.get(
    "/resources",
    response={200: schemas.ResourcePage, **ERRORS},
    openapi_extra={"responses": {200: {"content": CSV_CONTENT}}},
    tags=["Resources"],
    summary="Published resources, with the resource library's filters",
)
def list_resources(request, params: Query[ResourceParams]):
    return finder_list(request, params, **RESOURCES)


@api.get(
    "/resources.csv",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "CSV", "content": CSV_CONTENT}}},
    tags=["Resources"],
    summary="Published resources as CSV",
    url_name="resources_csv",
)
def resources_csv(request, params: Query[ResourceParams]):
    return finder_list(request, params, **RESOURCES)


@api.get(
    "/resources/{slug}",
    response={200: schemas.Resource, **ERRORS},
    tags=["Resources"],
    summary="One published resource",
)
def resource(request, slug: str):
    refused = _unknown_parameters(request, ())
    if refused:
        return refused
    obj = get_object_or_404(serialise.resources(Resource.objects.published()), slug=slug)
    return serialise.resource(obj, _absolute(request))


# --- Reference data: organisations and programmes (all public, small: one page) ----------


def reference_list(request, params, queryset, data, row, columns, name):
    refused = _unknown_parameters(request, ("format",))
    if refused:
        return refused
    items = [data(obj, _absolute(request)) for obj in queryset]
    if params.format == "csv" or request.path.endswith(".csv"):
        return _csv_response([row(item) for item in items], columns, f"{name}.csv")
    return {"items": items}


@api.get(
    "/organisations",
    response={200: schemas.OrganisationList, **ERRORS},
    openapi_extra={"responses": {200: {"content": CSV_CONTENT}}},
    tags=["Organisations"],
    summary="The collaboratives' host organisations",
)
def list_organisations(request, params: Query[FormatParam]):
    return reference_list(
        request,
        params,
        serialise.organisations(),
        serialise.organisation,
        serialise.organisation_row,
        serialise.ORGANISATION_COLUMNS,
        "organisations",
    )


@api.get(
    "/organisations.csv",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "CSV", "content": CSV_CONTENT}}},
    tags=["Organisations"],
    summary="The organisations as CSV",
)
def organisations_csv(request, params: Query[FormatParam]):
    return list_organisations(request, params)


@api.get(
    "/organisations/{slug}",
    response={200: schemas.Organisation, **ERRORS},
    tags=["Organisations"],
    summary="One organisation",
)
def organisation(request, slug: str):
    refused = _unknown_parameters(request, ())
    if refused:
        return refused
    obj = get_object_or_404(serialise.organisations(), slug=slug)
    return serialise.organisation(obj, _absolute(request))


@api.get(
    "/programmes",
    response={200: schemas.ProgrammeList, **ERRORS},
    openapi_extra={"responses": {200: {"content": CSV_CONTENT}}},
    tags=["Programmes"],
    summary="The National Patient Safety Improvement Programmes",
)
def list_programmes(request, params: Query[FormatParam]):
    return reference_list(
        request,
        params,
        serialise.programmes(),
        serialise.programme,
        serialise.programme_row,
        serialise.PROGRAMME_COLUMNS,
        "programmes",
    )


@api.get(
    "/programmes.csv",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "CSV", "content": CSV_CONTENT}}},
    tags=["Programmes"],
    summary="The programmes as CSV",
)
def programmes_csv(request, params: Query[FormatParam]):
    return list_programmes(request, params)


@api.get(
    "/programmes/{slug}",
    response={200: schemas.Programme, **ERRORS},
    tags=["Programmes"],
    summary="One programme, with its workstreams and published targets",
)
def programme(request, slug: str):
    refused = _unknown_parameters(request, ())
    if refused:
        return refused
    obj = get_object_or_404(serialise.programmes(), slug=slug)
    return serialise.programme(obj, _absolute(request))


@api.get(
    "/lookup",
    response={200: schemas.LookupAnswer, 400: schemas.LookupRefusal, 429: schemas.Error},
    tags=["Find your collaborative"],
    summary="The collaborative for a postcode, district, place or organisation name",
    description="Matches a full postcode through the ONS postcode directory (its integrated "
    "care board, then the collaborative covering it), a district or sector (every "
    "collaborative with its share of the postcodes), then place, county and board names. The "
    "answer says what matched and on which data release.",
)
def lookup(request, q: str | None = None):
    return Status(*lookup_answer(request, q))


# --- Measures and events -----------------------------------------------------------------

MEASURES = {
    "model": Measure,
    "filterset_class": MeasureFilter,
    "serialiser": _Serialiser(serialise.measures, serialise.measure),
    "row": serialise.measure_row,
    "columns": serialise.MEASURE_COLUMNS,
    "name": "measures",
    "deferred": (),
}


@api.get(
    "/measures",
    response={200: schemas.MeasurePage, **ERRORS},
    openapi_extra={"responses": {200: {"content": CSV_CONTENT}}},
    tags=["Measures"],
    summary="Published improvement measures with their Making Data Count icons",
    description="Newest first. Each measure gives its latest value, variation and assurance "
    "icons and a summary; the data points with their limits and flags are in the measure's "
    "own answer and its `csv_url`.",
)
def list_measures(request, params: Query[MeasureParams]):
    return finder_list(request, params, **MEASURES)


@api.get(
    "/measures.csv",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "CSV", "content": CSV_CONTENT}}},
    tags=["Measures"],
    summary="Published improvement measures as CSV",
    url_name="measures_csv",
)
def measures_csv(request, params: Query[MeasureParams]):
    return finder_list(request, params, **MEASURES)


@api.get(
    "/measures/{slug}",
    response={200: schemas.Measure, **ERRORS},
    tags=["Measures"],
    summary="One published measure with every data point, its computed flags and the limits",
)
def measure(request, slug: str):
    refused = _unknown_parameters(request, ())
    if refused:
        return refused
    obj = get_object_or_404(serialise.measures(Measure.objects.published()), slug=slug)
    return serialise.measure_detail(obj, _absolute(request))


def _event_listing(params) -> dict:
    past = params.when == "past"
    events = Event.objects.published()
    return {
        "model": Event,
        "filterset_class": EventFilter,
        "serialiser": _Serialiser(serialise.events, serialise.event),
        "row": serialise.event_row,
        "columns": serialise.EVENT_COLUMNS,
        "name": "past-events" if past else "events",
        "queryset": events.past() if past else events.upcoming(),
        "order": (lambda qs: qs.latest_first()) if past else (lambda qs: qs.soonest_first()),
        "cursor_field": "start",
        "descending": past,
        "deferred": (),
    }


@api.get(
    "/events",
    response={200: schemas.EventPage, **ERRORS},
    openapi_extra={"responses": {200: {"content": CSV_CONTENT}}},
    tags=["Events"],
    summary="Published events: upcoming soonest first, or past ones, with the finder's filters",
)
def list_events(request, params: Query[EventParams]):
    return finder_list(request, params, **_event_listing(params))


@api.get(
    "/events.csv",
    response={200: None, **ERRORS},
    openapi_extra={"responses": {200: {"description": "CSV", "content": CSV_CONTENT}}},
    tags=["Events"],
    summary="Published events as CSV",
    url_name="events_csv",
)
def events_csv(request, params: Query[EventParams]):
    return finder_list(request, params, **_event_listing(params))


@api.get(
    "/events/{slug}",
    response={200: schemas.Event, **ERRORS},
    tags=["Events"],
    summary="One published event, upcoming or past",
)
def event(request, slug: str):
    refused = _unknown_parameters(request, ())
    if refused:
        return refused
    obj = get_object_or_404(serialise.events(Event.objects.published()), slug=slug)
    return serialise.event(obj, _absolute(request))
