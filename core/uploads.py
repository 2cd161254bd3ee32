"""Upload checks: allowed kinds by extension AND content, and a size limit (MAX_UPLOAD_MB).

Used as model-field validators, so every form (admin, import) applies them.
"""

from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Extension -> the kinds `filetype` may detect in the content. Old Office formats (.doc, .xls,
# .ppt) share one container format, so any of the three is accepted for each.
_OLE = {"doc", "xls", "ppt", "msi"}
DOCUMENT_TYPES = {
    "pdf": {"pdf"},
    "docx": {"docx", "zip"},
    "xlsx": {"xlsx", "zip"},
    "pptx": {"pptx", "zip"},
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
    "csv": set(),  # text: checked separately
}
IMAGE_TYPES = {"png": {"png"}, "jpg": {"jpg"}, "jpeg": {"jpg"}, "webp": {"webp"}}
_SCRIPTABLE = {"svg", "svgz", "html", "htm", "xhtml", "xml", "js", "mht", "mhtml"}
_MARKUP_STARTS = (b"<svg", b"<?xml", b"<!doctype", b"<html", b"<script", b"<head", b"<body")


def _head(upload, size: int = 8192) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def _human_list(names) -> str:
    names = sorted({n.upper() for n in names} - {"JPEG"})
    return ", ".join(names[:-1]) + " or " + names[-1]


def check_size(upload) -> None:
    limit = settings.MAX_UPLOAD_MB
    if upload.size > limit * 1024 * 1024:
        size_mb = upload.size / (1024 * 1024)
        raise ValidationError(
            f"The file is {size_mb:.1f} MB. Files must be {limit} MB or smaller.",
            code="file_too_large",
        )


def _refuse_markup(extension: str, head: bytes) -> None:
    if extension in _SCRIPTABLE or head.lstrip().lower().startswith(_MARKUP_STARTS):
        raise ValidationError(
            "SVG images, web pages and other markup files can't be uploaded because they can "
            "carry scripts. Save it as a PDF, or as a PNG or JPEG image, and upload that.",
            code="scriptable_file",
        )


@deconstructible
class FileKindValidator:
    """Accept only the given extensions, and only when the content is of the same kind."""

    def __init__(self, kinds: str):
        self.kinds = kinds

    def __eq__(self, other):
        return isinstance(other, FileKindValidator) and other.kinds == self.kinds

    @property
    def allowed(self) -> dict[str, set[str]]:
        return DOCUMENT_TYPES if self.kinds == "documents" else IMAGE_TYPES

    def __call__(self, upload) -> None:
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        head = _head(upload)
        _refuse_markup(extension, head)
        if extension not in self.allowed:
            raise ValidationError(
                f"“.{extension or '(none)'}” files can't be uploaded here. "
                f"Upload a {_human_list(self.allowed)} file.",
                code="file_extension",
            )
        check_size(upload)
        if extension == "csv":
            self._check_csv(upload)
            return
        detected = filetype.guess_extension(head)
        if detected not in self.allowed[extension]:
            raise ValidationError(
                f"This file is named .{extension} but its content is not a "
                f"{extension.upper()} file. Check you chose the right file, or save it again "
                f"as {extension.upper()}.",
                code="file_content",
            )

    @staticmethod
    def _check_csv(upload) -> None:
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        if b"\x00" in data or filetype.guess(data[:8192]) is not None:
            raise ValidationError(
                "This file is named .csv but is not plain text. Save it as CSV and try again.",
                code="file_content",
            )
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "This CSV file is not in UTF-8. Save it as “CSV UTF-8” and try again.",
                code="file_encoding",
            ) from None


validate_document = FileKindValidator("documents")
validate_image = FileKindValidator("images")
