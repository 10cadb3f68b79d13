"""Thin Celery tasks: beat retrains the suggestion model nightly and refreshes hot spots."""

from __future__ import annotations

from celery import shared_task

from learning.suggest.store import suggestion_model_train


@shared_task
def suggest_train_task() -> int | None:
    model = suggestion_model_train()
    return model.version if model else None


@shared_task
def hotspots_refresh_task() -> dict[str, int]:
    from learning.hotspots.refresh import hotspots_refresh

    result = hotspots_refresh()
    return {"active": result.active, "notified": result.notified}
