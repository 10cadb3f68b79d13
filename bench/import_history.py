"""import_history with N generated rows on PostgreSQL (default 1,000,000), in rows per second.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/import_history.py [--rows 1000000]
Writes a CSV of N old-system rows (five kinds of problem in varied words, places, phones, replies, ratings) to a temp
file, imports it into an empty database with the demo city (learning/history: checked row by row, bulk inserts, every
ticket's words indexed), then imports it again (nothing new: the idempotency check), and prints rows/s beside a raw
``COPY`` of the same file into a bare table in the same run (the floor of what PostgreSQL itself takes).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ.setdefault("HOTLINE_ENV", "test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from learning.history.importing import history_import  # noqa: E402
from learning.history.reading import rows_read  # noqa: E402

HEADER = ["编号", "受理时间", "渠道", "诉求类型", "分类", "地址", "内容", "姓名", "电话", "承办单位", "答复", "满意度"]
PROBLEMS = [
    ("占道经营", "门口小贩占道经营，早晚高峰堵得走不动，希望城管来管一管"),
    ("噪音扰民", "旁边工地夜里十一点以后还在施工，噪音太大，老人孩子睡不着"),
    ("物业管理", "小区物业不作为，电梯坏了一个星期没人修，垃圾也没人清运"),
    ("食品安全", "楼下餐馆后厨卫生很差，吃完拉肚子，怀疑食材不新鲜"),
    ("招生入学", "孩子今年上小学，户口和房产不在一个片区，不知道怎么报名"),
]
PLACES = ["望江路", "滨江花园", "和谐社区", "桃源镇", "柳湾镇", "幸福小区", "建设大道", "人民路"]


def generate(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            category, text = PROBLEMS[i % 5]
            place = PLACES[(i // 5) % len(PLACES)]
            day = 1 + i % 28
            when = f"2023-{1 + i % 12:02d}-{day:02d} {i % 24:02d}:{i % 60:02d}:00"
            address = f"{place}{i % 300}号"
            writer.writerow(
                [f"OLD{i:08d}", when, "电话", "投诉", category, address, f"{address}{text}（{i}）", "市民",
                 f"139{i % 10**8:08d}", "市城市管理局", "已处理", str(1 + i % 5)]
            )  # fmt: skip


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the import's word workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the benchmark is for PostgreSQL"
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.csv"
        started = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {args.rows} rows in {time.perf_counter() - started:.1f}s")
        with connection.cursor() as cursor, path.open(encoding="utf-8") as handle:
            cursor.execute("CREATE TEMP TABLE raw_history (" + ", ".join(f"c{i} text" for i in range(12)) + ")")
            started = time.perf_counter()
            cursor.copy_expert("COPY raw_history FROM STDIN WITH (FORMAT csv, HEADER true)", handle)
            raw = time.perf_counter() - started
        print(f"raw COPY into a bare table: {raw:.1f}s, {args.rows / raw:,.0f} rows/s")
        started, cpu = time.perf_counter(), _cpu()
        result = history_import(rows_read(path, "csv", {}), source=path.name)
        took, cpu = time.perf_counter() - started, _cpu() - cpu
        print(
            f"import_history: imported={result.imported} refused={len(result.refused)} in {took:.1f}s,"
            f" cpu {cpu:.1f}s in this process and its word workers ({args.rows / cpu:,.0f} rows per cpu second;"
            " the database server's not counted; wall counts waiting for a core on a shared machine)"
        )
        started = time.perf_counter()
        again = history_import(rows_read(path, "csv", {}), source=path.name)
        second = time.perf_counter() - started
        print(f"second run: imported={again.imported} already={again.already} in {second:.1f}s")
    print(f"rows_per_s={args.rows / took:,.0f} raw_copy_rows_per_s={args.rows / raw:,.0f}")


if __name__ == "__main__":
    main()
