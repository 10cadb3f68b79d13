"""Every page answers with a Content-Security-Policy that allows no inline script, and with a Permissions-Policy."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import Actors, ticket_in
from tickets import workflow


def script_sources(policy: str) -> list[str]:
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return directives["script-src"].split()


def assert_safe_headers(response) -> None:
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert script_sources(policy) == ["'self'"]
    assert "'unsafe-eval'" not in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


@pytest.mark.parametrize("path", ["/accounts/login/", "/submit/", "/mailbox/", "/track/"])
def test_public_pages_allow_no_inline_script_and_no_browser_features(db: None, client: Client, path: str) -> None:
    assert_safe_headers(client.get(path))


@pytest.mark.parametrize(
    ("who", "path"),
    [("operator", "/console/"), ("handler", "/workbench/"), ("supervisor", "/supervision/"), ("reviewer", "/tickets/")],
)
def test_staff_pages_allow_no_inline_script_and_no_browser_features(
    client: Client, actors: Actors, who: str, path: str
) -> None:
    client.force_login(getattr(actors, who))
    assert_safe_headers(client.get(path))


def test_a_ticket_page_allows_no_inline_script_and_no_browser_features(client: Client, actors: Actors) -> None:
    ticket = ticket_in(workflow.DISPATCHED, actors)
    client.force_login(actors.reviewer)
    assert_safe_headers(client.get(f"/tickets/{ticket.number}/"))


def test_no_template_holds_an_inline_script_or_event_handler() -> None:
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    offending = []
    for template in root.glob("**/templates/**/*.html"):
        if ".venv" in template.parts or "node_modules" in template.parts:
            continue
        text = template.read_text()
        for marker in ("<script>", " onclick=", " onchange=", " onsubmit=", " onload=", "hx-on", "javascript:"):
            if marker in text:
                offending.append(f"{template.relative_to(root)}: {marker.strip()}")
        for tag in text.split("<script")[1:]:
            opening = tag.split(">", 1)[0]
            if "src=" not in opening and "application/json" not in opening:
                offending.append(f"{template.relative_to(root)}: <script{opening}>")
    assert offending == []
