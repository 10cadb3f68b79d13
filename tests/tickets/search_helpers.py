"""Searching /tickets/ as a user, and following its rel="next" links."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client

from org.models import User

ROW = re.compile(r'<tr data-number="(\d+)">')
NEXT = re.compile(r'<a class="page-link" rel="next" href="\?([^"]+)"')
PREV = re.compile(r'<a class="page-link" rel="prev" href="\?([^"]+)"')


def found(user: User, **params: str) -> list[str]:
    """The ticket numbers on the first page of /tickets/ for these parameters."""
    client = Client()
    client.force_login(user)
    response = client.get("/tickets/", params)
    assert response.status_code == 200, response.status_code
    return ROW.findall(response.content.decode())


def every_page(user: User, query: str) -> tuple[list[str], int]:
    """Every number reached by following rel="next" from the first page, and the number of pages."""
    client = Client()
    client.force_login(user)
    numbers, pages, url = [], 0, f"/tickets/?{query}"
    while url:
        body = client.get(url).content.decode()
        pages += 1
        numbers += ROW.findall(body)
        link = NEXT.search(body)
        url = f"/tickets/?{unescape(link.group(1))}" if link else ""
    return numbers, pages
