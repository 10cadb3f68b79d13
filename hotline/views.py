"""Project-level pages: the role dispatcher behind ``/`` and the health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext

from hotline.celery import app as celery_app
from hotline.middleware import bad_request as bad_request_response
from hotline.replicas import replica_aliases, replicas_health
from org.models import User

ROLE_HOME = {
    User.Role.OPERATOR: "tickets:console",
    User.Role.REVIEWER: "tickets:centre_queues",
    User.Role.HANDLER: "tickets:workbench",
    User.Role.HEAD: "tickets:workbench",
    User.Role.SUPERVISOR: "tickets:supervision",
    User.Role.ADMIN: "admin:index",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Every role lands on its own page."""
    role = getattr(request.user, "role", User.Role.OPERATOR)
    return redirect(ROLE_HOME[role])


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down", reported with its class name
        return f"down: {type(exc).__name__}"
    return "ok"


def _broker_state() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    except Exception as exc:  # the broker being down is reported, not fatal: the database holds the truth
        return f"down: {type(exc).__name__}"
    return "ok"


def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the state of the database, its replicas and the broker; 503 when the database is down. A replica
    that is down or lagging is reported (its reads go to the primary), not fatal."""
    state: dict[str, object] = {"database": _database_state(), "broker": _broker_state()}
    if replica_aliases():
        state["replicas"] = replicas_health()
    return JsonResponse(state, status=200 if state["database"] == "ok" else 503)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says: send them to the icon among the static files."""
    return redirect(static("favicon.svg"), permanent=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form that came back without a valid token gets a Chinese page with a way back (403)."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: a malformed or oversized request gets a Chinese message (JSON for the API and Open311)."""
    return bad_request_response(request, gettext("The request is malformed or too large."))
