"""Places are places (issue 13, item 2): an area tree separate from departments, with roads and compounds that lead
to their district and town, used by the console's area picker and the routing rules."""

from __future__ import annotations

from django.test import Client

from org.models import Area, Department, Street
from tests.factories import Actors, area, department
from tickets import console
from tickets.models import Category, RoutingRule


def test_the_demo_city_has_an_area_tree_of_districts_towns_and_communities(demo: None) -> None:
    community = area("jn-rm-dh")
    assert [a.name for a in Area.objects.get_ancestors(community)] == ["江南区", "人民街道"]
    assert {a.kind for a in Area.objects.filter(depth=1)} == {"district"}
    places = set(Area.objects.values_list("name", flat=True))
    assert places.isdisjoint(Department.objects.values_list("name", flat=True))


def test_typing_a_road_offers_its_district_and_town(demo: None) -> None:
    found = console.picker_search("area", "人民路")
    assert [(p.street, p.detail, p.id) for p in found] == [
        ("人民路", "江南区 › 人民街道", area("jn-rm").pk),
        ("人民路", "江北区 › 望江街道", area("jb-wj").pk),
    ]
    assert console.picker_search("area", "rml")[0].detail == "江南区 › 人民街道"  # by pinyin initials too


def test_the_area_picker_offers_places_never_departments(demo: None) -> None:
    assert console.picker_search("area", "城市管理局") == []
    assert console.picker_search("area", "教育局") == []
    assert [p.name for p in console.picker_search("area", "jnq")][:1] == ["江南区"]


def test_a_street_added_in_the_admin_is_offered_at_once(demo: None) -> None:
    Street.objects.create(name="解放大道", area=area("jb-lw"))
    assert [p.detail for p in console.picker_search("area", "解放大道")] == ["江北区 › 柳湾镇"]


def test_routing_rules_use_areas_and_the_area_above_counts(demo: None) -> None:
    zdjy = Category.objects.get(code="zdjy").pk
    rule = console.route_for(zdjy, area("jn-rm-dh").pk)  # a community in 江南区: the 江南区 rule
    assert rule is not None and rule.lead == department("jiangnan-cgj") and rule.area == area("jn")
    rule = console.route_for(zdjy, None)
    assert rule is not None and rule.lead == department("cgj")
    assert RoutingRule._meta.get_field("area").related_model is Area


def test_the_admin_edits_areas_and_streets(actors: Actors) -> None:
    client = Client()
    client.force_login(actors.admin)
    assert client.get("/admin/org/area/").status_code == 200
    assert client.get(f"/admin/org/area/{area('jn-rm').pk}/change/").status_code == 200
    assert client.get("/admin/org/street/?q=人民路").status_code == 200
