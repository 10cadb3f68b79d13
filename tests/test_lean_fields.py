"""``hotline.api.LeanFieldsSerializer``: copied fields validate as DRF's rebuilt ones, each bound to its own input."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils.translation import override

from tickets.apis.tickets import TicketListApi

Input = TicketListApi.InputSerializer


def test_each_input_has_fields_of_its_own_bound_to_it() -> None:
    first, second = Input(data={}), Input(data={})
    for name in ("channel", "content", "caller", "co_departments"):
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
        assert first.fields[name].field_name == name
    caller: Any = first.fields["caller"]
    assert caller.fields["phone"].parent is caller
    lists: list[Any] = [first.fields["co_departments"], second.fields["co_departments"]]
    assert lists[0].child is not lists[1].child


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"channel": "fax", "kind": "complaint", "content": "x"}, {"channel": ["“fax” 不是合法选项。"]}),
        (
            {"channel": "phone", "kind": "complaint", "content": "x", "category": "abc", "co_departments": ["q"]},
            {"category": ["请填写合法的整数值。"], "co_departments": {0: ["请填写合法的整数值。"]}},
        ),
        ({"channel": "phone", "kind": "complaint", "caller": {"name": "王" * 101}}, None),
    ],
)
def test_copied_fields_refuse_bad_input_as_drfs_own_do(data: dict, errors: dict | None) -> None:
    with override("zh-hans"):
        lean, plain = Input(data=data), _plain(data)
        assert not lean.is_valid() and not plain.is_valid()
        assert lean.errors == plain.errors
        if errors is not None:
            assert {name: lean.errors[name] for name in errors} == errors
    good = {"channel": "phone", "kind": "complaint", "content": " 路灯不亮 ", "co_departments": [3, "4"]}
    lean = Input(data=good)
    assert lean.is_valid() and lean.validated_data["co_departments"] == [3, 4]
    assert lean.validated_data["urgency"] == "normal" and lean.validated_data["content"] == "路灯不亮"


def _plain(data: dict) -> Input:
    """The same input with DRF's own field copies (its ``get_fields``), to compare with."""
    from rest_framework import serializers

    serializer = Input(data=data)
    serializer.get_fields = lambda: serializers.Serializer.get_fields(serializer)  # type: ignore[method-assign]
    return serializer
