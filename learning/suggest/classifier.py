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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.calibration import _SigmoidCalibration
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.svm import LinearSVC

from learning.suggest.features import TicketText

Sample = Sequence[str]  # (title, content) or (title, content, area)
CALIBRATION_FOLDS = 5
MIN_PER_CLASS_TO_CALIBRATE = 3
HELD_OUT = 0.1
LARGE = 2000
THREADS = 2  # liblinear releases the GIL: the final SVM and the calibration folds' SVMs learn side by side


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
        if len(samples) == 1:  # the console's question: the row's few hundred weights, without a sparse matrix
            columns, values = self.features.transform_one(samples[0])
            margins = (values @ self.weights[:, columns].T)[np.newaxis, :] + self.intercepts
        else:
            margins = np.asarray(self.features.transform(samples) @ self.weights.T) + self.intercepts
        return self._from_margins(margins)

    def _from_margins(self, margins: np.ndarray) -> np.ndarray:
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
    targets = np.asarray(labels)
    sigmoids = None
    if smallest >= MIN_PER_CLASS_TO_CALIBRATE:
        # One SVM on everything, its sigmoids fitted on out-of-fold margins (as CalibratedClassifierCV with
        # ensemble=False does, but with the final SVM learning beside the folds' instead of after them).
        # With thousands of tickets two folds give the sigmoids plenty of margins at a third of five folds' cost.
        folds = min(CALIBRATION_FOLDS if len(labels) < LARGE else 2, smallest)
        svm, margins = _svm_with_out_of_fold_margins(matrix, targets, folds)
        sigmoids = _sigmoids(margins, targets, svm.classes_)
    else:
        svm = _svm().fit(matrix, targets)
    return Classifier(
        features=features,
        classes=np.asarray(svm.classes_),
        weights=np.asarray(svm.coef_, dtype=np.float32),
        intercepts=np.asarray(svm.intercept_, dtype=np.float64),
        sigmoids=sigmoids,
        labels=sorted(counts),
    )


def _svm() -> LinearSVC:
    """tol 1e-3 instead of liblinear's 1e-4: the same predictions on the labelled sample (macro-F1 and log loss in
    bench/suggest_model.py), and a fifth less of training's time at ten thousand tickets."""
    return LinearSVC(class_weight="balanced", C=1.0, tol=1e-3)


def _svm_with_out_of_fold_margins(
    matrix: sparse.csr_matrix, targets: np.ndarray, folds: int
) -> tuple[LinearSVC, np.ndarray]:
    """The SVM fitted on everything, and each sample's margins from an SVM that did not see it (stratified folds,
    unshuffled, as CalibratedClassifierCV's ``cv=folds``), learnt in ``THREADS`` threads."""

    def margins_of(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return test, _svm().fit(matrix[train], targets[train]).decision_function(matrix[test])

    with ThreadPoolExecutor(THREADS) as pool:
        final = pool.submit(_svm().fit, matrix, targets)
        parts = [pool.submit(margins_of, tr, te) for tr, te in StratifiedKFold(folds).split(matrix, targets)]
        svm = final.result()
        columns = 1 if len(svm.classes_) == 2 else len(svm.classes_)
        margins = np.empty((matrix.shape[0], columns))
        for part in parts:
            test, values = part.result()
            margins[test] = values.reshape(len(test), columns)
    return svm, margins


def _sigmoids(margins: np.ndarray, targets: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Platt's a and b for each decision column, fitted by scikit-learn's own sigmoid calibrator (what
    CalibratedClassifierCV fits): the positive class of the one column of two labels is the second."""
    positives = [classes[1]] if len(classes) == 2 else list(classes)
    fitted = [
        _SigmoidCalibration().fit(margins[:, k], (targets == label).astype(int)) for k, label in enumerate(positives)
    ]
    return np.array([[c.a_, c.b_] for c in fitted], dtype=np.float64)


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
