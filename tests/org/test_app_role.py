"""As the application's database role, the append-only tables cannot be truncated, altered or stripped of triggers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import errors

from org.management.commands.db_grant_app_role import APPEND_ONLY

ROLE = os.environ.get("HOTLINE_TEST_APP_ROLE", "hotline_app")  # made by scripts/with-test-services.sh


@pytest.fixture
def app_cursor(transactional_db: None) -> Iterator[psycopg2.extensions.cursor]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {ROLE} LOGIN")
    call_command("db_grant_app_role", ROLE, stdout=StringIO())
    db = connection.settings_dict
    app = psycopg2.connect(host=db["HOST"], port=db["PORT"], dbname=db["NAME"], user=ROLE)
    app.autocommit = True
    try:
        yield app.cursor()
    finally:
        app.close()


ATTACKS = [
    "TRUNCATE {table}",
    "ALTER TABLE {table} DISABLE TRIGGER ALL",
    "DROP TRIGGER {table}_append_only ON {table}",
    "DELETE FROM {table}",
    "UPDATE {table} SET id = id",
]


@pytest.mark.parametrize("table", APPEND_ONLY)
@pytest.mark.parametrize("attack", ATTACKS)
def test_the_application_role_cannot_tamper_with_an_append_only_table(app_cursor, table: str, attack: str) -> None:
    with pytest.raises(errors.InsufficientPrivilege):
        app_cursor.execute(attack.format(table=table))


def test_the_application_role_reads_and_appends_and_cannot_switch_off_triggers(app_cursor) -> None:
    for table in APPEND_ONLY:
        app_cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own table names)
        app_cursor.execute("SELECT has_table_privilege(current_user, %s, 'INSERT')", [table])
        assert app_cursor.fetchone()[0] is True
    app_cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    assert app_cursor.fetchone()[0] is False
    with pytest.raises(errors.InsufficientPrivilege):
        app_cursor.execute("SET session_replication_role = replica")
    app_cursor.execute("SELECT count(*) FROM tickets_ticket")  # ordinary tables are read and written as usual
    app_cursor.execute("UPDATE tickets_ticket SET updated_at = updated_at WHERE false")


def test_the_application_role_cannot_edit_or_truncate_the_open_clock_count_changes(app_cursor) -> None:
    for attack in ("UPDATE tickets_deadlinecountdelta SET delta = delta", "TRUNCATE tickets_deadlinecountdelta"):
        with pytest.raises(errors.InsufficientPrivilege):
            app_cursor.execute(attack)
    with pytest.raises(errors.RaiseException):  # deleted only by the compaction that folds them into the counts
        app_cursor.execute("DELETE FROM tickets_deadlinecountdelta")
    app_cursor.execute("SELECT has_table_privilege(current_user, 'tickets_deadlinecountdelta', 'INSERT')")
    assert app_cursor.fetchone()[0] is True
