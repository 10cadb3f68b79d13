"""Group a CSV of messages into hot spots: one group per line, largest first, ids separated by single spaces."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from learning.hotspots.grouping import Message, group
from learning.times import parse_time

REQUIRED = ("id", "title", "content", "created_at")


class Command(BaseCommand):
    help = "Print the hot spots of a CSV (id, title, content, created_at): one group of 2+ ids per line, largest first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--labels", action="store_true", help="print each group's label on the line before it")

    def handle(self, *args: Any, **options: Any) -> None:
        messages = []
        try:
            with options["file"].open(encoding="utf-8-sig", newline="") as handle:
                reader = csv.DictReader(handle)
                missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
                if missing:
                    raise CommandError(f"Missing column(s): {', '.join(missing)}")
                for line, row in enumerate(reader, start=2):
                    try:
                        created = parse_time(row["created_at"] or "")
                    except ValueError as error:
                        raise CommandError(f"line {line}: not a time: {row['created_at']!r}") from error
                    messages.append(Message(row["id"].strip(), row["title"] or "", row["content"] or "", created))
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            raise CommandError(str(error)) from error
        for found in group(messages):
            if options["labels"]:
                self.stdout.write(f"# {len(found.members)} {found.label}")
            self.stdout.write(" ".join(m.id for m in found.members))
