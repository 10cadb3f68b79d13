"""Department workbench rules: scope, attachments, co-handling reply, notifications, 404 for other departments."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hotline.errors import DomainError
from org.models import User
from tests.factories import Actors, department, receive, ticket_in
from tickets import services, workflow
from tickets.models import Attachment, Notification, Outbox

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outsider(actors: Actors) -> User:
    return User.objects.create_user("zjj-h", "a-long-password", role="handler", department=department("zjj"))


def test_a_reply_carries_a_photo_checked_by_content_with_a_sanitised_name(actors: Actors) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    photo = SimpleUploadedFile("../../现场 照片.jpg", PNG, content_type="image/jpeg")  # lies about its type
    services.ticket_reply(
        ticket_id=ticket.pk, actor=actors.handler, outcome="solved", text="已清理", attachments=[photo]
    )
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.content_type == "image/png" and attachment.extension == ".png"
    assert attachment.name == "现场_照片.jpg" and ".." not in str(attachment.file.name)
    response = client_for(actors.handler).get(f"/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.getvalue() == PNG
    assert "attachment" in response["Content-Disposition"]


def test_a_disguised_or_oversized_file_is_refused_and_nothing_is_saved(actors: Actors, settings) -> None:
    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    script = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf /\n", content_type="image/jpeg")
    with pytest.raises(DomainError, match="只能上传照片"):
        services.ticket_reply(
            ticket_id=ticket.pk, actor=actors.handler, outcome="solved", text="x", attachments=[script]
        )
    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(DomainError, match="超过"):
        services.ticket_reply(
            ticket_id=ticket.pk,
            actor=actors.handler,
            outcome="solved",
            text="x",
            attachments=[SimpleUploadedFile("a.png", PNG)],
        )
    assert not Attachment.objects.exists() and not ticket.replies.exists()


def test_another_department_gets_404_for_the_page_every_action_and_the_attachment(actors: Actors, outsider) -> None:
    from reviews.forms import REVIEW_ACTIONS
    from tickets.forms import ACTIONS

    ticket = ticket_in(workflow.IN_PROGRESS, actors)
    services.ticket_reply(
        ticket_id=ticket.pk,
        actor=actors.handler,
        outcome="solved",
        text="已处理",
        attachments=[SimpleUploadedFile("a.png", PNG)],
    )
    attachment = Attachment.objects.get(ticket=ticket)
    client = client_for(outsider)
    assert client.get(f"/tickets/{ticket.number}/").status_code == 404
    for verb in [*ACTIONS, *REVIEW_ACTIONS]:
        assert client.post(f"/tickets/{ticket.number}/do/{verb}/", {}).status_code == 404, verb
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert client.get("/attachments/999999/").status_code == 404
    assert Attachment.objects.count() == 1 and ticket.replies.count() == 1


def test_a_co_handling_unit_replies_to_the_lead_and_the_lead_is_notified(actors: Actors, outsider) -> None:
    ticket = receive(actors)
    services.ticket_dispatch(
        ticket_id=ticket.pk,
        actor=actors.operator,
        department_id=department("cgj").pk,
        co_department_ids=[department("zjj").pk],
    )
    page = client_for(outsider).get(f"/tickets/{ticket.number}/").content.decode()
    assert 'data-action="co_reply"' in page and 'data-action="sign"' not in page
    services.ticket_co_reply(ticket_id=ticket.pk, actor=outsider, text="住建局已约谈物业")
    with pytest.raises(DomainError):
        services.ticket_co_reply(ticket_id=ticket.pk, actor=outsider, text="again")
    with pytest.raises(DomainError):
        services.ticket_co_reply(ticket_id=ticket.pk, actor=actors.handler, text="the lead is not a co-handler")
    from tickets.services.notifications import outbox_deliver

    outbox_deliver()
    assert Notification.objects.filter(user=actors.handler, kind="co_reply").count() == 1


def test_the_inbox_counts_unread_and_marks_read_on_open(actors: Actors) -> None:
    from tickets.services.notifications import outbox_deliver

    ticket = ticket_in(workflow.DISPATCHED, actors)
    outbox_deliver()
    client = client_for(actors.handler)
    assert 'data-testid="unread">1<' in client.get("/workbench/").content.decode()
    notification = Notification.objects.get(user=actors.handler)
    response = client.get(f"/notifications/{notification.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/tickets/{ticket.number}/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-testid="unread"' not in client.get("/workbench/").content.decode()


def test_the_badge_says_99_plus_past_99_unread_and_counts_every_unread_supervision_notice(actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    kinds = ["new_ticket"] * 100 + ["supervise"] * 3
    outbox = Outbox.objects.bulk_create(
        Outbox(kind=kind, key=f"badge:{i}", ticket=ticket, text="工单待办") for i, kind in enumerate(kinds)
    )
    Notification.objects.bulk_create(
        Notification(outbox=row, user=actors.handler, kind=row.kind, ticket=ticket, text=row.text) for row in outbox
    )
    body = client_for(actors.handler).get("/workbench/").content.decode()
    assert 'data-testid="unread">99+<' in body and 'data-chime="3"' in body
    Notification.objects.filter(user=actors.handler, kind="new_ticket").update(read_at=timezone.now())
    body = client_for(actors.handler).get("/workbench/").content.decode()
    assert 'data-testid="unread">3<' in body and 'data-chime="3"' in body


def test_the_workbench_shows_only_the_subtree_soonest_first(actors: Actors, outsider) -> None:
    mine = [ticket_in(workflow.DISPATCHED, actors) for _ in range(2)]
    body = client_for(actors.handler).get("/workbench/").content.decode()
    assert all(t.number in body for t in mine)
    assert body.index(mine[0].number) < body.index(mine[1].number)
    assert mine[0].number not in client_for(outsider).get("/workbench/").content.decode()


def test_the_workbench_query_count_does_not_grow_with_the_queue(actors: Actors) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for batch in (1, 5):
        for _ in range(batch):
            ticket_in(workflow.DISPATCHED, actors)
        client = client_for(User.objects.get(pk=actors.handler.pk))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/workbench/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_bad_review_notifies_the_rectifying_department(actors: Actors) -> None:
    from reviews import services as review_services
    from tickets.services.notifications import outbox_deliver

    ticket = ticket_in(workflow.AWAITING_SURVEY, actors)
    review_services.ticket_survey(
        ticket_id=ticket.pk, actor=actors.operator, outcome="answered", rating=1, solved=False
    )
    outbox_deliver()
    assert Notification.objects.filter(user=actors.head, kind="bad_review", ticket=ticket).count() == 1


def test_the_number_is_masked_once_the_department_no_longer_holds_the_ticket(actors: Actors) -> None:
    from rest_framework.test import APIClient

    ticket = ticket_in(workflow.RETURNED, actors)
    services.ticket_arbitrate_return(
        ticket_id=ticket.pk, actor=actors.reviewer, accept=True, department_id=department("zjj").pk
    )
    client = APIClient()
    client.force_authenticate(actors.handler)
    detail = client.get(f"/api/v1/tickets/{ticket.number}/")  # its own history stays readable (issue 12), masked
    assert detail.status_code == 200 and detail.json()["caller"]["phone"] == "138****5678"
    assert client_for(actors.handler).post(f"/tickets/{ticket.number}/reveal/").status_code == 404


def test_each_row_shows_the_clock_its_owner_works_against(actors: Actors) -> None:
    from tickets.models import Deadline, Ticket
    from tickets.work import owner_clocks

    signing = ticket_in(workflow.DISPATCHED, actors)  # response and reply open: the response is the owner's
    working = ticket_in(workflow.IN_PROGRESS, actors)  # response met on signing: the reply is
    waiting = ticket_in(workflow.RECEIVED, actors)
    tickets = list(Ticket.objects.filter(pk__in=[signing.pk, working.pk, waiting.pk]))
    assert Deadline.objects.filter(ticket__in=tickets, state="open").count() >= 4
    clocks = owner_clocks(tickets)
    for ticket, kind in ((signing, "response"), (working, "reply")):
        ticket.refresh_from_db()
        assert (clocks[ticket.pk].kind, clocks[ticket.pk].state) == (kind, "open")
        assert clocks[ticket.pk].due_at == ticket.owner_due_at
    waiting.refresh_from_db()
    assert clocks[waiting.pk].kind == "intake" and clocks[waiting.pk].due_at == waiting.owner_due_at
    assert owner_clocks([]) == {}


def test_counts_together_counts_each_queryset_as_given_in_one_statement(actors: Actors) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets.models import Ticket
    from tickets.work import counts_together

    for _ in range(3):
        ticket_in(workflow.DISPATCHED, actors)
    tickets = Ticket.objects.filter(status=workflow.DISPATCHED)
    with CaptureQueriesContext(connection) as queries:
        counts = counts_together(
            {"all": tickets.order_by(), "first two": tickets.values("pk")[:2], "none": tickets.filter(pk__in=[])}
        )
    assert counts == {"all": 3, "first two": 2, "none": 0}
    assert len(queries) == 1
    assert counts_together({}) == {}


def test_a_filter_the_queue_cannot_apply_is_refused_in_chinese_not_dropped(actors: Actors) -> None:
    """A category that no longer exists (an old bookmark) or a made-up urgency: django-filter drops the field and
    the page listed the whole queue as if filtered. It says what is wrong, with a 400, and lists nothing."""
    ticket = ticket_in(workflow.DISPATCHED, actors)
    client = client_for(actors.handler)
    for query in ({"category": "999999"}, {"urgency": "whenever"}):
        response = client.get("/workbench/", {"tab": "sign", **query})
        body = response.content.decode()
        assert response.status_code == 400
        assert 'data-testid="filter-error"' in body and "选择一个有效的选项" in body
        assert ticket.number not in body
    assert ticket.number in client.get("/workbench/", {"tab": "sign", "urgency": ""}).content.decode()


def test_the_queue_counts_late_days_by_a_kept_calendar_that_sees_the_admins_next_holiday(actors: Actors) -> None:
    """A queue page keeps the working-day calendar while its rows are unchanged (``calendar_kept``): the next page asks
    no calendar table, and a holiday the admin enters is counted by the very next page."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from org.models import CalendarDay

    beijing = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=beijing), tick=False):  # a Monday
        ticket = ticket_in(workflow.DISPATCHED, actors)  # to sign within one working day: by the end of Tuesday
    client = client_for(actors.handler)

    def late() -> tuple[str, list[str]]:
        with (
            time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=beijing), tick=False),  # the next Monday
            CaptureQueriesContext(connection) as queries,
        ):
            body = client.get("/workbench/", {"tab": "sign"}).content.decode()
        assert ticket.number in body
        row = body[body.index(ticket.number) :]
        calendar_reads = [q["sql"] for q in queries if "org_calendar" in q["sql"]]
        return row[: row.index("</tr>")], calendar_reads

    row, _reads = late()
    assert "已超期 4 个工作日" in row  # Wednesday to Monday
    row, reads = late()
    assert "已超期 4 个工作日" in row and reads == []  # kept
    CalendarDay.objects.create(year_id=2026, date=date(2026, 11, 26), kind=CalendarDay.Kind.HOLIDAY, name="测试")
    row, reads = late()
    assert "已超期 3 个工作日" in row and reads  # read again: the admin's holiday is not a working day
