"""Settings read the environment through helpers that raise ImproperlyConfigured on a bad value."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hotline.env import env_bool, env_database, env_int, env_redis_url, env_time

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "func"),
    [
        ("X_BOOL", lambda: env_bool("X_BOOL", False)),
        ("X_INT", lambda: env_int("X_INT", 1)),
        ("X_URL", lambda: env_database("X_URL", "sqlite:///x")),
        ("X_REDIS", lambda: env_redis_url("X_REDIS")),
        ("X_TIME", lambda: env_time("X_TIME")),
    ],
)
def test_a_bad_value_raises_improperly_configured(monkeypatch, name: str, func) -> None:
    monkeypatch.setenv(name, "mysql://nonsense" if name == "X_URL" else "banana")
    with pytest.raises(ImproperlyConfigured, match=name):
        func()


def test_good_values_are_parsed(monkeypatch) -> None:
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_TIME", "17:30")
    monkeypatch.setenv("X_URL", "postgres://u:p@127.0.0.1:5433/hotline")
    assert env_bool("X_BOOL", False) is True
    assert env_time("X_TIME") == time(17, 30)
    assert env_database("X_URL", "sqlite:///x")["PORT"] == 5433


def settings_error(**env: str) -> str:
    """What production refuses in this environment, as said by both the system checks (migrate, check) and gunicorn's
    WSGI app (hotline/checks.py): each must exit non-zero, and only words both said are returned."""
    environment = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")} | env
    said = []
    for argv in (["manage.py", "check"], ["-c", "import hotline.wsgi"]):
        result = subprocess.run([sys.executable, *argv], env=environment, capture_output=True, text=True, cwd=ROOT)
        assert result.returncode != 0, (argv, result.stderr[-2000:])
        said.append(result.stderr)
    return "\n".join(line for line in said[0].splitlines() if line.split(") ", 1)[-1].strip() in said[1])


def test_production_refuses_to_start_without_a_secret_key() -> None:
    assert "Production needs SECRET_KEY" in settings_error(HOTLINE_ENV="production", ALLOWED_HOSTS="h")


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    assert "Production needs ALLOWED_HOSTS" in settings_error(HOTLINE_ENV="production", SECRET_KEY="k" * 60)


def test_a_misspelt_environment_name_is_refused() -> None:
    assert "HOTLINE_ENV='prod'" in settings_error(HOTLINE_ENV="prod")


def test_production_refuses_to_start_without_an_sms_backend_chosen_explicitly() -> None:
    error = settings_error(HOTLINE_ENV="production", SECRET_KEY="k" * 60, ALLOWED_HOSTS="h", SMS_BACKEND="")
    assert "Production needs SMS_BACKEND" in error


def test_production_refuses_to_run_without_a_reports_signing_key_but_builds_its_static_files(tmp_path) -> None:
    env = {
        **os.environ,
        "HOTLINE_ENV": "production",
        "SECRET_KEY": "k" * 60,
        "ALLOWED_HOSTS": "h",
        "SMS_BACKEND": "hotline.sms.ConsoleBackend",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("REPORTS_SIGNING_KEY", None)
    manage = [sys.executable, "manage.py"]
    checked = subprocess.run([*manage, "check"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert checked.returncode != 0 and "Production needs REPORTS_SIGNING_KEY" in checked.stderr
    built = subprocess.run([*manage, "collectstatic", "--noinput"], env=env, capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr[-2000:]  # the image's build step needs no signing secret
    # Nor any other: the image is built with production settings and none of the running system's secrets.
    bare = {k: v for k, v in env.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "SMS_BACKEND", "DATABASE_URL")}
    built = subprocess.run([*manage, "collectstatic", "--noinput"], env=bare, capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr[-2000:]
