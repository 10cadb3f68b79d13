from tickets.models.catalogue import Category, DeadlinePolicy, KnowledgeArticle, RoutingRule
from tickets.models.counts import DeadlineCount, DeadlineCountDelta, QueueCount, QueueCountDelta
from tickets.models.deadline import Deadline, SupervisionNotice
from tickets.models.draft import CallDraft
from tickets.models.notify import Notification, Outbox, SmsMessage
from tickets.models.search import SavedSearch
from tickets.models.ticket import (
    Attachment,
    Caller,
    Contact,
    DailySequence,
    Dispatch,
    ExtensionRequest,
    Reply,
    Ticket,
    TicketEvent,
)

__all__ = [
    "Attachment",
    "CallDraft",
    "Caller",
    "Category",
    "Contact",
    "DailySequence",
    "Deadline",
    "DeadlineCount",
    "DeadlineCountDelta",
    "DeadlinePolicy",
    "Dispatch",
    "ExtensionRequest",
    "KnowledgeArticle",
    "Notification",
    "Outbox",
    "QueueCount",
    "QueueCountDelta",
    "Reply",
    "RoutingRule",
    "SavedSearch",
    "SmsMessage",
    "SupervisionNotice",
    "Ticket",
    "TicketEvent",
]
