"""Rules of the code base that a reviewer would otherwise have to remember."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, transaction

from tests.factories import Actors, department, ticket_in
from tickets import workflow
from tickets.models import Dispatch, TicketEvent

ROOT = Path(settings.BASE_DIR)


def test_nothing_but_the_status_move_service_assigns_a_ticket_status() -> None:
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        if any(part in (".venv", "tests", "migrations", "node_modules", "bench") for part in path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # ``a.status, b = …`` too
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            else:
                continue
            names = [t for target in targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in names) and path.name != "common.py":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_ticket_events_cannot_be_edited_or_deleted_in_the_database(actors: Actors) -> None:
    event = ticket_in(workflow.DISPATCHED, actors).events.first()
    assert event is not None
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TicketEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TicketEvent.objects.filter(pk=event.pk).delete()
    assert TicketEvent.objects.get(pk=event.pk).note == event.note


def test_a_dispatch_keeps_its_ticket_and_department_and_is_never_deleted(actors: Actors) -> None:
    """A department's search counts its scope through the words its dispatches gave (tickets/selectors.py)."""
    dispatch = Dispatch.objects.get(ticket=ticket_in(workflow.DISPATCHED, actors))
    with pytest.raises(DatabaseError, match="keeps who handled"), transaction.atomic():
        Dispatch.objects.filter(pk=dispatch.pk).update(department=department("zjj"))
    with pytest.raises(DatabaseError, match="keeps who handled"), transaction.atomic():
        Dispatch.objects.filter(pk=dispatch.pk).delete()
    Dispatch.objects.filter(pk=dispatch.pk).update(active=False)  # the work goes on: other columns change
    assert Dispatch.objects.get(pk=dispatch.pk).department.code == "cgj"


def test_every_transition_verb_has_roles_and_every_action_a_service() -> None:
    from reviews import services as review_services
    from tickets import services

    verbs = {v for verbs in workflow.TRANSITIONS.values() for v in verbs} | set(workflow.IN_PLACE)
    assert verbs <= set(workflow.ROLES)
    for verb in workflow.ROLES:
        if workflow.ROLES[verb]:  # verbs with no role are taken by the system inside another service
            assert any(hasattr(m, n) for m in (services, review_services) for n in (verb, f"ticket_{verb}")), verb


def test_the_openapi_schema_generates_without_warnings(tmp_path) -> None:
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/stats/rates/" in (tmp_path / "schema.yml").read_text()
