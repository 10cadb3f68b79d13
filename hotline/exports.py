"""Excel exports with xlsxwriter in constant-memory mode, written to a temporary file and streamed back.

Every sheet has its header row frozen, an autofilter over all rows and column widths that fit the header (or the
caller's). Text is always written as text: a cell that a spreadsheet could take for a formula (= + - @ tab CR) gets
Excel's quote-prefix attribute, so it shows exactly what was typed (no visible apostrophe) and is never evaluated.
File names are the caller's, in local time.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from typing import Any
from unicodedata import east_asian_width

import xlsxwriter
from django.http import FileResponse

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 8, 60


def display_width(text: str) -> int:
    """Columns a text takes in a spreadsheet: a CJK character takes two."""
    return sum(2 if east_asian_width(char) in "WF" else 1 for char in text)


def xlsx_response(
    filename: str,
    sheet: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] | None = None,
) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the FileResponse
    workbook = xlsxwriter.Workbook(
        handle,
        {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    worksheet = workbook.add_worksheet(sheet[:31])  # Excel's limit on a sheet name
    bold = workbook.add_format({"bold": True})
    as_text = workbook.add_format({"quote_prefix": True})
    for column, title in enumerate(header):
        width = widths[column] if widths else display_width(title) + 4
        worksheet.set_column(column, column, max(MIN_WIDTH, min(MAX_WIDTH, width)))
    worksheet.freeze_panes(1, 0)
    worksheet.write_row(0, 0, list(header), bold)
    last = 0
    for index, row in enumerate(rows, start=1):  # constant memory: rows are written in order and flushed
        for column, value in enumerate(row):
            if isinstance(value, str):
                worksheet.write_string(index, column, value, as_text if value.startswith(DANGEROUS) else None)
            else:
                worksheet.write(index, column, value)
        last = index
    worksheet.autofilter(0, 0, max(last, 1), max(len(header) - 1, 0))
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
