"""The suggestion model (智能分类) against a plain baseline, 5-fold cross-validation on the labelled sample.

Run: .venv/bin/python bench/suggest_model.py [--sample PATH] [--folds 5] [--scale 10000]
Prints, per fold and overall, accuracy and macro-F1 of the product's model (learning/suggest: jieba words + character
n-grams + title, linear SVM with sigmoid-calibrated probabilities) beside a plain TF-IDF (jieba words) + LinearSVC,
the training time, and the milliseconds of one suggestion (median and p95, one ticket at a time as the console asks).
``--scale N`` also times training on N tickets made by repeating the sample's texts with a varied suffix.
The last line is the product's figures in ``suggest_evaluate``'s format.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from learning.suggest.classifier import classifier_fit
from learning.suggest.evaluate import Evaluation, labelled_read, one_at_a_time
from learning.suggest.features import words

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared/data/tipdm2020/messages_labelled_sample.csv"


def baseline() -> object:
    return make_pipeline(TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False), LinearSVC())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--scale", type=int, default=0)
    args = parser.parse_args()
    data = labelled_read(args.sample)
    samples, labels = data.samples, np.array(data.labels)
    joined = [f"{title} {content}" for title, content in samples]
    ours_pred, base_pred = np.empty_like(labels), np.empty_like(labels)
    ours_train, base_train, timings = [], [], []
    folds = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    for fold, (train, test) in enumerate(folds.split(samples, labels), 1):
        started = time.perf_counter()
        model = classifier_fit([samples[i] for i in train], labels[train].tolist())
        ours_train.append(time.perf_counter() - started)
        ours_pred[test] = model.predict([samples[i] for i in test])
        timings += one_at_a_time(model, [samples[i] for i in test])
        started = time.perf_counter()
        plain = baseline().fit([joined[i] for i in train], labels[train])  # type: ignore[attr-defined]
        base_train.append(time.perf_counter() - started)
        base_pred[test] = plain.predict([joined[i] for i in test])
        print(
            f"fold {fold}: ours macro_f1={f1_score(labels[test], ours_pred[test], average='macro'):.4f}"
            f"  baseline macro_f1={f1_score(labels[test], base_pred[test], average='macro'):.4f}"
        )
    for name, predicted, trained in (
        ("baseline tfidf+linearsvc", base_pred, base_train),
        ("ours", ours_pred, ours_train),
    ):
        print(
            f"{name:26s} accuracy={accuracy_score(labels, predicted):.4f} "
            f"macro_f1={f1_score(labels, predicted, average='macro'):.4f} "
            f"train_s_per_fold={statistics.mean(trained):.1f}"
        )
    print(f"suggestion ms: median={statistics.median(timings):.1f} p95={np.percentile(timings, 95):.1f}")
    if args.scale:
        scaled = [(t, f"{c} {i}") for i, (t, c) in enumerate(samples * (args.scale // len(samples) + 1))][: args.scale]
        scaled_labels = (labels.tolist() * (args.scale // len(samples) + 1))[: args.scale]
        started, started_cpu = time.perf_counter(), time.process_time()
        classifier_fit(scaled, scaled_labels)
        print(
            f"training on {args.scale} tickets: {time.perf_counter() - started:.1f}s"
            f" (cpu {time.process_time() - started_cpu:.1f}s in all threads; wall counts waiting for a core)"
        )
    result = Evaluation(
        float(accuracy_score(labels, ours_pred)),
        float(f1_score(labels, ours_pred, average="macro")),
        statistics.mean(ours_train),
        float(np.percentile(timings, 95)),
        statistics.median(timings),
    )
    print(result.line())


if __name__ == "__main__":
    main()
