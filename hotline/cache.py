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
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5.0
FALLBACK_ALIAS = "fallback"
OPERATIONS = ("add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear")


class RedisWithDatabaseFallback(RedisCache):
    down_until = 0.0  # monotonic time until which this process does not try Redis (shared by all instances)

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)


def _with_fallback(name: str) -> Callable[..., Any]:
    primary = getattr(RedisCache, name)

    def operation(self: RedisWithDatabaseFallback, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= RedisWithDatabaseFallback.down_until:
            try:
                return primary(self, *args, **kwargs)
            except (RedisConnectionError, RedisTimeoutError) as error:
                RedisWithDatabaseFallback.down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning("Redis cache unreachable (%s): using the database cache", type(error).__name__)
        return getattr(caches[FALLBACK_ALIAS], name)(*args, **kwargs)

    operation.__name__ = name
    return operation


for _name in OPERATIONS:
    setattr(RedisWithDatabaseFallback, _name, _with_fallback(_name))
