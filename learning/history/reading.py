"""Rows of a history file (CSV or XLSX), with the old system's column names mapped to ours."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIELDS = (
    "external_id",
    "created_at",
    "channel",
    "kind",
    "category",
    "area",
    "address",
    "title",
    "content",
    "caller_name",
    "caller_phone",
    "lead_department",
    "reply_text",
    "replied_at",
    "rating",
)
# Column names an old system commonly uses, Chinese or English, for each of our fields.
ALIASES = {
    "external_id": ("external_id", "id", "number", "编号", "工单编号", "工单号", "留言编号"),
    "created_at": ("created_at", "受理时间", "来电时间", "留言时间", "创建时间"),
    "channel": ("channel", "渠道", "来源", "受理渠道"),
    "kind": ("kind", "诉求类型", "类型"),
    "category": ("category", "label", "分类", "业务分类", "问题分类", "一级分类"),
    "area": ("area", "区域", "所属区域", "区县"),
    "address": ("address", "地址", "事发地址", "事件地址"),
    "title": ("title", "标题", "留言主题", "主题"),
    "content": ("content", "内容", "诉求内容", "留言详情", "来电内容"),
    "caller_name": ("caller_name", "姓名", "来电人", "市民姓名"),
    "caller_phone": ("caller_phone", "phone", "电话", "来电号码", "联系电话"),
    "lead_department": ("lead_department", "承办单位", "主办单位", "办理单位"),
    "reply_text": ("reply_text", "reply", "答复", "答复意见", "回复"),
    "replied_at": ("replied_at", "答复时间", "回复时间"),
    "rating": ("rating", "满意度", "评价"),
}


class HistoryFileError(ValueError):
    pass


def mapping_parse(pairs: list[str]) -> dict[str, str]:
    """``column=field`` pairs from the command line: the file's column → our field."""
    mapping = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or field.strip() not in FIELDS:
            raise HistoryFileError(f"--map {pair!r}: expected column=field, field one of {', '.join(FIELDS)}")
        mapping[column.strip()] = field.strip()
    return mapping


def columns_resolve(header: list[str], mapping: dict[str, str]) -> dict[int, str]:
    """Which column of the file feeds which field: the explicit map first, then the known aliases."""
    resolved: dict[int, str] = {}
    taken: set[str] = set()
    for index, name in enumerate(header):
        name = (name or "").strip()
        if name in mapping:
            resolved[index] = mapping[name]
            taken.add(mapping[name])
    for index, name in enumerate(header):
        name = (name or "").strip()
        if index in resolved:
            continue
        for field, aliases in ALIASES.items():
            if field not in taken and name.lower() in aliases:
                resolved[index] = field
                taken.add(field)
                break
    missing = [f for f in ("external_id", "created_at", "content") if f not in taken]
    if missing:
        raise HistoryFileError(f"no column for {', '.join(missing)} (use --map column=field)")
    return resolved


def rows_read(path: Path, file_format: str, mapping: dict[str, str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, {field: text}) for every data row; line 1 is the header."""
    raw: Iterator[list[Any]] = _csv_rows(path) if file_format == "csv" else _xlsx_rows(path)
    try:
        header = next(raw)
    except StopIteration as error:
        raise HistoryFileError("the file is empty") from error
    columns = list(columns_resolve([str(h or "") for h in header], mapping).items())
    width = max(i for i, _field in columns) + 1
    for line, values in enumerate(raw, start=2):
        if file_format == "csv":  # text already: a million rows need no conversion
            if not "".join(values).strip():
                continue
            if len(values) < width:
                values = values + [""] * (width - len(values))
            yield line, {field: values[i] for i, field in columns}
            continue
        if not any(str(v or "").strip() for v in values):
            continue
        yield line, {field: _text(values[i]) if i < len(values) else "" for i, field in columns}


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.reader(handle)
    except UnicodeDecodeError as error:
        raise HistoryFileError(f"not UTF-8: {error}") from error
    except (OSError, csv.Error) as error:
        raise HistoryFileError(str(error)) from error


def _xlsx_rows(path: Path) -> Iterator[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise HistoryFileError(f"not an XLSX workbook: {error}") from error
    try:
        for row in workbook.active.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()
