"""Citizens' photos have quotas: per submission (all photos together) and per client address per day."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import Actors
from tests.tickets.test_workbench import PNG
from tickets.models import Attachment, Category, Ticket


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def submit(n: int, photos: int, ip: str = "10.5.5.5") -> tuple[int, str]:
    data = {
        "kind": "complaint",
        "category": str(Category.objects.get(code="zsrm").pk),
        "content": "夜间施工噪音扰民",
        "phone": f"1350000{n:04d}",
        "submission_key": f"upload-{n}",
        "photos": [SimpleUploadedFile(f"p{i}.png", PNG, content_type="image/png") for i in range(photos)],
    }
    response = Client().post("/submit/", data, REMOTE_ADDR=ip)
    return response.status_code, response.content.decode()


def test_the_photos_of_one_submission_together_stay_under_the_limit(actors: Actors, settings) -> None:
    settings.PUBLIC_UPLOAD_MAX_BYTES = len(PNG) * 2
    status, body = submit(0, 3)
    assert status == 400 and "照片合计不能超过" in body
    assert not Ticket.objects.exists() and not Attachment.objects.exists()
    assert submit(1, 2)[0] == 200


def test_one_address_may_upload_only_so_much_a_day(actors: Actors, settings) -> None:
    settings.PUBLIC_UPLOAD_DAILY_BYTES = len(PNG) * 3
    assert submit(0, 2)[0] == 200
    status, body = submit(1, 2)
    assert status == 400 and "今天从此处上传的照片过多" in body
    assert submit(2, 2, ip="10.6.6.6")[0] == 200
    assert Ticket.objects.count() == 2
