"""Attachments on replies and rectification reports: type checked by content, size limited, names sanitised."""

from __future__ import annotations

import os
from collections.abc import Sequence

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from hotline.errors import DomainError
from org.models import User
from tickets.models import Attachment, Ticket

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


def attachments_save(
    *, ticket: Ticket, purpose: str, object_id: int, files: Sequence[UploadedFile], actor: User | None
) -> list[Attachment]:
    if len(files) > settings.ATTACHMENT_MAX_COUNT:
        raise DomainError(
            _("Attach at most %(count)d files.") % {"count": settings.ATTACHMENT_MAX_COUNT}, code="too_many_files"
        )
    checked = [(upload, *_check(upload)) for upload in files]  # check all before storing any
    saved = []
    for upload, mime, extension in checked:
        name = get_valid_filename(os.path.basename(upload.name or "file"))[:150] or "file"
        attachment = Attachment(
            ticket=ticket,
            purpose=purpose,
            object_id=object_id,
            name=name,
            content_type=mime,
            extension=extension,
            size=upload.size or 0,
            uploaded_by=actor,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        saved.append(attachment)
    return saved
