"""Where a signed-in person's session and account are read on every request.

Django's own session store and authentication backend, with the two lookups every signed-in
request makes (the session row, then the account) compiled once per process (see
tenancy/prepared.py) instead of built afresh each time. Behaviour is Django's.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from tenancy.models import User
from tenancy.prepared import Prepared

_live_session = Prepared(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now),
    str,
    datetime.datetime,
)
_account = Prepared(lambda pk: User.objects.filter(pk=pk), int)


class SessionStore(DatabaseSessionStore):
    """The database session store; SESSION_ENGINE = "tenancy.sessions"."""

    def _get_session_from_db(self) -> Session | None:
        found = _live_session.first(self.session_key or "", timezone.now())
        if found is None:
            self._session_key = None
        return found


class AccountBackend(ModelBackend):
    """Django's model backend, reading the signed-in account with a prepared query."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _account.first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
