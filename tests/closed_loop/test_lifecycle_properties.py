"""Invariants of DESIGN.md over random histories: random actions by random people of random departments at random
working and holiday times, with calendar edits and sweeps, on the real PostgreSQL. After every step:

- every unfinished ticket has exactly one owner (tickets/owner.py), stored on the ticket, and it is in that owner's
  work and in nobody else's; a finished ticket has no owner and no open or paused clock;
- every open or paused clock belongs to a department that holds the ticket now, or to the centre;
- no warning or breach (event, 督办 or outbox row) was written for a clock that was not open at that moment, and none
  twice; no warning after a breach;
- every queue's maintained count (tickets/queue_counts.py), folded or pending, is the number of tickets in it;
- a ticket's department words (§12 and §12@202610: tickets/search/words.py) are exactly those of the departments it
  was ever dispatched to, so that a department's word search may count its scope through them.

``HOTLINE_PROPERTY_EXAMPLES`` × ``HOTLINE_PROPERTY_STEPS`` set how long it runs (CI: 10 × 100 = 1,000 steps).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from channels.services import public_submit
from hotline import sms
from hotline.errors import DomainError
from org.models import CalendarDay, User
from org.services import calendar_year_seed
from reviews import services as reviews
from reviews.models import Appeal, Rectification
from tests.factories import department
from tickets import services
from tickets.deadlines import BEIJING
from tickets.models import Category, Deadline, Dispatch, Outbox, SupervisionNotice, Ticket, TicketEvent
from tickets.owner import CENTRE_SIDE, QUEUES
from tickets.queue_counts import queue_counts, queue_counts_compact
from tickets.services.calendar import calendar_confirm, calendar_days_changed
from tickets.services.ownership import ticket_owner
from tickets.sweeps import sweep_deadlines
from tickets.work import queue_keys, queue_tickets, work_filter

EXAMPLES = int(os.environ.get("HOTLINE_PROPERTY_EXAMPLES", "10"))
STEPS = int(os.environ.get("HOTLINE_PROPERTY_STEPS", "100"))
PEOPLE = ["operator", "operator2", "reviewer", "handler", "head", "zjj_handler", "zjj_head", "unit", "supervisor"]
FINISHED = ("closed", "merged")
START = datetime(2026, 9, 28, 9, 0, tzinfo=BEIJING)  # the week before the National Day holiday (with its 调休)
STEPS_RUN = {"count": 0}
SEEN: set[str] = set()  # statuses, queues and clock states the histories reached (checked at the end)
MAX_TICKETS = 5  # few tickets, so that random actions take them deep into their life cycle


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.travel = time_machine.travel(START, tick=False)
        self.clock = self.travel.start()
        self.now = START
        self.people = {name: User.objects.get(username=name) for name in PEOPLE}
        self.tickets: list[int] = []
        sms.outbox.clear()

    def teardown(self) -> None:
        self.travel.stop()
        transaction.savepoint_rollback(self.savepoint)

    # ----------------------------------------------------------------- helpers
    def _ticket(self, i: int) -> Ticket:
        return Ticket.objects.get(pk=self.tickets[i % len(self.tickets)])

    def _try(self, action) -> None:
        STEPS_RUN["count"] += 1
        with contextlib.suppress(DomainError):  # refused: the invariants check that nothing went astray
            action()

    # ------------------------------------------------------------ intake rules
    @precondition(lambda self: len(self.tickets) < MAX_TICKETS)
    @rule(
        content=st.sampled_from(["路灯不亮", "夜间施工噪音扰民", "占道经营影响通行", "小区垃圾无人清运"]),
        at_once=st.sampled_from([None, None, "cgj", "zjj", "routed"]),
        who=st.sampled_from(["operator", "operator2", "reviewer", "handler"]),  # a department's user is refused
    )
    def call_is_saved(self, content: str, at_once: str | None, who: str) -> None:
        """A call saved by the operator, or received and dispatched at once by whoever tries (the console's complete
        intake, whose rows are written together: tickets/services/intake.py), to a department chosen by hand or by
        the routing table, with a co-handling department."""
        if at_once is None:
            ticket = services.ticket_receive(
                actor=self.people["operator"],
                channel="phone",
                kind="complaint",
                content=content,
                caller_phone="13812345678",
            )
            self.tickets.append(ticket.pk)
            return
        chosen = {"department_id": department(at_once).pk} if at_once != "routed" else {}
        other = department("zjj" if at_once == "cgj" else "cgj")
        refused = self.people[who].role not in ("operator", "reviewer")  # a department's user; the centre's succeed
        with pytest.raises(DomainError) if refused else contextlib.nullcontext():
            ticket = services.ticket_receive_dispatch(
                actor=self.people[who],
                channel="phone",
                kind="complaint",
                content=content,
                category_id=Category.objects.get(code="zdjy").pk,
                caller_phone="13812345678",
                co_department_ids=[other.pk],
                **chosen,
            )
        if not refused:
            self.tickets.append(ticket.pk)
            SEEN.add("intake:at once")

    @precondition(lambda self: len(self.tickets) < MAX_TICKETS)
    @rule(content=st.sampled_from(["井盖缺失", "噪音扰民"]))
    def citizen_submits_on_the_web(self, content: str) -> None:
        ticket, _code = public_submit(
            channel="web",
            kind="help",
            category_id=None,
            address="江北区望江街道",
            content=content,
            name="周女士",
            phone="13700001234",
            submission_key="",
        )
        self.tickets.append(ticket.pk)

    @precondition(lambda self: self.tickets)
    @rule(
        i=st.integers(0, 99),
        who=st.sampled_from(["operator", "operator2", "reviewer"]),
        verb=st.sampled_from(["take", "release"]),
    )
    def take_or_release(self, i: int, who: str, verb: str) -> None:
        call = services.ticket_take if verb == "take" else services.ticket_release
        self._try(lambda: call(ticket_id=self._ticket(i).pk, actor=self.people[who]))

    @precondition(lambda self: self.tickets)
    @rule(i=st.integers(0, 99), who=st.sampled_from(PEOPLE), to=st.sampled_from(["cgj", "zjj"]))
    def dispatch(self, i: int, who: str, to: str) -> None:
        self._try(
            lambda: services.ticket_dispatch(
                ticket_id=self._ticket(i).pk, actor=self.people[who], department_id=department(to).pk
            )
        )

    @precondition(lambda self: self.tickets)
    @rule(i=st.integers(0, 99), j=st.integers(0, 99), verb=st.sampled_from(["answer", "merge"]))
    def answer_or_merge(self, i: int, j: int, verb: str) -> None:
        ticket, main = self._ticket(i), self._ticket(j)
        operator = self.people["operator"]
        if verb == "answer":
            self._try(lambda: services.ticket_answer(ticket_id=ticket.pk, actor=operator, answer="已当场解答"))
        else:
            self._try(lambda: services.ticket_merge(ticket_id=ticket.pk, actor=operator, main_number=main.number))

    # --------------------------------------------------------- department rules
    @precondition(lambda self: self.tickets)
    @rule(
        i=st.integers(0, 99),
        who=st.sampled_from(["handler", "head", "zjj_handler", "zjj_head", "unit"]),
        verb=st.sampled_from(["sign", "contact", "return", "sub_dispatch", "unit_reply", "reply", "extend"]),
        days=st.integers(1, 20),
    )
    def department_acts(self, i: int, who: str, verb: str, days: int) -> None:
        tid, actor = self._ticket(i).pk, self.people[who]
        calls = {
            "sign": lambda: services.ticket_sign(ticket_id=tid, actor=actor),
            "contact": lambda: services.ticket_contact(ticket_id=tid, actor=actor, channel="phone", note="已联系"),
            "return": lambda: services.ticket_return(ticket_id=tid, actor=actor, reason="不属于本单位职责"),
            "sub_dispatch": lambda: services.ticket_sub_dispatch(
                ticket_id=tid, actor=actor, department_id=department("cgj-zfzd").pk
            ),
            "unit_reply": lambda: services.ticket_unit_reply(ticket_id=tid, actor=actor, text="现场核查完毕"),
            "reply": lambda: services.ticket_reply(ticket_id=tid, actor=actor, outcome="solved", text="已处理"),
            "extend": lambda: services.ticket_extend(
                ticket_id=tid,
                actor=actor,
                reason="需协调",
                new_due_date=timezone.localdate() + timedelta(days=days),
                citizen_informed=True,
            ),
        }
        self._try(calls[verb])

    # ------------------------------------------------------------ centre rules
    @precondition(lambda self: self.tickets)
    @rule(
        i=st.integers(0, 99),
        verb=st.sampled_from(["approve", "send_back", "close", "accept_return", "reject_return", "extension"]),
        yes=st.booleans(),
        to=st.sampled_from(["cgj", "zjj"]),
    )
    def reviewer_decides(self, i: int, verb: str, yes: bool, to: str) -> None:
        tid, actor = self._ticket(i).pk, self.people["reviewer"]
        calls = {
            "approve": lambda: services.ticket_approve_reply(ticket_id=tid, actor=actor),
            "send_back": lambda: services.ticket_send_back(ticket_id=tid, actor=actor, reason="答复不完整"),
            "close": lambda: services.ticket_close(ticket_id=tid, actor=actor),
            "accept_return": lambda: services.ticket_arbitrate_return(
                ticket_id=tid, actor=actor, accept=True, department_id=department(to).pk
            ),
            "reject_return": lambda: services.ticket_arbitrate_return(
                ticket_id=tid, actor=actor, accept=False, note="属于贵单位职责"
            ),
            "extension": lambda: services.ticket_decide_extension(ticket_id=tid, actor=actor, approve=yes),
        }
        self._try(calls[verb])

    @precondition(lambda self: self.tickets)
    @rule(
        i=st.integers(0, 99),
        how=st.sampled_from(["phone", "no_answer", "ivr", "sms"]),
        rating=st.integers(1, 5),
    )
    def survey(self, i: int, how: str, rating: int) -> None:
        ticket, operator = self._ticket(i), self.people["operator"]
        if how == "ivr":
            self._try(lambda: reviews.survey_answer_ivr(number=ticket.number, rating=rating, solved=rating > 2))
        elif how == "sms":
            tokens = [m.group(1) for _to, text in sms.outbox if (m := re.search(r"/s/([A-Za-z0-9_-]+)", text))]
            if tokens:
                self._try(lambda: reviews.survey_answer_sms(token=tokens[-1], rating=rating, solved=rating > 2))
        else:
            outcome = "answered" if how == "phone" else "no_answer"
            self._try(
                lambda: reviews.ticket_survey(
                    ticket_id=ticket.pk, actor=operator, outcome=outcome, rating=rating, solved=rating > 2
                )
            )

    @precondition(lambda self: self.tickets)
    @rule(
        i=st.integers(0, 99),
        who=st.sampled_from(["handler", "head", "zjj_handler", "zjj_head", "reviewer"]),
        verb=st.sampled_from(["verify", "report", "decide_invalid", "inform", "ledger_contact", "ledger_done"]),
        kind=st.sampled_from(["immediate", "ledger", "explained", "invalid"]),
        yes=st.booleans(),
    )
    def rectification_step(self, i: int, who: str, verb: str, kind: str, yes: bool) -> None:
        rect = Rectification.objects.filter(ticket_id=self._ticket(i).pk).order_by("-pk").first()
        if rect is None:
            return
        actor, rid = self.people[who], rect.pk
        ledger_day = timezone.localdate() + timedelta(days=10)
        calls = {
            "verify": lambda: reviews.rectification_verify(rectification_id=rid, actor=actor, note="已回访核实"),
            "report": lambda: reviews.rectification_report(
                rectification_id=rid, actor=actor, report_type=kind, text="整改情况", ledger_due_date=ledger_day
            ),
            "decide_invalid": lambda: reviews.rectification_decide_invalid(
                rectification_id=rid, actor=actor, approve=yes, note="审核意见"
            ),
            "inform": lambda: reviews.rectification_inform(rectification_id=rid, actor=actor, note="已告知市民"),
            "ledger_contact": lambda: reviews.rectification_ledger_contact(
                rectification_id=rid, actor=actor, note="已告知市民延后"
            ),
            "ledger_done": lambda: reviews.rectification_ledger_done(rectification_id=rid, actor=actor),
        }
        self._try(calls[verb])

    @precondition(lambda self: self.tickets)
    @rule(
        i=st.integers(0, 99),
        who=st.sampled_from(PEOPLE),
        verb=st.sampled_from(["apply", "opinion", "decide"]),
        yes=st.booleans(),
    )
    def appeal_step(self, i: int, who: str, verb: str, yes: bool) -> None:
        ticket, actor = self._ticket(i), self.people[who]
        if verb == "apply":
            self._try(lambda: reviews.appeal_apply(ticket_number=ticket.number, actor=actor, reasons="评价与事实不符"))
            return
        appeal = Appeal.objects.filter(ticket=ticket).order_by("-pk").first()
        if appeal is None:
            return
        if verb == "opinion":
            self._try(lambda: reviews.appeal_opinion(appeal_id=appeal.pk, actor=actor, supports=yes, note="意见"))
        else:
            self._try(lambda: reviews.appeal_decide(appeal_id=appeal.pk, actor=actor, upheld=yes, note="裁定"))

    @precondition(lambda self: self.tickets)
    @rule(i=st.integers(0, 99), pick=st.integers(0, 5), yes=st.booleans(), rating=st.integers(1, 5))
    def the_owner_takes_a_step_from_their_queue(self, i: int, pick: int, yes: bool, rating: int) -> None:
        """Whoever has the ticket in their work acts on it, up to three times in a row (a short work session), so
        that histories reach deep states; every action still goes through the services and their checks."""
        for turn in range(3):
            ticket = self._ticket(i)
            people = self.people.values()
            holders = [u for u in people if Ticket.objects.filter(work_filter(u), pk=ticket.pk).exists()]
            if not holders:
                return
            actor = holders[(pick + turn) % len(holders)]
            steps = _owner_steps(ticket, actor, yes=yes, rating=rating)
            if not steps:
                return
            self._try(steps[(pick + turn) % len(steps)])

    # The owner's step is the commonest thing in a centre's day: five rules give it five times the chance.
    @precondition(lambda self: self.tickets)
    @rule(i=st.integers(0, 99), pick=st.integers(0, 5), yes=st.booleans(), rating=st.integers(1, 5))
    def the_owner_takes_another_step(self, i: int, pick: int, yes: bool, rating: int) -> None:
        self.the_owner_takes_a_step_from_their_queue(i, pick, yes, rating)

    @precondition(lambda self: self.tickets)
    @rule(i=st.integers(0, 99), pick=st.integers(0, 5), yes=st.booleans(), rating=st.integers(1, 5))
    def the_owner_takes_a_third_step(self, i: int, pick: int, yes: bool, rating: int) -> None:
        self.the_owner_takes_a_step_from_their_queue(i, pick, yes, rating)

    @precondition(lambda self: self.tickets)
    @rule(i=st.integers(0, 99), pick=st.integers(0, 5), yes=st.booleans(), rating=st.integers(1, 5))
    def the_owner_takes_a_fourth_step(self, i: int, pick: int, yes: bool, rating: int) -> None:
        self.the_owner_takes_a_step_from_their_queue(i, pick, yes, rating)

    @precondition(lambda self: self.tickets)
    @rule(i=st.integers(0, 99), pick=st.integers(0, 5), yes=st.booleans(), rating=st.integers(1, 5))
    def the_owner_takes_a_fifth_step(self, i: int, pick: int, yes: bool, rating: int) -> None:
        self.the_owner_takes_a_step_from_their_queue(i, pick, yes, rating)

    # ------------------------------------------------------ time and calendar
    @rule(hours=st.integers(1, 120))
    def time_passes_and_the_sweep_runs(self, hours: int) -> None:
        self.now += timedelta(hours=hours)
        self.clock.move_to(self.now)
        before = dict(Deadline.objects.values_list("pk", "state"))
        breached_before = set(Deadline.objects.exclude(breached_at=None).values_list("pk", flat=True))
        events_before = TicketEvent.objects.filter(deadline__isnull=False).count()
        STEPS_RUN["count"] += 1
        sweep_deadlines(now=timezone.now())
        marked = TicketEvent.objects.filter(deadline__isnull=False).order_by("pk")[events_before:]
        for event in marked:
            if event.verb.endswith(("_warned", "_breached")):
                state = before.get(event.deadline_id or 0)
                assert state == "open", (event.verb, state)
            if event.verb.endswith("_warned"):
                assert event.deadline_id not in breached_before, "a warning after a breach"

    @rule(day=st.dates(min_value=date(2026, 9, 28), max_value=date(2027, 2, 28)), holiday=st.booleans())
    def admin_edits_the_calendar(self, day: date, holiday: bool) -> None:
        calendar_year_seed(year=day.year)
        CalendarDay.objects.filter(date=day).delete()
        CalendarDay.objects.create(year_id=day.year, date=day, kind="holiday" if holiday else "workday", name="调整")
        STEPS_RUN["count"] += 1
        change = {"change": "edited", "date": day.isoformat()}
        calendar_days_changed(year=day.year, actor=User.objects.get(username="admin"), changes=[change])

    @rule(year=st.sampled_from([2026, 2027]))
    def admin_confirms_a_year(self, year: int) -> None:
        calendar_year_seed(year=year)
        STEPS_RUN["count"] += 1
        calendar_confirm(year=year, actor=User.objects.get(username="admin"))

    @rule()
    def beat_folds_the_queue_counts(self) -> None:
        STEPS_RUN["count"] += 1
        queue_counts_compact()

    # -------------------------------------------------------------- invariants
    @invariant()
    def every_queue_count_is_the_number_of_tickets_in_the_queue(self) -> None:
        for name, user in self.people.items():
            keys = queue_keys(user)
            assert queue_counts(user, keys) == {key: queue_tickets(user, key).count() for key in keys}, name

    @invariant()
    def every_unfinished_ticket_has_one_owner_who_alone_has_it_in_their_work(self) -> None:
        mine = Ticket.objects.filter(pk__in=self.tickets)
        SEEN.update(f"status:{s}" for s in mine.values_list("status", flat=True))
        SEEN.update(f"queue:{q}" for q in mine.values_list("owner_queue", flat=True))
        clocks = Deadline.objects.filter(ticket_id__in=self.tickets)
        SEEN.update(f"clock:{s}" for s in clocks.values_list("state", flat=True))
        work = {
            name: set(Ticket.objects.filter(work_filter(user)).values_list("pk", flat=True))
            for name, user in self.people.items()
        }
        for ticket in Ticket.objects.filter(pk__in=self.tickets):
            owner = ticket_owner(ticket)
            stored = (ticket.owner_queue, ticket.owner_department_id, ticket.owner_user_id)
            holders = {name for name, owned in work.items() if ticket.pk in owned}
            if ticket.status in FINISHED:
                assert owner is None and stored == ("", None, None) and not holders, (ticket.number, stored, holders)
                continue
            assert owner is not None, (ticket.number, ticket.status)
            assert stored == (owner.queue, owner.department_id or None, owner.user_id), (ticket.number, stored, owner)
            assert holders == self._expected_holders(owner), (ticket.number, owner, holders)

    def _expected_holders(self, owner) -> set[str]:
        queue = QUEUES[owner.queue]
        if owner.user_id is not None:
            return {name for name, user in self.people.items() if user.pk == owner.user_id}
        return {
            name
            for name, user in self.people.items()
            if user.role in queue.roles and (queue.side == CENTRE_SIDE or user.department_id == owner.department_id)
        }

    @invariant()
    def a_finished_ticket_has_no_open_clock_and_live_clocks_belong_to_a_holder(self) -> None:
        live = Deadline.objects.filter(ticket_id__in=self.tickets, state__in=["open", "paused"]).select_related(
            "ticket"
        )
        for clock in live:
            assert clock.ticket.status not in FINISHED, (clock.ticket.number, clock.kind)
            if clock.department_id is not None:
                assert Dispatch.objects.filter(
                    ticket_id=clock.ticket_id, department_id=clock.department_id, active=True
                ).exists() or (clock.department is not None and clock.department.kind == "centre"), (
                    clock.ticket.number,
                    clock.kind,
                )

    @invariant()
    def no_clock_is_warned_or_breached_twice_and_every_notice_has_its_breach(self) -> None:
        twice = (
            TicketEvent.objects.filter(ticket_id__in=self.tickets, deadline__isnull=False)
            .values("deadline_id", "verb")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
        )
        assert not twice.exists()
        for notice in SupervisionNotice.objects.filter(ticket_id__in=self.tickets, deadline__isnull=False):
            assert TicketEvent.objects.filter(deadline=notice.deadline, verb__endswith="_breached").exists()
        for row in Outbox.objects.filter(ticket_id__in=self.tickets, kind__in=["breach", "warning"]):
            deadline_id = int(row.key.split(":")[1])
            verb = "_breached" if row.kind == "breach" else "_warned"
            assert TicketEvent.objects.filter(deadline_id=deadline_id, verb__endswith=verb).exists()

    @invariant()
    def a_tickets_department_words_are_the_departments_ever_dispatched_to(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT t.id, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYYMM'),"
                " ARRAY(SELECT w.lexeme FROM unnest(t.search_vector) w WHERE w.lexeme LIKE '§%%')"
                " FROM tickets_ticket t WHERE t.id = ANY(%s)",
                [self.tickets],
            )
            for pk, month, words in cursor.fetchall():
                handled = set(Dispatch.objects.filter(ticket_id=pk).values_list("department_id", flat=True))
                if len(handled) > 1:
                    SEEN.add("words:several departments")
                assert set(words) == {w for d in handled for w in (f"§{d}", f"§{d}@{month}")}, (pk, words, handled)


def _owner_steps(ticket: Ticket, actor: User, *, yes: bool, rating: int) -> list:
    """What the owner of ``ticket``'s queue would do next, as calls (the services still decide if they may)."""
    tid, queue = ticket.pk, ticket.owner_queue
    dept = {"cgj": "zjj", "zjj": "cgj"}.get(ticket.lead_department.code if ticket.lead_department else "", "cgj")
    rect = Rectification.objects.filter(ticket_id=tid).order_by("-pk").first()
    appeal = Appeal.objects.filter(ticket_id=tid).order_by("-pk").first()
    later = timezone.localdate() + timedelta(days=9)
    sub = department("cgj-zfzd").pk
    table: dict[str, list[Callable[[], object]]] = {
        "saved": [lambda: services.ticket_dispatch(ticket_id=tid, actor=actor, department_id=department(dept).pk)],
        "intake": [
            lambda: services.ticket_take(ticket_id=tid, actor=actor),
            lambda: services.ticket_dispatch(ticket_id=tid, actor=actor, department_id=department(dept).pk),
        ],
        "sign": [
            lambda: services.ticket_sign(ticket_id=tid, actor=actor),
            lambda: services.ticket_return(ticket_id=tid, actor=actor, reason="不属于本单位职责"),
        ],
        "contact": [
            lambda: services.ticket_contact(ticket_id=tid, actor=actor, channel="phone", note="已联系"),
            lambda: services.ticket_sub_dispatch(ticket_id=tid, actor=actor, department_id=sub),
        ],
        "reply": [
            lambda: services.ticket_reply(ticket_id=tid, actor=actor, outcome="solved", text="已处理"),
            lambda: services.ticket_sub_dispatch(ticket_id=tid, actor=actor, department_id=sub),
            lambda: services.ticket_extend(
                ticket_id=tid, actor=actor, reason="需协调", new_due_date=later, citizen_informed=True
            ),
        ],
        "rework": [lambda: services.ticket_reply(ticket_id=tid, actor=actor, outcome="solved", text="重新办理")],
        "sub_dispatch": [
            lambda: services.ticket_contact(ticket_id=tid, actor=actor, channel="visit", note="现场核查"),
            lambda: services.ticket_unit_reply(ticket_id=tid, actor=actor, text="核查完毕"),
        ],
        "returns": [
            lambda: services.ticket_arbitrate_return(
                ticket_id=tid, actor=actor, accept=yes, note="裁定", department_id=department(dept).pk
            )
        ],
        "review": [
            lambda: services.ticket_approve_reply(ticket_id=tid, actor=actor),
            lambda: services.ticket_send_back(ticket_id=tid, actor=actor, reason="答复不完整"),
        ],
        "extensions": [lambda: services.ticket_decide_extension(ticket_id=tid, actor=actor, approve=yes)],
        "survey": [
            lambda: reviews.ticket_survey(
                ticket_id=tid, actor=actor, outcome="answered", rating=rating, solved=rating > 2
            ),
            lambda: reviews.ticket_survey(ticket_id=tid, actor=actor, outcome="no_answer"),
            lambda: services.ticket_close(ticket_id=tid, actor=actor),
        ],
    }
    if rect is not None:
        kind = ["immediate", "ledger", "explained", "invalid"][rating % 4]
        rid = rect.pk
        table |= {
            "rect_verify": [
                lambda: reviews.rectification_verify(rectification_id=rid, actor=actor, note="已核实"),
                lambda: reviews.appeal_apply(ticket_number=ticket.number, actor=actor, reasons="评价与事实不符"),
            ],
            "rect_report": [
                lambda: reviews.rectification_report(
                    rectification_id=rid, actor=actor, report_type=kind, text="报告", ledger_due_date=later
                )
            ],
            "invalid_review": [
                lambda: reviews.rectification_decide_invalid(
                    rectification_id=rid, actor=actor, approve=yes, note="审核"
                )
            ],
            "rect_inform": [lambda: reviews.rectification_inform(rectification_id=rid, actor=actor, note="已告知")],
        }
    if appeal is not None:
        aid = appeal.pk
        table |= {
            "appeal_opinion": [lambda: reviews.appeal_opinion(appeal_id=aid, actor=actor, supports=yes, note="意见")],
            "appeal_decide": [lambda: reviews.appeal_decide(appeal_id=aid, actor=actor, upheld=yes, note="裁定")],
        }
    return table.get(queue, [])


