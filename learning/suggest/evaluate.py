"""Train on one labelled CSV and test on another: the figures ``suggest_evaluate`` and the bench print."""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from learning.suggest.classifier import Classifier, classifier_fit, scores_of

REQUIRED = ("content", "label")


class LabelledFileError(ValueError):
    pass


@dataclass(frozen=True)
class Labelled:
    samples: list[tuple[str, str]]
    labels: list[str]


def labelled_read(path: Path) -> Labelled:
    """Rows of a UTF-8 CSV with a header: ``title`` (may be missing or empty), ``content``, ``label``."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise LabelledFileError(f"{path}: missing column(s) {', '.join(missing)}")
            samples, labels = [], []
            for row in reader:
                label = (row.get("label") or "").strip()
                text = (row.get("title") or "", row.get("content") or "")
                if label and (text[0].strip() or text[1].strip()):
                    samples.append(text)
                    labels.append(label)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise LabelledFileError(f"{path}: {error}") from error
    return Labelled(samples, labels)


@dataclass(frozen=True)
class Evaluation:
    accuracy: float
    macro_f1: float
    train_seconds: float
    predict_ms_p95: float
    predict_ms_median: float

    def line(self) -> str:
        return (
            f"accuracy={self.accuracy:.4f} macro_f1={self.macro_f1:.4f} "
            f"train_s={round(self.train_seconds)} predict_ms_p95={round(self.predict_ms_p95)}"
        )


def evaluate(train: Labelled, test: Labelled) -> Evaluation:
    started = time.perf_counter()
    classifier = classifier_fit(train.samples, train.labels)
    train_seconds = time.perf_counter() - started
    accuracy, macro_f1 = scores_of(classifier, test.samples, test.labels)
    timings = one_at_a_time(classifier, test.samples)
    return Evaluation(accuracy, macro_f1, train_seconds, float(np.percentile(timings, 95)), float(np.median(timings)))


def one_at_a_time(classifier: Classifier, samples: Sequence[tuple[str, ...]], limit: int = 500) -> list[float]:
    """Milliseconds for one suggestion, as the console asks for it: one ticket at a time."""
    timings = []
    for sample in samples[:limit]:
        started = time.perf_counter()
        classifier.top(sample)
        timings.append((time.perf_counter() - started) * 1000)
    return timings
