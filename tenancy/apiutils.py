"""Shared pieces of the JSON API: token authentication and keyset pagination."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from tenancy.models import ApiToken
from tenancy.prepared import Prepared


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: a personal token made on the tokens page or by
    `staffroom create-token`."""

    def authenticate(self, request, token: str):
        if not token or len(token) > 200:
            return None
        found = _live_token.first(ApiToken.hash(token))
        if found is None or not found.user.is_active:
            return None
        _stamp(found)
        request.user = found.user
        return found.user


# Every API call runs this lookup: compiled once (see tenancy/prepared.py).
_live_token = Prepared(
    lambda key_hash: ApiToken.objects.select_related("user").filter(
        key_hash=key_hash, revoked_at__isnull=True
    ),
    str,
)


# "Last used" is shown to the hour: a token in steady use is written once an hour, not on
# every request (each write is a commit of its own).
STAMP_EVERY = datetime.timedelta(hours=1)


# A filtered update, so workers racing on the same token write it once.
_TOKENS = ApiToken._meta.db_table
_STAMP_FIRST = f"""
    UPDATE {_TOKENS} SET last_used_at = %s WHERE id = %s AND last_used_at IS NULL
"""  # noqa: S608 (the table name from the model; every value is a parameter)
_STAMP_AGAIN = f"""
    UPDATE {_TOKENS} SET last_used_at = %s WHERE id = %s AND last_used_at = %s
"""  # noqa: S608


def _stamp(token: ApiToken) -> None:
    """Note when the token was used: on its first use, then when the note is an hour old.
    Plain SQL: this runs on a token's first call, often the one that matters."""
    now = timezone.now()
    first = token.last_used_at is None
    if not first and now - token.last_used_at <= STAMP_EVERY:
        return
    adapt = connection.ops.adapt_datetimefield_value
    params = [adapt(now), token.pk] + ([] if first else [adapt(token.last_used_at)])
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_FIRST if first else _STAMP_AGAIN, params)


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
