"""Session limits: a session ends after 30 minutes without a request and 12 hours after login."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

STARTED, SEEN = "_hotline_started", "_hotline_seen"
# Refresh the "last seen" stamp at most once a minute, so that most requests do not write the session.
SEEN_RESOLUTION = timedelta(minutes=1)
LIVE_POLL_HEADER = "X-Hotline-Poll"  # sent by static/js/live.js with every refresh a page asks for by itself


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            started = request.session.setdefault(STARTED, now)
            seen = request.session.get(SEEN, now)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
            if now - seen > idle or now - started > absolute:
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
            elif request.headers.get(LIVE_POLL_HEADER):
                pass  # a page refreshing itself is not the user at work: it never keeps an idle session alive
            elif now - seen >= SEEN_RESOLUTION.total_seconds() or SEEN not in request.session:
                request.session[SEEN] = now
        return self.get_response(request)
