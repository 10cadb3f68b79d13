"""Attachments on replies and rectification reports: type checked by content, size limited, names sanitised.

Files are written to the storage (the disk, or an S3-compatible store: STORAGE_URL) before the transaction that
records them: ``ticket_write`` stores a service's ``attachments`` first, so no network I/O happens under the
ticket's row lock, and deletes them again when the transaction rolls back (no orphaned object for a refused reply).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from org.models import User
from tickets.models import Attachment, Ticket
from tickets.models.ticket import attachment_path

ALLOWED = {  # what the content says it is → the extension it is stored with
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def _check(upload: UploadedFile) -> tuple[str, str]:
    if upload.size is None or upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise DomainError(
            _("A file is larger than %(mb)d MB.") % {"mb": settings.ATTACHMENT_MAX_BYTES // 2**20},
            code="file_too_large",
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise DomainError(
            _("Only photos (JPEG, PNG, GIF, WebP), PDF, Word and Excel files can be attached."),
            code="file_type_refused",
        )
    return kind.mime, ALLOWED[kind.mime]


@dataclass(frozen=True)
class Stored:
    """An upload, checked and already in the storage, waiting for the row that records it."""

    path: str
    name: str
    content_type: str
    extension: str
    size: int


def uploads_store(files: Sequence[UploadedFile | Stored]) -> list[Stored]:
    """Check every file, then write each to the storage (outside any transaction: see the module's docstring)."""
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        raise DomainError(
            _("Attach at most %(count)d files.") % {"count": settings.ATTACHMENT_MAX_COUNT}, code="too_many_files"
        )
    checked = [(upload, *_check(upload)) for upload in files if not isinstance(upload, Stored)]  # all before any
    stored = [upload for upload in files if isinstance(upload, Stored)]
    try:
        for upload, mime, extension in checked:
            name = get_valid_filename(os.path.basename(upload.name or "file"))[:150] or "file"
            placeholder = Attachment(extension=extension)
            path = default_storage.save(attachment_path(placeholder, name), upload)
            stored.append(Stored(path, name, mime, extension, upload.size or 0))
    except BaseException:
        uploads_discard(stored)
        raise
    return stored


def uploads_discard(stored: Sequence[Stored]) -> None:
    """Remove files whose recording transaction did not commit."""
    for file in stored:
        default_storage.delete(file.path)


def attachments_save(
    *, ticket: Ticket, purpose: str, object_id: int, files: Sequence[UploadedFile | Stored], actor: User | None
) -> list[Attachment]:
    """Record the files (stored by ``uploads_store``: an upload that was not is stored now, inside the caller's
    transaction, and is not removed if that rolls back)."""
    saved = []
    for file in uploads_store(files):
        attachment = Attachment(
            ticket=ticket,
            purpose=purpose,
            object_id=object_id,
            name=file.name,
            content_type=file.content_type,
            extension=file.extension,
            size=file.size,
            uploaded_by=actor,
        )
        attachment.file.name = file.path
        attachment.save()
        saved.append(attachment)
    return saved