@pytest.fixture
def people(actors, settings) -> None:
    """The demo city plus a second operator, 住建局's handler and head, and 执法支队's handler."""
    settings.SMS_BACKEND = "hotline.sms.LocmemBackend"
    User.objects.create_user("operator2", "a-long-password", role="operator", department=department("centre"))
    User.objects.create_user("zjj_handler", "a-long-password", role="handler", department=department("zjj"))
    User.objects.create_user("zjj_head", "a-long-password", role="head", department=department("zjj"))


def test_random_histories_keep_the_closed_loop(people) -> None:
    assert django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "runs on the real PostgreSQL"
    STEPS_RUN["count"] = 0
    SEEN.clear()
    run_state_machine_as_test(
        Lifecycle,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=os.environ.get("HOTLINE_PROPERTY_SEED") is None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    print(f"lifecycle property: {STEPS_RUN['count']} actions over {EXAMPLES} histories")
    print("reached:", " ".join(sorted(SEEN)))
    assert STEPS_RUN["count"] >= EXAMPLES * STEPS // 2
    deep = {
        "status:rectifying",
        "status:closed",
        "status:returned",
        "queue:sub_dispatch",
        "clock:paused",
        "clock:ended",
        "words:several departments",
        "intake:at once",
    }
    assert deep <= SEEN, deep - SEEN
