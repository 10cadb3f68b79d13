"""The lock-out holds under concurrency: 100 wrong passwords at once, then the right one, is refused."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from org.models import LoginThrottle, User


def token(base: str, username: str, password: str) -> requests.Response:
    return requests.post(f"{base}/api/v1/auth/token/", data={"username": username, "password": password}, timeout=30)


def test_a_hundred_concurrent_wrong_passwords_evaluate_at_most_five_and_lock_the_account(
    live_server, transactional_db: None
) -> None:
    user = User.objects.create_user("target", "a-long-test-password-1")
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda n: token(live_server.url, "target", f"wrong-{n}"), range(100)))
    assert {a.status_code for a in answers} <= {400, 403, 429}, [a.status_code for a in answers if a.status_code >= 500]
    assert LoginThrottle.objects.get(user=user).evaluations <= 5
    right = token(live_server.url, "target", "a-long-test-password-1")
    assert right.status_code != 200 and "token" not in right.text


def test_concurrent_wrong_passwords_for_an_unknown_username_are_refused_without_a_server_error(
    live_server, transactional_db: None
) -> None:
    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda n: token(live_server.url, "nobody-here", f"wrong-{n}"), range(40)))
    assert {a.status_code for a in answers} <= {400, 403, 429}
