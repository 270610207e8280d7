"""Refuse input no database column can hold, before any view sees it."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# A NUL byte, raw or as a JSON escape: PostgreSQL text cannot hold it.
_JSON_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
MESSAGE = "The request contains a NUL character, which no field can hold."


class RejectNulBytesMiddleware:
    """Answer 400 with a clear message when a query string, form or JSON body carries a NUL
    character, so that no request turns into a database error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE, "errors": []}, status=400)
            return render(request, "errors/400.html", {"message": MESSAGE}, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            return True
        if "\x00" in request.path:
            return True
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            content_type = request.META.get("CONTENT_TYPE", "")
            if content_type.startswith("application/json"):
                body = request.body
                return b"\x00" in body or bool(_JSON_NUL.search(body))
            if content_type.startswith("application/x-www-form-urlencoded"):
                return any("\x00" in v for values in request.POST.lists() for v in values[1])
        return False
