"""import_history: a few hundred rows with every kind of bad row; idempotent; finished records that feed the rest."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from learning.history import importing
from learning.models import ImportedRecord
from org.models import User
from tickets import console, selectors
from tickets.models import Caller, Category, Deadline, Dispatch, Ticket, TicketEvent
from tickets.search.words import document_words, words_filter

HEADER = [
    "编号",
    "受理时间",
    "渠道",
    "诉求类型",
    "分类",
    "区域",
    "地址",
    "标题",
    "内容",
    "姓名",
    "电话",
    "承办单位",
    "答复",
    "答复时间",
    "满意度",
]
HistoryFile = tuple[Path, dict[int, str]]
TOPICS = [
    ("城市管理/占道经营", "望江路菜市场门口小贩占道经营，影响通行"),
    ("噪音扰民", "幸福小区旁工地夜间施工噪音扰民"),
    ("施工扰民", "滨江花园旁边建筑工地凌晨施工"),
    ("物业管理", "和谐社区物业不作为，电梯长期故障"),
    ("食品安全", "江南区某餐馆后厨卫生差，疑似食品安全问题"),
]
# (row, words of the reason printed for its line, in Chinese: the user's language)
BAD = [
    ({"编号": ""}, "缺少外部编号"),
    ({"编号": "X" * 65}, "超过 64 个字符"),
    ({"受理时间": "昨天下午"}, "不是有效时间"),
    ({"受理时间": "2999-01-01 10:00:00"}, "晚于现在"),
    ({"标题": "", "内容": ""}, "缺少诉求内容"),
    ({"内容": "长" * 20_001}, "超过 20000 个字符"),
    ({"电话": "12ab"}, "不是有效的电话号码"),
    ({"答复时间": "2020-01-01 08:00:00"}, "早于受理时间"),
    ({"渠道": "飞鸽传书"}, "飞鸽传书"),
    ({"诉求类型": "闲聊"}, "闲聊"),
    ({"满意度": "9"}, "满意度须为"),
    ({"分类": "宇宙探索"}, "未知的分类"),
    ({"承办单位": "火星管理局"}, "未知的单位"),
    ({"区域": "不存在区"}, "未知的区域"),
]


def _good(i: int) -> dict[str, str]:
    category, text = TOPICS[i % len(TOPICS)]
    return {
        "编号": f"OLD-{i:05d}",
        "受理时间": f"2024/{1 + i % 12}/{1 + i % 28} 9:{i % 60:02d}:00",
        "渠道": "电话" if i % 2 else "web",
        "诉求类型": "投诉",
        "分类": category,
        "区域": "江南区人民政府" if i % 3 else "",
        "地址": f"望江路{i % 7}号",
        "标题": "",
        "内容": f"{text}（第{i}件）",
        "姓名": "张三",
        "电话": f"1380000{i % 50:04d}",
        "承办单位": "市城市管理局",
        "答复": "已派执法队员到场处理",
        "答复时间": f"2024/{1 + i % 12}/{1 + i % 28} 17:00:00",
        "满意度": str(1 + i % 5),
    }


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def history_file(tmp_path: Path) -> HistoryFile:
    """300 good rows with the 14 kinds of bad row spread among them (and one external id written twice)."""
    rows: list[dict[str, str]] = []
    bad_lines: dict[int, str] = {}
    for i in range(300):
        rows.append(_good(i))
        if i % 20 == 5 and len(bad_lines) < len(BAD):
            change, reason = BAD[len(bad_lines)]
            rows.append({**_good(1000 + i), **change})
            bad_lines[len(rows) + 1] = reason  # +1: the header is line 1
    rows.append(_good(7))  # OLD-00007 again
    bad_lines[len(rows) + 1] = "外部编号与第"
    return _write(tmp_path / "history.csv", rows), bad_lines


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import_history", *args, stdout=out)
    return out.getvalue()


def test_every_refused_row_is_listed_with_its_line_and_reason(demo: None, history_file: HistoryFile) -> None:
    path, bad_lines = history_file
    output = _run(str(path))
    listed = {int(line.split()[1].rstrip(":")): line for line in output.splitlines() if line.startswith("line ")}
    assert set(listed) == set(bad_lines)
    for line, reason in bad_lines.items():
        assert reason in listed[line], listed[line]
    assert output.splitlines()[-1] == f"imported=300 already_imported=0 refused={len(bad_lines)}"
    assert ImportedRecord.objects.count() == 300


def test_running_the_same_file_twice_imports_nothing_twice(demo: None, history_file: HistoryFile) -> None:
    path, bad_lines = history_file
    _run(str(path))
    output = _run(str(path))
    assert output.splitlines()[-1] == f"imported=0 already_imported=300 refused={len(bad_lines)}"
    assert Ticket.objects.count() == 300


def test_imported_tickets_are_finished_records_with_no_clock(demo: None, history_file: HistoryFile) -> None:
    _run(str(history_file[0]))
    record = ImportedRecord.objects.select_related("ticket__category", "ticket__lead_department").get(
        external_id="OLD-00005"
    )
    ticket = record.ticket
    assert ticket.status == Ticket.Status.CLOSED and ticket.owner_queue == ""
    assert ticket.category == Category.objects.get(code="zdjy")  # found by its path 城市管理/占道经营
    assert ticket.lead_department is not None and ticket.lead_department.name == "市城市管理局"
    assert (record.rating, record.reply_text) == (1, "已派执法队员到场处理")
    assert f"{ticket.created_at.astimezone():%Y-%m-%d %H:%M}" == "2024-06-06 09:05"
    assert not Deadline.objects.filter(ticket__imported__isnull=False).exists()
    assert TicketEvent.objects.filter(ticket=ticket, verb="import").count() == 1


def test_imported_tickets_feed_search_and_caller_history(demo: None, history_file: HistoryFile) -> None:
    _run(str(history_file[0]))
    found = words_filter(Ticket.objects.all(), "电梯 故障")
    assert found.count() == 60 and all("电梯" in t.content for t in found)
    history = list(console.caller_history("13800000004"))
    assert history and all(t.caller and t.caller.phone == "13800000004" for t in history)


def test_the_lead_department_finds_its_imported_history_by_words(
    demo: None, handler: User, history_file: HistoryFile
) -> None:
    _run(str(history_file[0]))
    assert Dispatch.objects.filter(role=Dispatch.Role.LEAD, department=handler.department).count() == 300
    found = selectors.ticket_list(viewer=handler, filters={"q": "电梯 故障"})
    assert found.count() == 60 and all("电梯" in t.content for t in found)


def test_imported_tickets_have_the_words_the_dispatch_trigger_gives_a_ticket(
    demo: None, history_file: HistoryFile, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "CHUNK", 40)  # eight chunks: the words of all but the first cut by workers
    output = _run(str(history_file[0]))
    assert output.splitlines()[-1] == f"imported=300 already_imported=0 refused={len(history_file[1])}"
    with connection.cursor() as cursor:
        # The trigger's own expression for the department's words (tickets migrations 0016 and 0021).
        cursor.execute(
            """SELECT t.content, t.address, tsvector_to_array(t.search_vector),
                      ARRAY['§' || d.department_id, '§' || d.department_id || '@'
                            || to_char(t.created_at AT TIME ZONE 'UTC', 'YYYYMM')]
                 FROM tickets_ticket t JOIN tickets_dispatch d ON d.ticket_id = t.id"""
        )
        rows = cursor.fetchall()
    assert len(rows) == 300
    for content, address, words, units in rows:
        assert set(words) == set(document_words(content, address)) | set(units)


def test_callers_with_the_same_phone_and_name_are_one_caller(demo: None, history_file: HistoryFile) -> None:
    _run(str(history_file[0]))
    assert Caller.objects.count() == 50  # 张三 on 50 numbers: every good row's caller is one of them
    assert Ticket.objects.filter(caller__phone="13800000004").count() == 6


def test_a_dry_run_checks_every_row_and_writes_nothing(demo: None, history_file: HistoryFile) -> None:
    path, bad_lines = history_file
    output = _run(str(path), "--dry-run")
    assert output.splitlines()[-1].startswith(f"would import=300 already_imported=0 refused={len(bad_lines)}")
    assert Ticket.objects.count() == 0 and ImportedRecord.objects.count() == 0


def test_create_missing_creates_unknown_categories_and_departments(demo: None, tmp_path: Path) -> None:
    path = _write(tmp_path / "new.csv", [{**_good(1), "分类": "交通运输/公交线路", "承办单位": "市交通运输局"}])
    output = _run(str(path), "--create-missing")
    assert "created 分类 交通运输/公交线路" in output and "created 单位 市交通运输局" in output
    ticket = Ticket.objects.select_related("category", "lead_department").get()
    assert ticket.category is not None and ticket.lead_department is not None
    assert (ticket.category.name, ticket.lead_department.name) == ("公交线路", "市交通运输局")
    assert ticket.category.get_parent().name == "交通运输"


def test_columns_are_mapped_by_name(demo: None, tmp_path: Path) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text("ticket_no,when,text\nA-1,2024-03-01 10:00:00,路灯不亮\n", encoding="utf-8")
    output = _run(str(path), "--map", "ticket_no=external_id", "when=created_at", "text=content")
    assert output.splitlines()[-1] == "imported=1 already_imported=0 refused=0"
    with pytest.raises(CommandError, match="no column for external_id"):
        _run(str(path))


def test_an_xlsx_file_imports_like_a_csv(demo: None, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(list(_good(3).values()))
    workbook.save(tmp_path / "history.xlsx")
    output = _run(str(tmp_path / "history.xlsx"))
    assert output.splitlines()[-1] == "imported=1 already_imported=0 refused=0"
