"""Give the application's database role what it needs and nothing more (run as the owner, after ``migrate``).

Migrations run as the owner of the tables. The web, worker and beat processes connect as another role, which may
read and write the ordinary tables but only SELECT and INSERT the append-only ones (ticket events, the audit log, the
frozen monthly reports), and neither UPDATE nor TRUNCATE the open-clock count changes. Not being the owner, it
cannot TRUNCATE, ALTER (DISABLE TRIGGER) or DROP TRIGGER on them, nor set session_replication_role. It may CREATE
in the schema for the ticket-number sequences it makes per day.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

APPEND_ONLY = ("tickets_ticketevent", "org_auditentry", "reviews_monthlyreport")
# Appended to, and deleted from only by the compaction that folds the rows into counts (tickets/clock_counts.py).
APPEND_AND_FOLD = ("tickets_deadlinecountdelta",)


class Command(BaseCommand):
    help = "Grant the application role its rights (SELECT/INSERT only on append-only tables)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role")
        parser.add_argument(
            "--password-env", default="", help="create the role (LOGIN) if missing, with the password in this variable"
        )

    def handle(self, *args: Any, role: str, password_env: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles exist on PostgreSQL only.")
        name = connection.ops.quote_name(role)
        with connection.cursor() as cursor:
            if password_env:
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone() is None:
                    cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [os.environ[password_env]])
            cursor.execute(
                f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} TO {name}"
            )
            cursor.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {name}")
            cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}")
            cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {name}")
            for table in APPEND_ONLY:
                cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {name}")
            for table in APPEND_AND_FOLD:
                cursor.execute(f"REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON {table} FROM {name}")
        self.stdout.write(f"{role}: read/write, append-only on {', '.join(APPEND_ONLY)}")
