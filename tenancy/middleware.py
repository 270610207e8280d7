"""Ends sessions older than the person's last "sign out everywhere"."""

from __future__ import annotations

from django.contrib.auth import logout

EPOCH_KEY = "staffroom_epoch"


class SessionEpochMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(EPOCH_KEY, 0) != user.session_epoch
        ):
            logout(request)
        return self.get_response(request)
