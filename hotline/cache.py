"""The Redis cache with the database cache behind it: Redis is optional at run time (DESIGN.md section 7).

While Redis answers, everything is in Redis (rate-limit counters use its atomic INCR). When a call fails to connect
or times out (half a second at most), the process marks Redis down for a few seconds and serves the same call from
the database cache, so rate limits keep counting — in the database — and the console's picker indexes are rebuilt
from their tables; no request waits on a dead Redis longer than one short timeout per process per few seconds.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5.0
FALLBACK_ALIAS = "fallback"
COUNTER_SECONDS = 24 * 3600  # a counter begun in the database when Redis went: the longest rate window (a day)
OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


class _ClientPerPool(RedisCacheClient):
    """Django's client makes a ``redis.Redis`` for every operation, and each builds its table of ~170 reply
    callbacks: a fifth of a millisecond of CPU per cache call. A ``redis.Redis`` is safe to share between threads
    (each command takes a connection from the pool), so one per pool is kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # not in django-stubs
        client = self._clients.get(id(pool))  # a pool is kept for the process's life
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisWithDatabaseFallback(RedisCache):
    down_until = 0.0  # monotonic time until which this process does not try Redis (shared by all instances)

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._class = _ClientPerPool


def _with_fallback(name: str) -> Callable[..., Any]:
    primary = getattr(RedisCache, name)

    def operation(self: RedisWithDatabaseFallback, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= RedisWithDatabaseFallback.down_until:
            try:
                return primary(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as error:
                RedisWithDatabaseFallback.down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("Redis cache unreachable (%s): using the database cache", type(error).__name__)
        if name == "incr":
            return _fallback_incr(*args, **kwargs)
        return getattr(caches[FALLBACK_ALIAS], name)(*args, **kwargs)

    operation.__name__ = name
    return operation


def _fallback_incr(key: Any, delta: int = 1, version: Any = None) -> Any:
    """The database's ``incr``, except that a counter it does not have starts there at ``delta``.

    A rate limit does ``add`` then ``incr``. When Redis goes between the two (it stops, or a reply takes over half a
    second on a loaded machine), ``add`` found the counter in Redis and ``incr`` does not find it in the database:
    the database would raise, and django-ratelimit refuses a request whose count it cannot read, so a citizen got
    "too many attempts" on their first try. The count begins again in the database instead, as it does for every
    counter Redis held when it went."""
    fallback = caches[FALLBACK_ALIAS]
    try:
        return fallback.incr(key, delta, version=version)
    except ValueError:
        if fallback.add(key, delta, COUNTER_SECONDS, version=version):
            return delta
        return fallback.incr(key, delta, version=version)  # another request began it meanwhile


for _name in OPERATIONS:
    setattr(RedisWithDatabaseFallback, _name, _with_fallback(_name))
