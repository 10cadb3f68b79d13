"""``make run``'s embedded SQLite takes the complete intake too: there each group of rows is inserted as it is added
(hotline/inserts.py), and the rows are those PostgreSQL gets (tests/tickets/test_intake_rows.py compares those). Its
triggers keep the queue counts too, pending and folded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("seed_demo", "--without-tickets", verbosity=0)
from org.models import User
from tickets import services
from tickets.models import Category, Outbox
ticket = services.ticket_receive_dispatch(
    actor=User.objects.get(username="operator"), channel="phone", kind="complaint", content="滨江路夜市占道经营",
    category_id=Category.objects.get(code="zdjy").pk, caller_name="王先生", caller_phone="13812345678",
)
print(ticket.status, ticket.caller.phone, ticket.dispatches.count(), Outbox.objects.filter(ticket=ticket).count(),
      sorted(ticket.deadlines.values_list("kind", "state")),
      list(ticket.events.order_by("pk").values_list("verb", flat=True)), ticket.owner_queue)
from tickets.queue_counts import queue_counts, queue_counts_compact
from tickets.work import queue_keys, queue_tickets
for fold in (False, True):
    if fold:
        queue_counts_compact()
    for user in User.objects.all():
        keys = queue_keys(user)
        real = {key: queue_tickets(user, key).count() for key in keys}
        assert queue_counts(user, keys) == real, (fold, user.username, real)
print(queue_counts(User.objects.get(username="handler"), ["sign"]))
"""


def test_the_complete_intake_writes_its_rows_on_sqlite(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hotline.sqlite3'}",
        "HOTLINE_ENV": "development",
        "HOTLINE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "hotline.settings",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=280
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split("\n")[-2] == "{'sign': 1}"  # the maintained count (tickets/queue_counts.py)
    assert done.stdout.split("\n")[-3] == (
        "dispatched 13812345678 1 1 [('intake', 'met'), ('reply', 'open'), ('response', 'open')]"
        " ['receive', 'dispatch', 'intake_met'] sign"
    )
