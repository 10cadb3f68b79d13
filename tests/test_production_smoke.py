"""The production image's two commands, run for real: collectstatic with production settings, then gunicorn.

The commands are the Dockerfile's (``python manage.py collectstatic --noinput`` and ``gunicorn hotline.wsgi``, with
gunicorn.conf.py); the requests come in over plain HTTP with ``X-Forwarded-Proto: https`` as the TLS proxy sends them.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
HTTPS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def fetch(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One plain-HTTP request to the server (redirects are not followed)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=20)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def production_server(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    with django_db_blocker.unblock():
        url = database_url()
    port = free_port()
    env = {
        **os.environ,
        "HOTLINE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SMS_BACKEND": "hotline.sms.ConsoleBackend",
        "REPORTS_SIGNING_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": url,
        "STATIC_ROOT": str(tmp_path_factory.mktemp("staticfiles")),
        "HOTLINE_VAR_DIR": str(tmp_path_factory.mktemp("var")),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    built = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert built.returncode == 0, built.stderr[-3000:]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen([str(gunicorn), "hotline.wsgi"], cwd=ROOT, env=env)  # the Dockerfile's CMD
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if fetch(base, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            threading.Event().wait(0.1)
        else:
            raise AssertionError("gunicorn did not answer /healthz within 20 s")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_health_check_answers_over_plain_http(production_server: str) -> None:
    status, _headers, body = fetch(production_server, "/healthz")
    assert status == 200
    assert b'"database": "ok"' in body


def test_the_login_page_is_served_with_hashed_static_files(production_server: str) -> None:
    status, headers, body = fetch(production_server, "/accounts/login/", HTTPS)
    assert status == 200, body[:2000]
    assert "Strict-Transport-Security" in headers
    assert re.search(rb"/static/vendor/bootstrap\.min\.[0-9a-f]{12}\.css", body)


def test_a_hashed_static_file_is_cached_for_a_long_time(production_server: str) -> None:
    _status, _headers, page = fetch(production_server, "/accounts/login/", HTTPS)
    found = re.search(rb"/static/vendor/bootstrap\.min\.[0-9a-f]{12}\.css", page)
    assert found is not None
    status, headers, body = fetch(production_server, found.group(0).decode(), HTTPS)
    assert status == 200
    assert body.startswith(b"@charset") or b"bootstrap" in body[:200].lower()
    max_age = re.search(r"max-age=(\d+)", headers["Cache-Control"])
    assert max_age is not None and int(max_age.group(1)) >= 365 * 24 * 3600


def test_the_citizen_form_is_served(production_server: str, transactional_db: None) -> None:
    status, _headers, body = fetch(production_server, "/submit/", HTTPS)
    assert status == 200, body[:2000]
    assert b'name="csrfmiddlewaretoken"' in body


def test_plain_http_without_the_proxy_header_is_redirected_to_https(production_server: str) -> None:
    status, headers, _body = fetch(production_server, "/submit/")
    assert status == 301
    assert headers["Location"].startswith("https://")
