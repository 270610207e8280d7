"""`staffroom create-token EMAIL [EMAIL ...]`: tokens for scripts and benchmarks."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from staffroom.cli import main
from tenancy.factories import make_user
from tenancy.models import ApiToken


@pytest.fixture
def keep_connection(monkeypatch):
    """The console script closes every database connection when a command ends, which on
    PostgreSQL would end the test's transaction too."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


@pytest.mark.django_db
def test_each_email_gets_a_line_with_a_working_token(client):
    make_user("ada@school.example")
    make_user("ben@school.example")
    out = io.StringIO()

    call_command("create_token", "ada@school.example", "Ben@School.example", stdout=out)

    lines = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [email for email, _ in lines] == ["ada@school.example", "Ben@School.example"]
    for email, raw in lines:
        token = ApiToken.objects.get(key_hash=ApiToken.hash(raw))
        assert token.user.email == email.lower()
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert response.status_code == 200


@pytest.mark.django_db
def test_the_token_takes_the_given_name():
    make_user("ada@school.example")
    call_command("create_token", "ada@school.example", name="Booking storm", stdout=io.StringIO())
    assert ApiToken.objects.get().name == "Booking storm"


@pytest.mark.django_db
def test_an_unknown_email_creates_no_tokens_at_all():
    make_user("ada@school.example")
    with pytest.raises(CommandError, match="nobody@school.example"):
        call_command("create_token", "ada@school.example", "nobody@school.example")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_the_console_script_exits_non_zero_and_explains_on_stderr(capsys, keep_connection):
    with pytest.raises(SystemExit) as exit_info:
        main(["staffroom", "create-token", "nobody@school.example"])
    assert exit_info.value.code != 0
    captured = capsys.readouterr()
    assert "nobody@school.example" in captured.err
    assert captured.out == ""
    assert not ApiToken.objects.exists()
