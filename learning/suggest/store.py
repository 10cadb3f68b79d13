"""Train, store and load the suggestion model. The file goes through Django's storage API (local disk or an S3
store), its metadata into ``SuggestionModel``; each process loads the newest version once and looks for a newer one
at most once a minute."""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass
from typing import Any

import joblib
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Max
from django.utils import timezone

from learning.models import SuggestionModel
from learning.suggest.classifier import Classifier, classifier_train
from tickets.models import Ticket

FINISHED = (Ticket.Status.CLOSED, Ticket.Status.ANSWERED)
RECHECK_SECONDS = 60


@dataclass
class Bundle:
    version: int
    category: Classifier | None
    department: Classifier | None


def training_rows(limit: int) -> list[tuple[str, int | None, int | None, int | None]]:
    """The newest finished tickets: content, area, final category, final lead department (after any re-dispatch)."""
    rows = (
        Ticket.objects.filter(status__in=FINISHED)
        .exclude(content="")
        .order_by("-created_at")
        .values_list("content", "area_id", "category_id", "lead_department_id")[:limit]
    )
    return list(rows)


def suggestion_model_train(*, limit: int | None = None) -> SuggestionModel | None:
    """Learn from the centre's finished tickets and store a new version; None when there is too little to learn."""
    limit = limit or settings.SUGGEST_TRAIN_MAX
    rows = training_rows(limit)
    started = time.perf_counter()
    scores: dict[str, Any] = {}
    category = department = None
    with_category = [(("", c), str(cat)) for c, _area, cat, _dep in rows if cat]
    with_department = [(("", c, str(area or "")), str(dep)) for c, area, _cat, dep in rows if dep]
    for name, pairs in (("category", with_category), ("department", with_department)):
        if len(pairs) < 20 or len({label for _s, label in pairs}) < 2:
            continue
        classifier, held_out = classifier_train([s for s, _l in pairs], [label for _s, label in pairs])
        scores[name] = {
            "accuracy": round(held_out.accuracy, 4),
            "macro_f1": round(held_out.macro_f1, 4),
            "train_size": held_out.train_size,
            "held_out_size": held_out.held_out_size,
        }
        if name == "category":
            category = classifier
        else:
            department = classifier
    if category is None and department is None:
        return None
    version = (SuggestionModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
    buffer = io.BytesIO()
    joblib.dump(Bundle(version, category, department), buffer, compress=3)
    name = default_storage.save(f"suggestions/model-{version:05d}.joblib", ContentFile(buffer.getvalue()))
    return SuggestionModel.objects.create(
        version=version,
        file=name,
        trained_at=timezone.now(),
        category_size=len(with_category),
        department_size=len(with_department),
        scores=scores,
        train_seconds=round(time.perf_counter() - started, 2),
    )


_lock = threading.Lock()
_loaded: Bundle | None = None
_checked_at = 0.0


def suggestion_model_loaded() -> Bundle | None:
    """The newest stored model, loaded once per process (and again when a newer version appears)."""
    global _loaded, _checked_at
    now = time.monotonic()
    if _loaded is not None and now - _checked_at < RECHECK_SECONDS:
        return _loaded
    with _lock:
        _checked_at = now
        newest = SuggestionModel.objects.order_by("-version").first()
        if newest is None:
            _loaded = None
        elif _loaded is None or _loaded.version != newest.version:
            with default_storage.open(newest.file, "rb") as handle:
                # Our own file, written by suggestion_model_train into the centre's storage.
                _loaded = joblib.load(io.BytesIO(handle.read()))
        return _loaded


def suggestion_model_forget() -> None:
    """Drop the loaded model (tests, or after training in this process)."""
    global _loaded, _checked_at
    with _lock:
        _loaded, _checked_at = None, 0.0
