"""The web process's CPU per complete intake, in one process, through the production middleware (no gunicorn, no
network client): where the CPU that limits ``bench/intake.py`` goes.

Run on the benchmark PostgreSQL, with a Redis of its own whose queue nothing else reads:
    eval "$(scripts/bench-database.sh start DIR PORT)"
    redis-server --port 56379 --save "" --daemonize yes
    REDIS_URL=redis://127.0.0.1:56379/0 .venv/bin/python bench/intake_cpu.py
    REDIS_URL=… .venv/bin/python bench/intake_cpu.py --part knox.auth:TokenAuthentication.authenticate
    REDIS_URL=… .venv/bin/python bench/intake_cpu.py --repo /path/to/an/older/checkout   # the same, older code

It loads the demo city if missing, signs the operator in for an API token, and sends ``POST /api/v1/tickets/`` with
``"dispatch": true`` (and ``Prefer: return=minimal``) through Django's WSGI handler under production settings, 400
times per round, five rounds; it prints the process's CPU per request (``time.process_time``, so waits on the database
count only as the system calls' CPU) for the floor (the same POST refused by its input check) and the intake, minimum
and median of the rounds, and the wall time. ``--part`` times the CPU spent inside one function (patched where it is
defined: a function imported by name elsewhere is not seen). It works from ``--repo``'s directory: Celery's Django
fix-up puts the current directory first on the path. Its queue's ``deliver_outbox`` nudges are never consumed:
flush that Redis before a benchmark that runs a worker on it.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

HOST = "hotline.example.gov.cn"
WORDS = list("小区楼道噪音油烟路灯不亮垃圾清运占道经营违章搭建漏水停车井盖破损施工扰民宠物粪便")
ROUNDS, PER_ROUND = 5, 400


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser.add_argument("--part", help="module:Class.function whose CPU per request to print")
    args = parser.parse_args()
    sys.path.insert(0, args.repo)
    os.chdir(args.repo)  # Celery's Django fix-up puts the current directory first on the path at django.setup()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "hotline.settings",
            "HOTLINE_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": HOST,
            "SMS_BACKEND": "hotline.sms.ConsoleBackend",
            "REPORTS_SIGNING_KEY": secrets.token_urlsafe(40),
            "HOTLINE_VAR_DIR": os.environ.get("TMPDIR", "/tmp") + "/bench-intake-cpu",
        }
    )
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("REDIS_URL: a Redis of its own (see the docstring)")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    from org.models import User
    from tickets.console import route_for
    from tickets.models import Category

    if not User.objects.filter(username="operator").exists():
        call_command("seed_demo", "--without-tickets")
    app = get_wsgi_application()

    def call(path: str, body: dict[str, Any], token: str = "") -> tuple[str, bytes]:
        data = json.dumps(body).encode()
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": HOST,
            "SERVER_PORT": "443", "HTTP_HOST": HOST, "HTTP_X_FORWARDED_PROTO": "https", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(data), "CONTENT_LENGTH": str(len(data)), "CONTENT_TYPE": "application/json",
            "wsgi.errors": sys.stderr, "wsgi.version": (1, 0), "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False, "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_PREFER": "return=minimal",
        }  # fmt: skip
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Token {token}"
        status: list[str] = []
        out = b"".join(app(environ, lambda s, h, *a: status.append(s)))  # type: ignore[arg-type]
        return status[0], out

    operator = User.objects.get(username="operator")
    password = secrets.token_urlsafe(16)
    operator.set_password(password)
    operator.save(update_fields=["password"])
    token = json.loads(call("/api/v1/auth/token/", {"username": "operator", "password": password})[1])["token"]
    pairs = [
        (category.pk, area)
        for category in Category.objects.filter(depth=2, is_active=True).order_by("pk")
        for area in [None, *range(1, 14)]
        if route_for(category.pk, area) is not None
    ]

    def body(n: int, floor: bool) -> dict[str, Any]:
        category, area = pairs[n % len(pairs)]
        content = "".join(WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(40))
        return {
            "channel": "phone", "kind": "complaint", "category": category, "area": area,
            "address": f"幸福路 {n % 300} 号", "content": "" if floor else content,
            "caller": {"name": "王先生", "phone": f"139{n % 100:02d}{n % 1_000_000:06d}"}, "dispatch": True,
        }  # fmt: skip

    def run(floor: bool = False) -> None:
        for n in range(PER_ROUND):
            status, out = call("/api/v1/tickets/", body(n, floor), token)
            assert status.startswith("400" if floor else "201"), out[:300]

    run()  # warm: imports, connections, jieba's dictionary, the reference cache
    if args.part:
        spent = _patch(args.part)
        rounds = []
        for _ in range(ROUNDS):
            spent[0] = 0.0
            run()
            rounds.append(spent[0] / PER_ROUND * 1000)
        print(f"{args.part}: CPU ms/request min {min(rounds):.3f} median {statistics.median(rounds):.3f}")
        return
    for floor in (True, False):
        cpu, wall = [], []
        for _ in range(ROUNDS):
            c0, w0 = time.process_time(), time.perf_counter()
            run(floor)
            cpu.append((time.process_time() - c0) / PER_ROUND * 1000)
            wall.append((time.perf_counter() - w0) / PER_ROUND * 1000)
        what = "floor (refused by its input check)" if floor else "complete intake"
        print(
            f"{what:36} CPU ms/request min {min(cpu):.2f} median {statistics.median(cpu):.2f};"
            f" wall median {statistics.median(wall):.2f}"
        )


def _patch(target: str) -> list[float]:
    """Wrap ``module:Class.function`` to add its CPU time to the returned cell."""
    module, _, attr = target.partition(":")
    owner: Any = importlib.import_module(module)
    *path, name = attr.split(".")
    for step in path:
        owner = getattr(owner, step)
    original: Callable[..., Any] = getattr(owner, name)
    spent = [0.0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.process_time() - started

    setattr(owner, name, timed)
    return spent


if __name__ == "__main__":
    main()
