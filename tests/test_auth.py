"""Signing in and out: Argon2, throttling, password reset, sign out everywhere."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tenancy.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production_settings():
    import staffroom.settings as production

    # Tests swap in a fast hasher; the settings module itself puts Argon2 first.
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_signing_in_with_email_and_password_reaches_the_home_page(client, world):
    response = client.post(
        "/accounts/login/",
        {"username": "Teacher@Riverside.example", "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert b"Riverside Primary" in response.content


def test_repeated_failed_sign_ins_lock_the_account_for_a_while(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/accounts/login/", {"username": "teacher@riverside.example", "password": "wrong"}
        )
    response = client.post(
        "/accounts/login/", {"username": "teacher@riverside.example", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content


def test_a_password_reset_email_is_sent_and_the_link_works(client, world):
    client.post("/accounts/password-reset/", {"email": "teacher@riverside.example"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert b"Choose a new password" in response.content


def test_a_reset_for_an_unknown_email_reveals_nothing(client, world):
    response = client.post(
        "/accounts/password-reset/", {"email": "nobody@example.org"}, follow=True
    )
    assert b"Check your email" in response.content
    assert mail.outbox == []


def test_sign_out_everywhere_ends_sessions_on_other_devices(world):
    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post(
            "/accounts/login/", {"username": "teacher@riverside.example", "password": PASSWORD}
        )
        assert device.get("/").status_code == 200
    laptop.post("/people/profile/sign-out-everywhere/")
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302


def test_forms_need_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["teacher"])
    response = client.post("/people/tokens/", {"name": "sneaky"})
    assert response.status_code == 403
