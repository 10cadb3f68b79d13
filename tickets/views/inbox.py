"""The notification inbox: unread count in the top bar, marked read when opened, pages with rel="next", and
"mark all read"."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tickets.models import Notification, Outbox
from tickets.search.pages import forward_page
from tickets.work import counts_together


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    assert request.user.pk is not None
    rows = Notification.objects.filter(user_id=request.user.pk).select_related("ticket")
    page = forward_page(rows, request.GET, sort="-created_at")
    return render(request, "tickets/inbox.html", {"rows": page.rows, "page": page})


@login_required
@require_POST
def inbox_mark_all_read(request: HttpRequest) -> HttpResponse:
    """Every unread notification of the user, read now (one indexed UPDATE)."""
    assert request.user.pk is not None
    done = Notification.objects.filter(user_id=request.user.pk, read_at=None).update(read_at=timezone.now())
    messages.success(request, gettext("%(n)s notifications marked read.") % {"n": done})
    return redirect("tickets:inbox")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, pk=pk, user_id=request.user.pk)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk, read_at=None).update(read_at=timezone.now())
    return redirect("tickets:detail", number=notification.ticket.number)


@login_required
def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The top bar's notification badge alone: what an open page asks for every HOTLINE_LIVE_POLL_SECONDS."""
    return render(request, "tickets/_badge.html")


UNREAD_SHOWN = 99  # the badge says "99+" past this: a person never reads a bigger number, and it costs the same


def unread_count(request: HttpRequest) -> dict:
    """Context processor: the unread count for the top bar (up to ``UNREAD_SHOWN``, then "99+"), how many of them are
    督办 (exactly: they chime), and how often an open page refreshes itself. Every open page polls this, so neither
    query reads more than a hundred index entries however many notifications a person leaves unread."""
    live = {"live_poll_seconds": settings.HOTLINE_LIVE_POLL_SECONDS}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return live
    unread = Notification.objects.filter(user_id=user.pk, read_at=None)
    counts = counts_together(
        {"shown": unread.values("pk")[: UNREAD_SHOWN + 1], "supervise": unread.filter(kind=Outbox.Kind.SUPERVISE)}
    )
    return {
        **live,
        "unread_notifications": min(counts["shown"], UNREAD_SHOWN),
        "unread_more": counts["shown"] > UNREAD_SHOWN,
        "unread_supervise": counts["supervise"],
    }
