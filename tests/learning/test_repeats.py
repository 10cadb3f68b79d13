"""Repeats across the city: any category, Chinese words without boiler plate, the same place written differently,
honest scores for short texts, recent finished tickets marked, and nothing chosen for the operator."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning import repeats
from learning.repeats import place_keys, repeat_candidates, similarity, telling_words
from tests.factories import Actors, receive
from tickets import services
from tickets.models import Category

START = timezone.now()


def _category(code: str) -> int:
    return Category.objects.get(code=code).pk


def test_a_construction_call_finds_the_open_noise_ticket_about_the_same_site(actors: Actors) -> None:
    noise = receive(
        actors,
        content="幸福小区旁边的建筑工地每天夜里十二点还在施工打桩，噪音太大睡不着",
        category_id=_category("zsrm"),
        address="江南区幸福小区",
        caller_phone="13900000001",
    )
    receive(actors, content="望江路菜市场门口小贩占道经营", caller_phone="13900000002")
    found = repeat_candidates(
        content="幸福小区边上工地半夜施工打桩，吵得人睡不着觉", address="幸福小区5栋"
    )  # 施工扰民, another category
    assert [c.ticket for c in found] == [noise]
    assert found[0].same_place and not found[0].finished and found[0].score >= 60


def test_the_same_place_written_differently_is_the_same_place(actors: Actors) -> None:
    earlier = receive(actors, content="三栋楼下垃圾堆了一周没人清运", address="江南区滨江花园三栋", caller_phone="")
    found = repeat_candidates(content="垃圾没人清运，臭气熏天", address="滨江花园3号楼")
    assert found and found[0].ticket == earlier and found[0].same_place
    elsewhere = repeat_candidates(content="垃圾没人清运，臭气熏天", address="望江路人民广场")
    assert all(not c.same_place for c in elsewhere)
    assert not elsewhere or elsewhere[0].score < found[0].score


def test_a_short_text_does_not_score_as_identical(actors: Actors) -> None:
    receive(actors, content="占道经营", address="", caller_phone="")
    found = repeat_candidates(content="占道经营")
    assert found and found[0].score <= 50  # two words in common out of two is not "100% similar"
    long_query = telling_words("望江路菜市场门口小贩占道经营，早晚高峰堵得走不动，三轮车也停在路中间")
    long_ticket = telling_words("望江路菜市场门口小贩占道经营，早晚高峰堵得走不动，三轮车停在路中间")
    assert similarity(long_query, long_ticket) > 0.7


def test_boiler_plate_alone_makes_no_repeat(actors: Actors) -> None:
    receive(actors, content="您好，我要反映一个问题，请相关部门尽快处理，谢谢。路灯不亮", address="", caller_phone="")
    found = repeat_candidates(content="您好，我要反映一个问题，请相关部门尽快处理，谢谢。医保报销", address="")
    assert found == []


def test_recently_finished_tickets_are_marked_and_old_ones_left_out(actors: Actors, time_machine) -> None:
    time_machine.move_to(timezone.now() - timedelta(days=120))
    old = receive(actors, content="人民公园的健身器材坏了很久没人修", address="人民公园", caller_phone="")
    time_machine.move_to(timezone.now() + timedelta(days=115))
    done = receive(actors, content="人民公园健身器材损坏，希望维修", address="人民公园", caller_phone="")
    services.ticket_answer(ticket_id=done.pk, actor=actors.operator, answer="已转园林部门")
    time_machine.move_to(timezone.now() + timedelta(days=5))
    found = repeat_candidates(content="人民公园的健身器材坏了", address="人民公园")
    assert [c.ticket.pk for c in found] == [done.pk] and found[0].finished
    assert old.pk not in [c.ticket.pk for c in found]


def test_no_place_name_runs_across_de() -> None:
    """社区旁边的工地 is no place (its words 旁边, 的, 工地 would look up half the city); in 幸福小区的路灯 the place is
    幸福小区, not 幸福小区的路."""
    assert place_keys("", "青山春天社区旁边的工地半夜还在施工") == {"青山春天社区", "青山春天"}
    assert place_keys("", "我家楼下的幸福小区门口") == {"幸福小区", "幸福"}
    assert place_keys("", "幸福小区的路灯坏了") == {"幸福小区", "幸福"}
    assert place_keys("", "中山路的路灯不亮，红星村的村民反映") == {"中山路", "红星村"}


def test_the_pool_holds_the_newest_matches(actors: Actors, time_machine, monkeypatch) -> None:
    """When more tickets match than the pool holds, the pool is the newest of them."""
    monkeypatch.setattr(repeats, "POOL", 3)
    made = []
    for days_ago in (60, 40, 20, 10, 5, 1):
        time_machine.move_to(START - timedelta(days=days_ago))
        made.append(receive(actors, content="滨江花园地下车库积水严重", address="滨江花园", caller_phone=""))
    time_machine.move_to(START)
    found = repeat_candidates(content="滨江花园地下车库又积水了", address="滨江花园")
    assert [c.ticket.pk for c in found] == [made[5].pk, made[4].pk, made[3].pk]  # 1, 5 and 10 days ago
    monkeypatch.setattr(repeats, "POOL", 1)
    assert [c.ticket.pk for c in repeat_candidates(content="滨江花园地下车库又积水了")] == [made[5].pk]


def test_the_console_lists_candidates_with_none_chosen(actors: Actors) -> None:
    earlier = receive(actors, content="和谐社区电梯坏了三天没人修", address="和谐社区", caller_phone="")
    client = Client()
    client.force_login(actors.operator)
    page = client.get(reverse("tickets:console_suggest"), {"content": "和谐社区电梯坏了没人修"}).content.decode()
    assert f'id="merge-{earlier.number}"' in page and "checked" not in page
