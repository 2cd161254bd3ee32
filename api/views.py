"""The human page about the open-data API."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from api.api import CSV_MAX_ROWS, DEFAULT_LIMIT, MAX_LIMIT
from api.middleware import parse_rate


@require_safe
def index(request):
    limit, period = parse_rate(settings.API_RATE_LIMIT)
    return render(
        request,
        "api/index.jinja",
        {
            "rate_limit": limit,
            "rate_period": {1: "second", 60: "minute", 3600: "hour", 86400: "day"}[period],
            "default_limit": DEFAULT_LIMIT,
            "max_limit": MAX_LIMIT,
            "csv_max_rows": CSV_MAX_ROWS,
            "base": request.build_absolute_uri("/api/").rstrip("/"),
        },
    )
