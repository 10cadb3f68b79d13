"""The suggested category and department: learnt from imported history, shown beside the operator's choice,
never replacing it, and the operator's final pick recorded for the acceptance rate."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from learning.models import SuggestionModel, SuggestionPick
from learning.suggest.routing import acceptance, routing_suggest
from learning.suggest.store import suggestion_model_forget, suggestion_model_loaded
from org.models import User
from tests.factories import department
from tickets.models import Category, Ticket

# (category path, lead department code, how callers say it)
KINDS = [
    (
        "城市管理/占道经营",
        "cgj",
        "门口小贩占道经营堵路 流动摊贩占用人行道摆摊 夜市摊位占道影响通行 商户把货物摆到人行道上",
    ),
    ("城市管理/噪音扰民", "cgj", "广场舞音响太吵扰民 楼下酒吧夜里噪音很大 商铺喇叭整天高声叫卖 夜里有人唱歌噪音扰民"),
    ("教育/招生入学", "jyj", "孩子上小学报名需要什么材料 学区划分不合理入学难 幼儿园招生名额太少 随迁子女入学手续咨询"),
    ("市场监管/食品安全", "scjgj", "餐馆后厨卫生脏乱差 超市卖过期食品 外卖吃了拉肚子怀疑食材变质 菜市场猪肉没有检疫章"),
]


@pytest.fixture
def history(demo: None, tmp_path: Path, settings: object) -> Iterator[Path]:
    """Four hundred finished tickets imported from an old system, and a model trained on them."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    lines = ["编号,受理时间,分类,内容,承办单位"]
    for i in range(400):
        path, unit, texts = KINDS[i % 4]
        name = department(unit).name
        lines.append(f"H{i},2024-0{1 + i % 9}-1{i % 9} 10:00:00,{path},{texts.split()[(i // 4) % 4]}（{i}号）,{name}")
    (tmp_path / "history.csv").write_text("\n".join(lines), encoding="utf-8")
    call_command("import_history", str(tmp_path / "history.csv"), stdout=io.StringIO())
    suggestion_model_forget()
    yield tmp_path
    suggestion_model_forget()


def test_suggest_train_stores_a_version_with_its_size_and_held_out_scores(history: Path) -> None:
    out = io.StringIO()
    call_command("suggest_train", stdout=out)
    model = SuggestionModel.objects.get()
    assert (model.version, model.category_size, model.department_size) == (1, 400, 400)
    assert model.scores["category"]["held_out_size"] == 40 and model.scores["category"]["macro_f1"] > 0.9
    assert default_storage.exists(model.file) and "version=1" in out.getvalue()
    call_command("suggest_train", stdout=io.StringIO())
    assert list(SuggestionModel.objects.values_list("version", flat=True)) == [2, 1]


def test_the_model_is_loaded_once_per_process(history: Path, django_assert_num_queries: object) -> None:
    call_command("suggest_train", stdout=io.StringIO())
    first = suggestion_model_loaded()
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert suggestion_model_loaded() is first


def test_suggestions_rank_the_likely_category_and_department_first(history: Path) -> None:
    call_command("suggest_train", stdout=io.StringIO())
    found = routing_suggest("我家楼下有个小贩天天占道经营，人行道都走不了", None)
    assert found is not None and len(found.categories) == 3 and len(found.departments) == 3
    assert found.categories[0].id == Category.objects.get(code="zdjy").pk
    assert found.departments[0].id == department("cgj").pk
    assert found.categories[0].probability > found.categories[1].probability
    assert abs(sum(p.probability for p in found.categories) - 1) < 0.2  # probabilities, not raw margins


def test_with_no_model_the_console_works_as_today(operator: User) -> None:
    client = Client()
    client.force_login(operator)
    panel = client.get(reverse("learning:console_suggestions"), {"content": "小贩占道经营"})
    assert (
        panel.status_code == 200 and "No suggestion yet" in panel.content.decode()
    ) or "暂无" in panel.content.decode()
    response = client.post(
        reverse("tickets:console"),
        {"content": "小贩占道经营", "channel": "phone", "kind": "complaint", "urgency": "normal", "action": "save"},
    )
    assert response.status_code == 302 and Ticket.objects.count() == 1
    assert not SuggestionPick.objects.exists()


def test_the_operators_final_pick_is_recorded_beside_the_suggestion(history: Path, operator: User) -> None:
    call_command("suggest_train", stdout=io.StringIO())
    client = Client()
    client.force_login(operator)
    zsrx, zdjy = Category.objects.get(code="zsrx"), Category.objects.get(code="zdjy")
    for category, unit in ((zdjy, "cgj"), (zsrx, "cgj")):  # accepted once, overridden once
        response = client.post(
            reverse("tickets:console"),
            {"content": "门口小贩占道经营，堵得走不动", "channel": "phone", "kind": "complaint", "urgency": "normal",
             "category": category.pk, "department": department(unit).pk, "department_by_hand": "1",
             "action": "dispatch"},  # the operator chose the department (the console marks it so)
        )  # fmt: skip
        assert response.status_code == 302
    picks = list(SuggestionPick.objects.order_by("id"))
    assert [p.category_accepted for p in picks] == [True, False]
    assert [p.chosen_category_id for p in picks] == [zdjy.pk, zsrx.pk]  # what the operator chose stands
    assert picks[1].ticket.category_id == zsrx.pk
    figures = acceptance()
    assert (figures["category_rate"], figures["department_rate"]) == (50.0, 100.0)


def test_the_supervisor_sees_the_acceptance_rate_and_an_operator_does_not(
    history: Path, supervisor: User, operator: User
) -> None:
    call_command("suggest_train", stdout=io.StringIO())
    client = Client()
    client.force_login(supervisor)
    page = client.get(reverse("learning:suggestions"))
    assert page.status_code == 200 and 'data-testid="category-acceptance"' in page.content.decode()
    assert "v1" in page.content.decode()
    client.force_login(operator)
    assert client.get(reverse("learning:suggestions")).status_code == 403


def test_a_bad_area_is_a_clear_400(operator: User) -> None:
    client = Client()
    client.force_login(operator)
    assert client.get(reverse("learning:console_suggestions"), {"content": "占道", "area": "x1"}).status_code == 400
