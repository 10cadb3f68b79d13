"""Repeat candidates across the city with N tickets on PostgreSQL (default 1,000,000), server time.

Run: bash scripts/with-test-services.sh .venv/bin/python bench/repeats.py [--tickets 1000000] [--runs 200]
Loads the demo city and N tickets spread over three years (every tenth open, whatever its problem: an open share
tied to the problem would leave a problem's words with no finished ticket at all), each about one of 40 problems at one
of 1,000 compounds, with its jieba words in ``search_vector`` (GIN) as intake writes them; then times
``learning.repeats.repeat_candidates`` (the pool from the full-text index, scoring in Python) and GET /console/suggest/
(routing, view, template) for calls worded differently from the stored tickets, beside the pool query alone in raw
SQL, and prints median and p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
os.environ.setdefault("HOTLINE_ENV", "test")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from learning.repeats import repeat_candidates  # noqa: E402
from tickets.search.words import document_words  # noqa: E402

FIRST = [
    "幸福",
    "阳光",
    "锦绣",
    "滨江",
    "和谐",
    "翠湖",
    "金桂",
    "银杏",
    "东方",
    "南湖",
    "丽景",
    "碧水",
    "枫林",
    "书香",
    "长岭",
    "新华",
    "红星",
    "青山",
    "明珠",
    "望江",
]
SECOND = ["花城", "名苑", "华府", "佳园", "家园", "新村", "雅居", "春天", "嘉园", "天地"]
SUFFIX = ["小区", "花园", "公寓", "大厦", "社区"]
PROBLEMS = [
    "楼下烧烤店油烟太大熏得不敢开窗", "工地夜间施工噪音扰民睡不着", "小区门口流动摊贩占道经营堵路",
    "电梯经常故障困人物业不修",
    "垃圾桶满溢多日无人清运", "路灯坏了晚上一片漆黑", "下水道堵塞污水横流", "停车位被僵尸车长期占用",
    "广场舞音响声音太大扰民", "自来水浑浊发黄有异味", "楼道堆放杂物有消防隐患", "违章搭建阳光房遮挡采光",
    "外墙瓷砖脱落砸到行人", "小区绿化带被毁种菜", "快递柜收费不合理", "物业费涨价没有公示",
    "暖气不热室温只有十度", "燃气管道老化漏气", "流浪狗咬人无人管理", "共享单车乱停乱放堵塞通道",
    "餐馆后厨卫生脏乱差", "超市销售过期食品", "药店高价卖口罩", "培训机构收费后跑路",
    "学校周边网吧接纳未成年人", "幼儿园入园难学位不足", "公交站台被拆除出行不便", "红绿灯时间太短老人过不去",
    "道路坑洼积水车辆难行", "井盖缺失存在安全隐患", "施工围挡占用人行道", "渣土车抛洒路面扬尘大",
    "工厂排放废气刺鼻难闻", "河道漂浮垃圾发臭", "噪音大的酒吧营业到凌晨", "无证行医的诊所",
    "房屋漏水楼上不配合维修", "开发商延期交房", "中介克扣押金不退", "农民工工资被拖欠",
]  # fmt: skip
CALLS = [
    ("{place}楼下那家烧烤店的油烟熏得我们家窗户都不敢开", 0),
    ("{place}旁边的工地半夜还在施工，吵得人睡不着觉", 1),
    ("{place}门口摊贩占道经营，早上出门都过不去", 2),
    ("{place}的电梯又坏了，物业一直不来修", 3),
    ("{place}垃圾好几天没人清运了，臭得很", 4),
    ("{place}的游泳馆办了年卡突然关门，钱也退不了", None),  # repeats nothing: no stored ticket is about it
]
NOWHERE = "白鹭湾国际社区"  # a place no stored ticket names, for the call that repeats nothing


def timed(fn: Callable[[int], object], runs: int) -> tuple[float, float]:
    fn(0)  # warm up (connection, jieba's dictionary, caches)
    samples = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def places() -> list[str]:
    return [f"{a}{b}{s}" for a in FIRST for b in SECOND for s in SUFFIX]


def load(tickets: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--without-tickets", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    names = places()
    place_words = [" ".join(document_words(p)) for p in names]
    problem_words = [" ".join(document_words(p)) for p in PROBLEMS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        if cursor.fetchone()[0] >= tickets:
            return
        cursor.execute("SELECT id FROM tickets_category WHERE depth = 2 ORDER BY id")
        categories = [row[0] for row in cursor.fetchall()]
        started = time.perf_counter()
        cursor.execute(
            """
            INSERT INTO tickets_ticket (number, status, channel, kind, urgency, category_id, address, content,
                confidential, anonymous, created_at, updated_at, media_url, tracking_code_hash, owner_queue,
                search_vector)
            SELECT '2019' || lpad(i::text, 10, '0'),
                   CASE WHEN (i / 40) %% 10 = 0 THEN 'in_progress' ELSE 'closed' END, 'phone', 'complaint', 'normal',
                   (%(cat)s::bigint[])[1 + i %% %(ncat)s],
                   '江南区' || (%(places)s::text[])[1 + (i::bigint * 7919) %% %(nplaces)s],
                   (%(places)s::text[])[1 + (i::bigint * 7919) %% %(nplaces)s] || (%(problems)s::text[])[1 + i %% 40],
                   false, false,
                   now() - ((i::float / %(n)s) * interval '1095 days'), now(), '', '', '',
                   array_to_tsvector(string_to_array(
                       (%(pwords)s::text[])[1 + (i::bigint * 7919) %% %(nplaces)s] || ' '
                       || (%(qwords)s::text[])[1 + i %% 40] || ' 江南 江南区', ' '))
            FROM generate_series(1, %(n)s) i
            """,
            {"cat": categories, "ncat": len(categories), "places": names, "problems": PROBLEMS,
             "pwords": place_words, "qwords": problem_words, "n": tickets, "nplaces": len(names)},
        )  # fmt: skip
        cursor.execute("ANALYZE tickets_ticket")
        print(f"loaded {tickets} tickets in {time.perf_counter() - started:.0f}s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    assert connection.vendor == "postgresql", "the benchmark is for PostgreSQL"
    load(args.tickets)
    from org.models import User

    client = Client()
    client.force_login(User.objects.get(username="operator"))
    names = places()

    def call(i: int) -> tuple[str, str]:
        text, problem = CALLS[i % len(CALLS)]
        place = names[(i * 104729) % len(names)] if problem is not None else NOWHERE
        return text.format(place=place), place

    def function(i: int) -> object:
        content, place = call(i)
        return repeat_candidates(content=content, address=place)

    def page(i: int) -> object:
        content, place = call(i)
        response = client.get("/console/suggest/", {"content": content, "address": place})
        assert response.status_code == 200
        return response

    def raw_pool(i: int) -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, content, address, search_vector FROM tickets_ticket"
                " WHERE search_vector @@ to_tsquery('simple', %s) AND created_at >= now() - interval '90 days'"
                " AND status IN ('received','dispatched','returned','in_progress','replied','awaiting_survey',"
                "'rectifying') ORDER BY created_at DESC LIMIT 200",
                ["('烧烤' & '油烟') | ('施工' & '噪音') | ('幸福' & '小区')"],
            )
            return cursor.fetchall()

    found = [len(repeat_candidates(content=call(i)[0], address=call(i)[1])) for i in range(20)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), count(*) FILTER (WHERE status <> 'closed') FROM tickets_ticket")
        total, open_ = cursor.fetchone()
    print(f"tickets: {total} ({open_} open), runs per line: {args.runs}, candidates per call: {found[:10]}")
    rows = [
        ("repeat_candidates() (pool from the GIN index + scoring)", timed(function, args.runs)),
        ("GET /console/suggest/ (view, ORM, template)", timed(page, args.runs)),
        ("  raw SQL: the pool query alone (3 word pairs, 90 days, open)", timed(raw_pool, args.runs)),
    ]
    print(f"{'what':64} {'median ms':>10} {'p95 ms':>8}")
    for name, (median, p95) in rows:
        print(f"{name:64} {median:10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
