"""One write's rows inserted in one round trip: the ids other rows refer to drawn first, then the INSERTs together.

An intake inserts a caller, a ticket, its dispatches, clocks, events and outbox rows, each waiting on the one before
for the id it refers to: six round trips to the database, each costing the web process and the server more than the
row itself. On PostgreSQL ``InsertBatch`` draws the ids that are referred to in one statement (``nextval`` of each
table's identity sequence), gives them to the objects, and sends the INSERTs Django compiles for them (as
``bulk_create`` would: its SQL, its ``ON CONFLICT``) in one statement string when the block ends. Elsewhere (SQLite,
whose writers are serialised anyway) each group is inserted as it is added, with ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connections, models
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=models.Model)


class InsertBatch:
    def __init__(self, ahead: dict[type[models.Model], int], using: str) -> None:
        self.using = using
        self.together = connections[using].vendor == "postgresql"
        self.ids: dict[type[models.Model], list[int]] = {}
        self.statements: list[tuple[str, tuple[Any, ...]]] = []
        self.added: list[models.Model] = []
        wanted = [(model, count) for model, count in ahead.items() if count]
        if self.together and wanted:
            draw = "ARRAY(SELECT nextval(%s::regclass) FROM generate_series(1, %s))"
            columns = [draw] * len(wanted)
            names = _sequences(using, [model for model, _count in wanted])
            params = [value for model, count in wanted for value in (names[model], count)]
            with connections[using].cursor() as cursor:
                cursor.execute(f"SELECT {', '.join(columns)}", params)
                row = cursor.fetchone()
            self.ids = {model: list(ids) for (model, _count), ids in zip(wanted, row, strict=True)}

    def add(self, objs: list[M], *, ignore_conflicts: bool = False) -> list[M]:
        """Insert ``objs`` (all of one model): at the end of the block on PostgreSQL, now elsewhere. Objects of a model
        drawn ahead get their ids now, so rows added later may refer to them."""
        if not objs:
            return objs
        model = type(objs[0])
        if not self.together:
            return model._default_manager.using(self.using).bulk_create(objs, ignore_conflicts=ignore_conflicts)
        ids = self.ids.get(model, [])
        for obj in objs:
            if obj.pk is None and ids:
                obj.pk = ids.pop(0)
            obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        with_pk = [obj.pk is not None for obj in objs]
        if any(with_pk) and not all(with_pk):
            raise ValueError(f"{model.__name__}: some objects have ids and some do not")
        fields = [f for f in model._meta.concrete_fields if all(with_pk) or not f.primary_key]
        on_conflict = OnConflict.IGNORE if ignore_conflicts else None
        query = InsertQuery(model, on_conflict=on_conflict)
        if any(hasattr(field, "get_placeholder") for field in fields):  # a field that writes its own SQL
            query.insert_values(fields, list[models.Model](objs), raw=False)
            self.statements += query.get_compiler(using=self.using).as_sql()
        else:
            self.statements.append(self._values(query, fields, objs, on_conflict))
        self.added += objs
        return objs

    def _values(
        self, query: InsertQuery, fields: list[Any], objs: list[M], on_conflict: OnConflict | None
    ) -> tuple[str, tuple[Any, ...]]:
        """``INSERT … VALUES (…), (…)`` as Django's compiler writes it for these fields, values prepared as it
        prepares them (``pre_save``, ``get_db_prep_save``; an expression resolved and compiled by it), without its
        per-statement work, which cost an intake's six statements half a millisecond of CPU
        (tests/tickets/test_intake_rows.py compares the rows with those of the services that write one by one)."""
        connection = connections[self.using]
        compiler = query.get_compiler(connection=connection)
        rows, params = [], []
        for obj in objs:
            marks = []
            for field in fields:
                value = field.pre_save(obj, add=True)
                if hasattr(value, "resolve_expression"):
                    sql, expression_params = compiler.compile(compiler.prepare_value(field, value))
                    marks.append(sql)
                    params += expression_params
                else:
                    marks.append("%s")
                    params.append(field.get_db_prep_save(value, connection=connection))
            rows.append(f"({', '.join(marks)})")
        quote = connection.ops.quote_name
        suffix = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
        table, columns = quote(type(objs[0])._meta.db_table), ", ".join(quote(f.column) for f in fields)
        sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join(rows)}"  # noqa: S608 - names quoted, values as %s
        if suffix:
            sql += f" {suffix}"
        return sql, tuple(params)

    def flush(self) -> None:
        if self.statements:
            sql = ";\n".join(statement for statement, _params in self.statements)
            params = tuple(value for _statement, values in self.statements for value in values)
            with connections[self.using].cursor() as cursor:
                cursor.execute(sql, params)
        for obj in self.added:
            obj._state.adding, obj._state.db = False, self.using
        self.statements, self.added = [], []


# Each model's id sequence by database alias, asked once per process: ``pg_get_serial_sequence`` searches the catalogue
# of dependencies on every call, the most costly part of drawing an intake's ids (0.14 of its 0.19 ms on the server).
_sequence_names: dict[tuple[str, type[models.Model]], str] = {}


def _sequences(using: str, wanted: list[type[models.Model]]) -> dict[type[models.Model], str]:
    missing = [model for model in wanted if (using, model) not in _sequence_names]
    if missing:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join(["pg_get_serial_sequence(%s, %s)"] * len(missing)),
                [value for model in missing for value in (model._meta.db_table, model._meta.pk.column)],
            )
            for model, name in zip(missing, cursor.fetchone(), strict=True):
                _sequence_names[using, model] = name
    return {model: _sequence_names[using, model] for model in wanted}


@contextmanager
def insert_batch(ahead: dict[type[models.Model], int], using: str = "default") -> Iterator[InsertBatch]:
    """``InsertBatch`` for a block: ``ahead`` says how many ids of each model to draw before (those rows that others
    refer to). The INSERTs are sent when the block ends without an error."""
    batch = InsertBatch(ahead, using)
    yield batch
    batch.flush()
