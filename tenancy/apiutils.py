"""Shared pieces of the JSON API: token authentication and keyset pagination."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from tenancy.models import ApiToken


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: a personal token made on the tokens page or by
    `staffroom create-token`."""

    def authenticate(self, request, token: str):
        if not token or len(token) > 200:
            return None
        try:
            found = ApiToken.objects.select_related("user").get(
                key_hash=ApiToken.hash(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        if not found.user.is_active:
            return None
        _stamp(found)
        request.user = found.user
        return found.user


# "Last used" is shown to the hour: a token in steady use is written once an hour, not on
# every request (each write is a commit of its own).
STAMP_EVERY = datetime.timedelta(hours=1)


def _stamp(token: ApiToken) -> None:
    """Note when the token was used: on its first use, then when the note is an hour old. A
    filtered update, so workers racing on the same token write it once."""
    now = timezone.now()
    if token.last_used_at is None:
        ApiToken.objects.filter(pk=token.pk, last_used_at__isnull=True).update(last_used_at=now)
    elif now - token.last_used_at > STAMP_EVERY:
        ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(
            last_used_at=now
        )


AUTH = [BearerToken(), django_auth]


def page(request, queryset: QuerySet, *, limit: int | None = None) -> dict[str, Any]:
    """One keyset page ordered by id: `?after=<last id>&limit=N`. No COUNT over big tables."""
    try:
        size = int(request.GET.get("limit") or limit or settings.API_PAGE_SIZE)
    except ValueError:
        size = settings.API_PAGE_SIZE
    size = max(1, min(size, 200))
    after = request.GET.get("after")
    qs = queryset.order_by("id")
    if after:
        try:
            qs = qs.filter(id__gt=int(after))
        except ValueError:
            qs = qs.none()
    items = list(qs[: size + 1])
    more = len(items) > size
    items = items[:size]
    next_url = None
    if more:
        params = request.GET.copy()
        params["after"] = str(items[-1].id)
        params["limit"] = str(size)
        next_url = f"{request.path}?{params.urlencode()}"
    return {"items": items, "next": next_url}
