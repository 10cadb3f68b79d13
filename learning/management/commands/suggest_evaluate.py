"""Train the suggestion model on one labelled CSV and test it on another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learning.suggest.evaluate import LabelledFileError, evaluate, labelled_read


class Command(BaseCommand):
    help = (
        "Train on --train and test on --test (UTF-8 CSVs with a header: title, content, label); the last line is "
        "accuracy=… macro_f1=… train_s=… predict_ms_p95=…"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--train", required=True, type=Path)
        parser.add_argument("--test", required=True, type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            train, test = labelled_read(options["train"]), labelled_read(options["test"])
        except LabelledFileError as error:
            raise CommandError(str(error)) from error
        if len(set(train.labels)) < 2:
            raise CommandError("The training file needs at least two different labels.")
        if not test.labels:
            raise CommandError("The test file has no labelled row.")
        self.stdout.write(f"train={len(train.labels)} test={len(test.labels)} labels={len(set(train.labels))}")
        result = evaluate(train, test)
        self.stdout.write(f"predict_ms_median={result.predict_ms_median:.1f}")
        self.stdout.write(result.line())
