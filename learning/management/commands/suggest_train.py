"""Train the category and department suggestion model on the centre's finished tickets, now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from learning.suggest.store import suggestion_model_train


class Command(BaseCommand):
    help = "Learn the suggested category and lead department from finished tickets and store a new model version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="newest finished tickets to learn from")

    def handle(self, *args: Any, **options: Any) -> None:
        model = suggestion_model_train(limit=options["limit"])
        if model is None:
            self.stdout.write("Too few finished tickets with a category or a lead department: no model stored.")
            return
        self.stdout.write(
            f"version={model.version} categories_from={model.category_size} departments_from={model.department_size} "
            f"train_s={model.train_seconds} scores={model.scores} file={model.file}"
        )
