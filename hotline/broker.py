"""Nudging a worker without ever making a request wait on the broker.

A nudge is an optimisation: every task a nudge starts is also run by beat within a minute (the outbox delivery), so a
lost nudge loses nothing. It publishes once (no retry), asks for no result (no result-backend connection), and after
a failure this process skips nudges for a while instead of paying the connect timeout on every request.
"""

from __future__ import annotations

import logging
import time

from celery import Task

logger = logging.getLogger(__name__)
SKIP_AFTER_FAILURE_SECONDS = 10.0


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
