"""The teacher's main path in a browser: search the catalogue, book a session, join the
waiting list of a full one, and take the place when a colleague cancels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from booking import services as booking
from offers import services as offers
from offers.tests.conftest import at
from tenancy.factories import PASSWORD
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def term_offer(world):
    lead = world.people["cpd_lead"]
    questioning = offers.create_offer(
        lead,
        title="Questioning that makes pupils think",
        school=world.school,
        summary="Hinge questions and wait time, tried in your next lesson.",
    )
    offers.add_session(lead, questioning, dates=[(at(8), at(8, 17), "")], capacity=20)
    retrieval = offers.create_offer(
        lead,
        title="Retrieval practice in maths",
        school=world.school,
        summary="Low-stakes quizzing that sticks.",
    )
    full = offers.add_session(lead, retrieval, dates=[(at(9), at(9, 17), "")], capacity=1)
    booking.book_session(world.people["ect"], full)
    return full


def open_offer(page, query: str, title: str) -> None:
    page.goto("/cpd/")
    page.get_by_label("Search").fill(query)
    page.get_by_label("Search").press("Enter")
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()


def test_a_teacher_books_is_waitlisted_and_is_promoted_when_a_colleague_cancels(
    page, browser, live_server, world, term_offer
):
    sign_in(page, "teacher@riverside.example", PASSWORD)

    open_offer(page, "questioning", "Questioning that makes pupils think")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Book a place").click()
    expect(page.get_by_text(re.compile("confirmed", re.I)).first).to_be_visible()

    open_offer(page, "retrieval", "Retrieval practice in maths")
    page.get_by_role("button", name="Join the waiting list").click()
    expect(page.get_by_text(re.compile(r"position 1\b")).first).to_be_visible()
    assert axe_violations(page) == []

    colleague = browser.new_context(base_url=live_server.url).new_page()
    colleague.on("dialog", lambda dialog: dialog.accept())
    sign_in(colleague, "ect@riverside.example", PASSWORD)
    colleague.goto("/bookings/")
    colleague.get_by_role("button", name="Cancel").first.click()
    expect(colleague.get_by_text(re.compile("is cancelled"))).to_be_visible()
    colleague.context.close()

    page.goto("/bookings/")
    expect(page.get_by_text("A place is yours")).to_be_visible()
    page.get_by_role("button", name="Accept the place").click()
    page.goto("/bookings/")
    expect(page.get_by_text("A place is yours")).to_have_count(0)
    term_offer.refresh_from_db()
    assert term_offer.confirmed_count == 1
    assert term_offer.bookings.get(user=world.people["teacher"]).status == "confirmed"
