"""A queryset compiled once per process, thread and database, then run again with other values.

Django compiles a queryset's SQL on every evaluation: for a small query asked on every request (the API token's row
with its user, on each API call) the compiling costs the web process more than the database's answer. ``Prepared``
builds the queryset once with a marker for each value, keeps Django's compiler, its SQL and where each marker's
parameter sits, and on each call sends the same SQL with the new values and makes the objects as Django's model
iterator does (``from_db``, the ``select_related`` populators, the database's converters).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connections, models, router
from django.db.models.query import QuerySet, get_related_populators

M = TypeVar("M", bound=models.Model)


class _Compiled:
    def __init__(self, queryset: QuerySet[Any], markers: dict[str, str]) -> None:
        self.using = queryset.db
        self.compiler = queryset.query.get_compiler(using=self.using)
        self.sql, params = self.compiler.as_sql()
        by_marker = {marker: name for name, marker in markers.items()}
        self.slots = [by_marker.get(param) if isinstance(param, str) else None for param in params]
        if sorted(name for name in self.slots if name) != sorted(markers):
            raise ValueError("every value must appear once in the query's parameters")
        self.fixed = list(params)
        klass_info, select = self.compiler.klass_info, self.compiler.select
        assert klass_info is not None  # a model queryset
        fields = klass_info["select_fields"]
        self.model = klass_info["model"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.attnames = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.using)  # type: ignore[call-arg]  # 6.0's stubs


class Prepared(Generic[M]):
    """``Prepared(Token, lambda key: Token.objects.filter(key=key).select_related("user"), "key")``, then
    ``prepared(key=…)`` returns the list the queryset would give for that value. Only string values, each passed
    once to the queryset, and only what a queryset of model instances may do (no ``values()``, no annotations)."""

    def __init__(self, model: type[M], build: Callable[..., QuerySet[M]], *names: str) -> None:
        self.model, self.build, self.names = model, build, names
        self.local = threading.local()  # a compiler holds its thread's connection

    def _compiled(self) -> _Compiled:
        using = router.db_for_read(self.model)  # asked each time: a request may read from a replica (replicas.py)
        by_using: dict[str, _Compiled] = self.local.__dict__.setdefault("by_using", {})
        compiled = by_using.get(using)
        if compiled is None:
            markers = {name: f"\x00prepared:{name}:{id(self)}" for name in self.names}
            compiled = by_using[using] = _Compiled(self.build(**markers).using(using), markers)
        return compiled

    def __call__(self, **values: str) -> list[M]:
        compiled = self._compiled()
        params = [values[slot] if slot else fixed for slot, fixed in zip(compiled.slots, compiled.fixed, strict=True)]
        with connections[compiled.using].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in compiled.compiler.results_iter(results=[rows]):
            obj = compiled.model.from_db(compiled.using, compiled.attnames, row[compiled.start : compiled.end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects
