"""Bad input that no view should see: a NUL in a query or form field, and DomainErrors raised by pages.

Each is answered 400 with a Chinese message: JSON for the API and Open311, the plain message page elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from hotline.errors import DomainError
from hotline.inputs import has_nul


def bad_request(request: HttpRequest, message: str, *, status: int = 400, code: str = "invalid") -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    if request.path.startswith("/open311/"):
        errors = [{"code": status, "description": message}]
        return JsonResponse(errors, safe=False, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "channels/message.html", {"message": message}, status=status)


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD", "POST") and self._has_nul(request):
            return bad_request(request, gettext("The text contains a character that is not allowed."))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        params = [request.GET] + ([request.POST] if request.method == "POST" else [])
        return any(has_nul(k) or any(has_nul(v) for v in values) for p in params for k, values in p.lists())

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A page (not the API, whose handler does this) that lets a DomainError through answers its status."""
        if isinstance(exception, DomainError):
            return bad_request(request, str(exception.message), status=exception.status, code=exception.code)
        return None


# Browser features no page of the hotline uses: refused to every page and to anything a page might embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
