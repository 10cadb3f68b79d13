"""Attachments in an S3-compatible store (STORAGE_URL=s3://bucket/prefix), against a real one: moto in server mode,
started by scripts/with-test-services.sh (HOTLINE_TEST_S3_ENDPOINT).

A reply's photo lands in the bucket under the prefix and comes back only through the permission check; a reply the
service refuses after the file was stored leaves no object behind; a citizen's photo goes the same way.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from channels.services import public_submit
from hotline.env import object_storage
from hotline.errors import DomainError
from org.models import User
from tests.factories import Actors, department, ticket_in
from tests.tickets.test_workbench import PNG
from tickets import services, workflow
from tickets.models import Attachment

KEYS = {"AWS_ACCESS_KEY_ID": "hotline-test", "AWS_SECRET_ACCESS_KEY": "hotline-test-secret"}


@pytest.fixture
def bucket(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    endpoint = os.environ.get("HOTLINE_TEST_S3_ENDPOINT")
    assert endpoint, "scripts/with-test-services.sh starts the S3 server (moto_server from requirements-dev.txt)"
    for key, value in {**KEYS, "AWS_S3_ENDPOINT_URL": endpoint, "AWS_S3_REGION_NAME": "cn-north-1"}.items():
        monkeypatch.setenv(key, value)  # the variables production sets, read by boto3 and object_storage
    name = f"hotline-{uuid.uuid4().hex[:12]}"
    s3 = boto3.resource("s3", endpoint_url=endpoint, region_name="cn-north-1")
    store = s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"})
    settings.STORAGES = {**settings.STORAGES, "default": object_storage(f"s3://{name}/media")}
    yield store
    store.objects.all().delete()
    store.delete()


def keys(store: Any) -> list[str]:
    return sorted(o.key for o in store.objects.all())


def test_a_replys_photo_is_in_the_bucket_and_comes_back_only_through_the_permission_check(
    actors: Actors, bucket: Any
) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    services.ticket_reply(
        ticket_id=ticket.pk,
        actor=actors.handler,
        outcome="solved",
        text="已清理",
        attachments=[SimpleUploadedFile("现场.png", PNG)],
    )
    attachment = Attachment.objects.get(ticket=ticket)
    assert keys(bucket) == [f"media/{attachment.file.name}"]
    assert bucket.Object(f"media/{attachment.file.name}").get()["Body"].read() == PNG
    handler = Client()
    handler.force_login(actors.handler)
    response = handler.get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    outsider = User.objects.create_user("zjj-h", "a-long-password", role="handler", department=department("zjj"))
    other = Client()
    other.force_login(outsider)
    assert other.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_a_reply_refused_after_its_file_was_stored_leaves_no_object(actors: Actors, bucket: Any) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)  # not signed: the service refuses the reply under its lock
    with pytest.raises(DomainError):
        services.ticket_reply(
            ticket_id=ticket.pk,
            actor=actors.handler,
            outcome="solved",
            text="已清理",
            attachments=[SimpleUploadedFile("现场.png", PNG)],
        )
    assert keys(bucket) == [] and not Attachment.objects.exists()


def test_a_citizens_photo_goes_to_the_bucket(actors: Actors, bucket: Any) -> None:
    ticket, _code = public_submit(
        channel="web",
        kind="complaint",
        category_id=None,
        address="人民路 8 号",
        content="人行道井盖缺失，很危险",
        name="李女士",
        phone="13912345678",
        submission_key=uuid.uuid4().hex,
        photos=[SimpleUploadedFile("井盖.png", PNG)],
    )
    attachment = Attachment.objects.get(ticket=ticket)
    assert keys(bucket) == [f"media/{attachment.file.name}"]
