"""Uploaded files, served from local storage only with the item they belong to."""

import mimetypes
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import FileResponse, Http404
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from casestudies.models import CaseStudy
from core import roles
from resources.models import Resource

# Types a browser may be told an upload is. Anything else (HTML, SVG, XML, scripts...) is sent
# as opaque bytes, so an upload can never become a page or script on our origin.
SAFE_UPLOAD_TYPES = {
    "application/pdf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
    "application/zip",
    "image/gif",
    "image/jpeg",
    "image/png",
    "image/webp",
    "text/csv",
    "text/plain",
}
UPLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"


def safe_upload_type(name: str) -> str:
    guessed, encoding = mimetypes.guess_type(name)
    if encoding or guessed not in SAFE_UPLOAD_TYPES:
        return "application/octet-stream"
    return guessed


def _may_read(request, path: str) -> bool:
    """A file is public with the published item it belongs to; drafts' files only for their staff.

    A file no item refers to (replaced, or never attached) is not served at all.
    """
    owner = (
        Resource.objects.filter(file=path).first() or CaseStudy.objects.filter(image=path).first()
    )
    if owner is None:
        return False
    if owner.is_public:
        return True
    user = request.user
    return user.is_authenticated and user.is_staff and roles.in_scope(user, owner)


@require_safe
def serve_upload(request, path):
    """Serve an upload from local storage as a download, never as a page.

    With object storage (AWS_STORAGE_BUCKET_NAME) files are served by the bucket from its own
    origin with `Content-Disposition: attachment`, and this view is not reached.
    """
    if not isinstance(default_storage, FileSystemStorage):
        raise Http404
    if "\x00" in path:  # no file name holds a NUL, and Postgres would refuse the lookup
        raise Http404
    if not _may_read(request, path):
        raise Http404
    try:
        if not default_storage.exists(path):
            raise Http404
        handle = default_storage.open(path, "rb")
        modified = default_storage.get_modified_time(path)
    except (SuspiciousFileOperation, IsADirectoryError, FileNotFoundError, ValueError):
        raise Http404 from None
    name = PurePosixPath(path).name
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=safe_upload_type(name)
    )
    response["Last-Modified"] = http_date(modified.timestamp())
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = UPLOAD_CSP
    return response
