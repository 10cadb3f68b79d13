"""One function per write. ``grep -rn "def ticket_" tickets/services`` lists every one."""

from tickets.services.dispatch import (
    ticket_arbitrate_return,
    ticket_dispatch,
    ticket_return,
    ticket_sub_dispatch,
    ticket_unit_reply,
)
from tickets.services.handling import ticket_co_reply, ticket_contact, ticket_extend, ticket_reply, ticket_sign
from tickets.services.intake import (
    ticket_answer,
    ticket_complete,
    ticket_create,
    ticket_merge,
    ticket_receive,
    ticket_receive_dispatch,
    ticket_release,
    ticket_take,
)
from tickets.services.review import (
    ticket_approve_reply,
    ticket_close,
    ticket_decide_extension,
    ticket_remind,
    ticket_send_back,
    ticket_supervise,
)

__all__ = [
    "ticket_answer",
    "ticket_approve_reply",
    "ticket_arbitrate_return",
    "ticket_close",
    "ticket_co_reply",
    "ticket_complete",
    "ticket_contact",
    "ticket_create",
    "ticket_decide_extension",
    "ticket_dispatch",
    "ticket_extend",
    "ticket_merge",
    "ticket_receive",
    "ticket_receive_dispatch",
    "ticket_release",
    "ticket_remind",
    "ticket_reply",
    "ticket_return",
    "ticket_send_back",
    "ticket_sign",
    "ticket_sub_dispatch",
    "ticket_supervise",
    "ticket_take",
    "ticket_unit_reply",
]
