"""The suggestion model (智能分类) against a plain baseline, 5-fold cross-validation on the labelled sample.

Run: .venv/bin/python bench/suggest_model.py [--sample PATH] [--folds 5] [--scale 10000]
Prints, per fold and overall, accuracy and macro-F1 of the product's model (learning/suggest: jieba words + character
n-grams + title, linear SVM with sigmoid-calibrated probabilities) beside a plain TF-IDF (jieba words) + LinearSVC,
the training time, and the milliseconds of one suggestion (median and p95, one ticket at a time as the console asks).
``--scale N`` also times training on N distinct tickets: each sample text with the first sentence of one of the
replied messages beside it (shared/data/tipdm2020/messages_with_replies.csv), so that N tickets bring the words and
n-grams of N different texts, as a centre's history does (a numbered suffix would not: the features zero digits).
The last line is the product's figures in ``suggest_evaluate``'s format.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
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

from learning.suggest.classifier import classifier_fit, classifier_train
from learning.suggest.evaluate import Evaluation, labelled_read, one_at_a_time
from learning.suggest.features import words

SAMPLE = Path(__file__).resolve().parent.parent.parent / "shared/data/tipdm2020/messages_labelled_sample.csv"


def baseline() -> object:
    return make_pipeline(TfidfVectorizer(tokenizer=words, token_pattern=None, lowercase=False), LinearSVC())


def first_sentences(path: Path) -> list[str]:
    """The first sentence (up to 80 characters) of each message's content."""
    with path.open(encoding="utf-8") as f:
        texts = [row["content"].strip() for row in csv.DictReader(f)]
    return [re.split(r"[。！？!?]", text, maxsplit=1)[0][:80] for text in texts if text]


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
        others = first_sentences(args.sample.parent / "messages_with_replies.csv")
        scaled = [(samples[i % len(samples)][0], f"{samples[i % len(samples)][1]} {others[i % len(others)]}")
                  for i in range(args.scale)]  # fmt: skip
        scaled_labels = [labels[i % len(samples)] for i in range(args.scale)]
        distinct = len({content for _title, content in scaled})
        started, started_cpu = time.perf_counter(), time.process_time()
        classifier_fit(scaled, scaled_labels)
        print(
            f"training on {args.scale} tickets ({distinct} distinct texts): {time.perf_counter() - started:.1f}s"
            f" (cpu {time.process_time() - started_cpu:.1f}s in all threads; wall counts waiting for a core)"
        )
        # What the nightly job (suggestion_model_train) fits on them: the category from the text, and the lead
        # department from the text and the area, each on 90% with the rest held out for its scores. The sample has
        # no departments: each category goes to one of three departments by district (21 departments).
        areas = [str(1 + i % 13) for i in range(args.scale)]
        departments = [f"{label}-{int(area) % 3}" for label, area in zip(scaled_labels, areas, strict=True)]
        started = time.perf_counter()
        classifier_train([("", content) for _title, content in scaled], [str(label) for label in scaled_labels])
        classifier_train(
            [("", content, area) for (_title, content), area in zip(scaled, areas, strict=True)], departments
        )
        print(f"the nightly training's two models on {args.scale} tickets: {time.perf_counter() - started:.1f}s")
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
