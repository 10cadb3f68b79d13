"""The classifier behind 智能分类 and 智能派单: ticket text (and area) → a label with a calibrated probability.

A linear SVM on the features of ``features.TicketText``, calibrated by cross-validation (Platt's sigmoid), so that
"82%" in the console means about what it says. Measured against a plain TF-IDF + linear SVM on the labelled sample by
``bench/suggest_model.py``. A label seen fewer than ``MIN_PER_CLASS_TO_CALIBRATE`` times cannot be calibrated by
cross-validation: the model then turns the SVM's margins into probabilities with a softmax and says so.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from learning.suggest.features import TicketText

Sample = Sequence[str]  # (title, content) or (title, content, area)
CALIBRATION_FOLDS = 5
MIN_PER_CLASS_TO_CALIBRATE = 3
HELD_OUT = 0.1
LARGE = 2000


@dataclass
class Classifier:
    """The fitted features and, for speed, the SVM's weights and the sigmoids as plain arrays (one matrix product
    and a few exponentials per suggestion instead of scikit-learn's per-call validation)."""

    features: TicketText
    classes: np.ndarray
    weights: np.ndarray  # (decision columns, features), float32
    intercepts: np.ndarray
    sigmoids: np.ndarray | None  # (decision columns, 2): Platt's a and b, or None when not calibrated
    labels: list[str] = field(default_factory=list)

    @property
    def calibrated(self) -> bool:
        return self.sigmoids is not None

    def probabilities(self, samples: Sequence[Sample]) -> np.ndarray:
        margins = np.asarray(self.features.transform(samples) @ self.weights.T) + self.intercepts
        if self.sigmoids is not None:
            columns = 1.0 / (1.0 + np.exp(margins * self.sigmoids[:, 0] + self.sigmoids[:, 1]))
            if len(self.classes) == 2:
                return np.hstack([1 - columns, columns])
            totals = columns.sum(axis=1, keepdims=True)
            return np.where(totals > 0, columns / np.where(totals > 0, totals, 1), 1 / len(self.classes))
        if len(self.classes) == 2:
            margins = np.hstack([-margins, margins])
        exp = np.exp(margins - margins.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

    def top(self, sample: Sample, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` likeliest labels of one ticket with their probabilities, likeliest first."""
        return self.top_many([sample], n)[0]

    def top_many(self, samples: Sequence[Sample], n: int = 3) -> list[list[tuple[str, float]]]:
        probabilities = self.probabilities(samples)
        classes = self.classes
        result = []
        for row in probabilities:
            order = np.argsort(-row)[:n]
            result.append([(str(classes[i]), float(row[i])) for i in order])
        return result

    def predict(self, samples: Sequence[Sample]) -> list[str]:
        return [str(self.classes[i]) for i in self.probabilities(samples).argmax(axis=1)]


def classifier_fit(samples: Sequence[Sample], labels: Sequence[str]) -> Classifier:
    """Fit on every sample given. Needs at least two distinct labels."""
    counts = Counter(labels)
    if len(counts) < 2:
        raise ValueError("at least two labels are needed to learn anything")
    smallest = min(counts.values())
    features = TicketText()
    matrix = features.fit_transform(list(samples))
    svm = LinearSVC(class_weight="balanced", C=1.0)
    sigmoids = None
    if smallest >= MIN_PER_CLASS_TO_CALIBRATE:
        # One SVM on everything, its sigmoids fitted on out-of-fold margins (ensemble=False).
        # With thousands of tickets two folds give the sigmoids plenty of margins at a third of five folds' cost.
        folds = min(CALIBRATION_FOLDS if len(labels) < LARGE else 2, smallest)
        model = CalibratedClassifierCV(svm, cv=folds, method="sigmoid", ensemble=False)
        model.fit(matrix, list(labels))
        fitted = model.calibrated_classifiers_[0]
        svm = fitted.estimator
        sigmoids = np.array([[c.a_, c.b_] for c in fitted.calibrators], dtype=np.float64)
    else:
        svm.fit(matrix, list(labels))
    return Classifier(
        features=features,
        classes=np.asarray(svm.classes_),
        weights=np.asarray(svm.coef_, dtype=np.float32),
        intercepts=np.asarray(svm.intercept_, dtype=np.float64),
        sigmoids=sigmoids,
        labels=sorted(counts),
    )


@dataclass(frozen=True)
class Scores:
    accuracy: float
    macro_f1: float
    train_seconds: float
    train_size: int
    held_out_size: int


def scores_of(classifier: Classifier, samples: Sequence[Sample], labels: Sequence[str]) -> tuple[float, float]:
    predicted = classifier.predict(samples)
    return float(accuracy_score(labels, predicted)), float(f1_score(labels, predicted, average="macro"))


def classifier_train(samples: Sequence[Sample], labels: Sequence[str], *, seed: int = 0) -> tuple[Classifier, Scores]:
    """Fit on 90% and score on the 10% held out (stratified where every label has two samples or more)."""
    counts = Counter(labels)
    stratify = list(labels) if min(counts.values()) >= 2 and len(labels) * HELD_OUT >= len(counts) else None
    if len(labels) < 20:
        raise ValueError("too few finished tickets to learn from")
    train_x, test_x, train_y, test_y = train_test_split(
        list(samples), list(labels), test_size=HELD_OUT, random_state=seed, stratify=stratify
    )
    started = time.perf_counter()
    classifier = classifier_fit(train_x, train_y)
    seconds = time.perf_counter() - started
    accuracy, macro_f1 = scores_of(classifier, test_x, test_y)
    return classifier, Scores(accuracy, macro_f1, round(seconds, 2), len(train_y), len(test_y))
