"""API tokens (django-rest-knox): stored hashed, expiring like sessions, revoked by password change or deactivation."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from org.models import ApiToken, User
from org.services import user_save

PASSWORD = "a-long-test-password-2"
REFUSED = {401, 403}  # DRF answers 403 when the session authenticator, listed first, has no WWW-Authenticate


def sign_in(username: str) -> str:
    answer = APIClient().post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert answer.status_code == 200, answer.content
    return str(answer.json()["token"])


def tickets(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/tickets/").status_code


def operator(db: None) -> User:
    return User.objects.create_user("api-operator", PASSWORD, role=User.Role.OPERATOR)


def test_a_token_is_stored_only_as_a_digest_and_each_sign_in_gets_a_new_one(db: None) -> None:
    user = operator(db)
    first, second = sign_in(user.username), sign_in(user.username)
    assert first != second
    assert not ApiToken.objects.filter(digest=first).exists() and ApiToken.objects.filter(user=user).count() == 2
    assert tickets(first) == 200


def test_a_token_expires_after_30_minutes_idle(db: None, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    token = sign_in(operator(db).username)
    time_machine.shift(timedelta(minutes=29))
    assert tickets(token) == 200  # a use extends the idle limit
    time_machine.shift(timedelta(minutes=29))
    assert tickets(token) == 200
    time_machine.shift(timedelta(minutes=31))
    assert tickets(token) in REFUSED


def test_a_token_in_use_still_ends_12_hours_after_sign_in(db: None, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    token = sign_in(operator(db).username)
    for _ in range(25):  # used every 29 minutes for 12 h 5 min
        time_machine.shift(timedelta(minutes=29))
        last = tickets(token)
    assert last in REFUSED


def test_a_password_change_revokes_the_token(db: None) -> None:
    user = operator(db)
    token = sign_in(user.username)
    user.set_password("another-long-password-3")
    user.save(update_fields=["password"])
    assert tickets(token) in REFUSED
    assert not ApiToken.objects.filter(user=user).exists()


def test_deactivation_revokes_the_token(db: None, admin_user: User) -> None:
    user = operator(db)
    token = sign_in(user.username)
    user.is_active = False
    user_save(user=user, actor=admin_user)
    assert tickets(token) in REFUSED
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_users_expired_tokens_are_deleted_when_they_sign_in_again_and_by_the_hourly_task(
    db: None, time_machine
) -> None:
    """A request reads its own token only (not every token of its user, as knox does); the expired ones go at the
    next sign-in, and those of users who never come back go with the hourly task."""
    from org.tasks import api_tokens_expire

    time_machine.move_to(timezone.now(), tick=False)
    user, other = operator(db), User.objects.create_user("api-other", PASSWORD, role=User.Role.OPERATOR)
    kept, old = sign_in(user.username), sign_in(user.username)
    gone = sign_in(other.username)
    time_machine.shift(timedelta(minutes=20))
    assert tickets(kept) == 200  # extended; ``old`` is not
    time_machine.shift(timedelta(minutes=20))
    assert tickets(kept) == 200 and ApiToken.objects.filter(user=user).count() == 2  # the expired one is not read
    newest = sign_in(user.username)
    assert ApiToken.objects.filter(user=user).count() == 2  # ``old`` deleted, ``kept`` and ``newest`` left
    assert tickets(kept) == 200 and tickets(newest) == 200 and tickets(old) in REFUSED
    assert ApiToken.objects.filter(user=other).count() == 1
    assert api_tokens_expire() == 1 and not ApiToken.objects.filter(user=other).exists()
    assert tickets(gone) in REFUSED


def test_the_hourly_task_that_deletes_expired_tokens_is_on_beats_schedule() -> None:
    from hotline.celery import app

    assert "org.tasks.api_tokens_expire" in {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "org.tasks.api_tokens_expire" in app.tasks
