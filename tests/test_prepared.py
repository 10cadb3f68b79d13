"""``hotline.prepared.Prepared`` gives what its queryset gives, for any value, without compiling the query again."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hotline.prepared import Prepared
from org.models import ApiToken, User
from org.tokens import _TOKENS_UNDER_KEY


def _token(user: User, key: str) -> ApiToken:
    token = ApiToken(user=user, token_key=key, digest=f"{key}{ApiToken.objects.count()}", expiry=timezone.now())
    token.save()  # knox's manager.create makes a token of its own
    return token


def test_it_gives_the_querysets_objects_with_their_related_rows_for_each_value(db: None) -> None:
    ann = User.objects.create_user("ann", "a-long-test-password-2", role=User.Role.OPERATOR, full_name="安")
    bob = User.objects.create_user("bob", "a-long-test-password-2", role=User.Role.SUPERVISOR, full_name="博")
    tokens = [_token(ann, "aaaa1111"), _token(ann, "aaaa1111"), _token(bob, "bbbb2222")]
    tokens[0].refresh_from_db()  # the database's own values (microseconds, time zone)
    for key in ("aaaa1111", "bbbb2222", "cccc3333", "aaaa1111"):
        expected = list(ApiToken.objects.filter(token_key=key).select_related("user").order_by("pk"))
        with CaptureQueriesContext(connection) as queries:
            got = sorted(_TOKENS_UNDER_KEY(key=key), key=lambda token: token.pk)
            users = [(token.user.username, token.user.full_name, token.user.role) for token in got]  # no more SQL
        assert len(queries) == 1
        assert [(t.pk, t.digest, t.expiry, t.user_id) for t in got] == [
            (t.pk, t.digest, t.expiry, t.user_id) for t in expected
        ]
        assert users == [(t.user.username, t.user.full_name, t.user.role) for t in expected]
        assert all(not token._state.adding and token._state.db == "default" for token in got)
    first = min(_TOKENS_UNDER_KEY(key="aaaa1111"), key=lambda token: token.pk)  # two tokens share the key
    assert first.pk == tokens[0].pk and first.expiry == tokens[0].expiry


def test_the_query_is_compiled_once_per_thread_and_database(db: None) -> None:
    prepared = Prepared(User, lambda name: User.objects.filter(username=name), "name")
    User.objects.create_user("ann", "a-long-test-password-2", role=User.Role.OPERATOR)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as compiled:
        assert [user.username for user in prepared(name="ann")] == ["ann"]
        assert prepared(name="nobody") == []
        assert [user.username for user in prepared(name="ann")] == ["ann"]
    assert compiled.call_count == 1


def test_a_value_must_be_a_parameter_of_the_query(db: None) -> None:
    unused = Prepared(User, lambda name: User.objects.all(), "name")
    with pytest.raises(ValueError, match="every value"):
        unused(name="ann")
