"""The citizen's address behind the documented TLS proxy: settings.TRUSTED_PROXY_HOPS decides how many proxies to trust.

With 0 hops (no proxy), REMOTE_ADDR is the client. With n hops, the last n addresses a request came through are our
own proxies: the client is the n-th address from the right of ``X-Forwarded-For`` + REMOTE_ADDR. Entries further left
were written by the client and are never trusted. Used by the rate limits, django-axes and the fraud flags.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    chain = [*forwarded, remote]
    candidate = chain[-(hops + 1)] if len(chain) > hops else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not an address: whatever the proxy saw last is safer than a made-up value
        return remote
