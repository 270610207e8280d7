"""A teacher signs in and sees their home page; a leader opens the staff directory and
searches it; every page visited passes axe, at desktop and phone widths."""

from __future__ import annotations

import pytest

from tenancy.factories import PASSWORD
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_signs_in_and_sees_their_school_and_team(page, world):
    sign_in(page, "teacher@riverside.example", PASSWORD)
    assert page.get_by_role("heading", name="Riverside Primary").is_visible()
    assert page.get_by_text("Maths").first.is_visible()
    assert page.get_by_text("Directed time this year").is_visible()
    assert page.get_by_role("button", name="Find professional development").is_visible()
    assert axe_violations(page) == []


def test_a_wrong_password_is_refused_with_a_message(page, world):
    sign_in(page, "teacher@riverside.example", "not-the-password")
    assert page.get_by_role("alert").is_visible()
    assert "/accounts/login/" in page.url


def test_a_leader_searches_the_staff_directory(page, world):
    sign_in(page, "maths.lead@riverside.example", PASSWORD)
    page.goto("/people/directory/")
    assert page.get_by_role("heading", name="Staff directory").is_visible()
    page.get_by_label("Search").fill("ect@")
    page.wait_for_function(
        "() => document.querySelector('#results').innerText.includes('1 member of staff')"
    )
    assert page.get_by_role("link", name="Ect").is_visible()
    assert axe_violations(page) == []


def test_pages_are_usable_at_phone_width(phone, world):
    sign_in(phone, "admin@riverside.example", PASSWORD)
    for url in [
        "/",
        "/people/directory/",
        "/people/profile/",
        f"/schools/{world.school.pk}/",
        "/cpd/",
        "/bookings/",
        "/directed-time/",
        "/notifications/",
    ]:
        phone.goto(url)
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 380, f"{url} scrolls sideways at phone width ({width}px)"
        assert axe_violations(phone) == [], url
