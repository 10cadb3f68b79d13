"""Import an old system's finished tickets from a CSV or XLSX file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from learning.history.importing import history_import
from learning.history.reading import FIELDS, HistoryFileError, mapping_parse, rows_read


class Command(BaseCommand):
    help = (
        "Import finished tickets from an old system (CSV or XLSX with a header row). Fields: "
        + ", ".join(FIELDS)
        + ". Refused rows are listed with their line and reason; a second run imports nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["csv", "xlsx"], default=None)
        parser.add_argument("--map", nargs="*", default=[], metavar="COLUMN=FIELD")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument("--create-missing", action="store_true", help="create unknown categories and departments")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        file_format = options["format"] or ("xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv")
        bar = tqdm(unit=" rows", disable=not sys.stderr.isatty(), file=sys.stderr)
        try:
            rows = rows_read(path, file_format, mapping_parse(options["map"]))
            result = history_import(
                rows,
                source=path.name,
                create_missing=options["create_missing"],
                dry_run=options["dry_run"],
                progress=bar.update,
            )
        except HistoryFileError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        for line, reason in result.refused:
            self.stdout.write(f"line {line}: {reason}")
        for created in result.created:
            self.stdout.write(f"created {created}")
        verb = "would import" if result.dry_run else "imported"
        self.stdout.write(
            f"{verb}={result.imported} already_imported={result.already} refused={len(result.refused)}"
            + (" (dry run: nothing written)" if result.dry_run else "")
        )
