"""Nudging a worker without ever making a request wait on the broker.

A nudge is an optimisation: every task a nudge starts is also run by beat within a minute (the outbox delivery), so a
lost nudge loses nothing. It publishes once (no retry), asks for no result (no result-backend connection), and after
a failure this process skips nudges for a while instead of paying the connect timeout on every request.

A busy centre writes notifications faster than a worker delivers them, and each delivery reads every row waiting:
``nudge_unless_pending`` sends no second nudge while one is waiting for a worker. The task clears the mark
(``nudge_taken``) before it reads anything, so a row committed before a writer saw the mark is read by the delivery
that mark stands for; a mark whose nudge was lost expires, and beat's run covers the rows meanwhile.
"""

from __future__ import annotations

import logging
import time

from celery import Task
from django.core.cache import cache

logger = logging.getLogger(__name__)
SKIP_AFTER_FAILURE_SECONDS = 10.0
PENDING_SECONDS = 60  # a nudge's mark outlives a lost nudge by no more than beat's period


class _State:
    down_until = 0.0


def nudge(task: Task) -> bool:
    """Queue ``task`` (no arguments) if the broker takes it now; True when it was queued."""
    if time.monotonic() < _State.down_until:
        return False
    try:
        task.apply_async(retry=False, ignore_result=True)
    except Exception as error:  # any broker failure: beat's run of the same task will do the work
        _State.down_until = time.monotonic() + SKIP_AFTER_FAILURE_SECONDS
        logger.warning("broker unreachable (%s); %s left to beat", type(error).__name__, task.name)
        return False
    return True


def _pending(task: Task) -> str:
    return f"nudge-pending:{task.name}"


def nudge_unless_pending(task: Task) -> bool:
    """``nudge``, unless a nudge of ``task`` is already waiting for a worker (see the module's docstring)."""
    if time.monotonic() < _State.down_until:
        return False
    try:
        if not cache.add(_pending(task), 1, timeout=PENDING_SECONDS):
            return False  # the waiting nudge's run reads what this writer committed
    except Exception:  # no cache: nudge every time, as before
        logger.warning("cache unreachable; nudging %s without the pending mark", task.name)
        return nudge(task)
    if nudge(task):
        return True
    cache.delete(_pending(task))
    return False


def nudge_taken(task: Task) -> None:
    """Called by ``task`` before it reads its work: the next writer nudges again."""
    try:
        cache.delete(_pending(task))
    except Exception:  # no cache: nothing was marked that the cache still holds
        logger.warning("cache unreachable; the pending mark of %s expires by itself", task.name)
