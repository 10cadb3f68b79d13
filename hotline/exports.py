"""Excel exports with xlsxwriter in constant-memory mode, written to a temporary file and streamed back.

Phone numbers are masked, and any cell that a spreadsheet could take for a formula (= + - @ tab CR) is neutralised.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any

import xlsxwriter
from django.http import FileResponse

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> Any:
    """Text that starts like a formula is written as text with a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def xlsx_response(filename: str, sheet: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the FileResponse
    workbook = xlsxwriter.Workbook(
        handle,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    worksheet = workbook.add_worksheet(sheet)
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, list(header), bold)
    for index, row in enumerate(rows, start=1):  # constant memory: rows are written in order and flushed
        worksheet.write_row(index, 0, [safe(value) for value in row])
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
