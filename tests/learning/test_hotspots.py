"""热点: groups of tickets about one problem at one place, refreshed, ranked, notified once, merged in one action;
and the two evaluation commands' output."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from learning.hotspots.refresh import hotspots_refresh
from learning.models import Hotspot
from tests.factories import Actors, receive
from tickets import workflow
from tickets.models import Notification, Ticket

FUMES = [
    "锦绣小区楼下烧烤店油烟太大，熏得家里窗户都不敢开",
    "锦绣小区临街烧烤店每天晚上油烟扰民，请管一管",
    "投诉锦绣小区门口的烧烤店，油烟直接排到居民楼",
    "锦绣小区一楼烧烤店油烟和噪音严重影响休息",
    "锦绣小区底商烧烤店油烟熏人，老人咳嗽得厉害",
    "又是锦绣小区那家烧烤店，油烟味道整晚不散",
]


def _call(actors: Actors, text: str, phone: str, days_ago: int, time_machine) -> Ticket:
    time_machine.move_to(timezone.now() - timedelta(days=days_ago))
    ticket = receive(actors, content=text, address="江南区锦绣小区", caller_phone=phone)
    time_machine.move_to(timezone.now() + timedelta(days=days_ago))
    return ticket


@override_settings(HOTSPOT_NOTIFY_SIZE=5)
def test_a_hot_spot_grows_and_supervisors_are_told_once(actors: Actors, time_machine) -> None:
    time_machine.move_to(timezone.now())
    for i, text in enumerate(FUMES[:4]):
        _call(actors, text, f"1390000000{i}", 20 - 4 * i, time_machine)
    receive(actors, content="望江路路灯不亮", address="望江路", caller_phone="13700000000")
    hotspots_refresh()
    hotspot = Hotspot.objects.get(active=True)
    assert hotspot.size == 4 and hotspot.callers == 4 and "锦绣小区" in hotspot.label
    assert not Notification.objects.filter(kind="hotspot").exists()
    _call(actors, FUMES[4], "13900000004", 1, time_machine)
    hotspots_refresh()
    hotspots_refresh()
    _call(actors, FUMES[5], "13900000005", 0, time_machine)
    hotspots_refresh()
    hotspot = Hotspot.objects.get(active=True)
    assert hotspot.size == 6 and sum(hotspot.daily) == 6
    assert Notification.objects.filter(kind="hotspot", user=actors.supervisor).count() == 1


def test_the_supervisor_sees_the_label_sparkline_and_tickets(actors: Actors, time_machine) -> None:
    time_machine.move_to(timezone.now())
    tickets = [_call(actors, text, "", 3 - i % 3, time_machine) for i, text in enumerate(FUMES[:3])]
    hotspots_refresh()
    client = Client()
    client.force_login(actors.supervisor)
    page = client.get(reverse("learning:hotspots")).content.decode()
    assert "锦绣小区" in page and 'data-testid="sparkline"' in page
    assert all(t.number in page for t in tickets) and 'data-testid="hotspot-merge"' not in page


def test_an_operator_merges_a_groups_open_tickets_in_one_action(actors: Actors, time_machine) -> None:
    time_machine.move_to(timezone.now())
    tickets = [_call(actors, text, "", 4 - i, time_machine) for i, text in enumerate(FUMES[:4])]
    hotspots_refresh()
    hotspot = Hotspot.objects.get(active=True)
    client = Client()
    client.force_login(actors.supervisor)
    assert client.post(reverse("learning:hotspot_merge", args=[hotspot.pk])).status_code == 403
    client.force_login(actors.operator)
    client.post(reverse("learning:hotspot_merge", args=[hotspot.pk]))
    main = Ticket.objects.get(pk=tickets[0].pk)
    assert main.status != workflow.MERGED
    assert list(Ticket.objects.filter(merged_into=main).order_by("pk").values_list("pk", flat=True)) == [
        t.pk for t in tickets[1:]
    ]


def test_hotspots_evaluate_prints_one_group_per_line_largest_first(tmp_path: Path) -> None:
    lines = ["id,title,content,created_at"]
    for i, text in enumerate(FUMES):
        lines.append(f"{100 + i},锦绣小区烧烤油烟扰民,{text},2020/1/{1 + i} 10:00:00")
    lines += [
        "200,望江路路灯不亮,望江路的路灯坏了一个月,2020/1/2 9:00:00",
        "201,望江路路灯不亮,望江路路灯一直不亮,2020-01-03 09:00:00",
    ]
    lines += ["300,医保报销,异地就医怎么报销,2020/1/5 9:00:00"]
    path = tmp_path / "messages.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    out = io.StringIO()
    call_command("hotspots_evaluate", str(path), stdout=out)
    assert out.getvalue().splitlines() == [" ".join(str(100 + i) for i in range(6)), "200 201"]


def test_suggest_evaluate_prints_the_figures_as_its_last_line(tmp_path: Path) -> None:
    rows = {
        "交通运输": ["公交车晚点严重", "地铁站拥挤", "出租车拒载", "公交线路调整"],
        "教育文体": ["学校乱收费", "幼儿园入学难", "体育馆开放时间", "中考招生政策"],
        "卫生计生": ["医院看病难", "医保报销慢", "疫苗接种咨询", "社区诊所收费"],
    }
    train = ["title,content,label"] + [f",{t}{i},{label}" for label, ts in rows.items() for t in ts for i in range(3)]
    test = ["title,content,label", "公交车,公交车总是晚点,交通运输", ",学校收费不合理,教育文体", ",医院挂号难,卫生计生"]
    (tmp_path / "a.csv").write_text("\n".join(train), encoding="utf-8")
    (tmp_path / "b.csv").write_text("\n".join(test), encoding="utf-8")
    out = io.StringIO()
    call_command("suggest_evaluate", "--train", str(tmp_path / "a.csv"), "--test", str(tmp_path / "b.csv"), stdout=out)
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("accuracy=1.0000 macro_f1=1.0000 train_s=")
    assert [part.split("=")[0] for part in last.split()] == ["accuracy", "macro_f1", "train_s", "predict_ms_p95"]
