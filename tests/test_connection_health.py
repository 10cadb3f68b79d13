"""The database connection's health check (hotline/postgresql): no round trip while the server has said nothing, and
a connection the server has ended is found unusable, so the request that finds it reconnects."""

from __future__ import annotations

import psycopg2
import pytest
from django.db import connection


def last_query_of(pid: int) -> str:
    """What the server last ran for the backend ``pid``, seen from a connection of another process's kind."""
    with psycopg2.connect(**connection.get_connection_params()) as other, other.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return str(row[0]) if row else ""


@pytest.mark.django_db(transaction=True)
def test_an_idle_connection_is_found_usable_without_asking_the_server() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'the last query'")
    pid = connection.connection.get_backend_pid()
    assert connection.is_usable()
    assert last_query_of(pid) == "SELECT 'the last query'"  # Django's check would have run SELECT 1


@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_ended_is_found_unusable_and_the_next_query_reconnects() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    pid = connection.connection.get_backend_pid()
    with psycopg2.connect(**connection.get_connection_params()) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])  # returns once the backend has ended
        assert cursor.fetchone()[0] is True
    connection.close_if_unusable_or_obsolete()  # what Django does at the start of a request
    connection.close_if_health_check_failed()  # and on its first query
    assert connection.connection is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
