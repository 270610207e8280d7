"""`staffroom createsuperuser --noinput` needs only an email and a password in the environment."""

from __future__ import annotations

import pytest

from staffroom.cli import main
from tenancy.models import User


@pytest.fixture
def keep_connection(monkeypatch):
    """The console script closes every database connection when a command ends, which on
    PostgreSQL would end the test's transaction too."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.mark.django_db
def test_createsuperuser_works_from_email_and_password_alone(monkeypatch, client, keep_connection):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Root@Staffroom.example")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-site-password")

    main(["staffroom", "createsuperuser", "--noinput"])

    user = User.objects.get()
    assert user.email == "root@staffroom.example"
    assert user.is_superuser and user.is_staff and user.is_active
    assert user.check_password("a-long-site-password")
    response = client.post(
        "/accounts/login/",
        {"username": "root@staffroom.example", "password": "a-long-site-password"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
