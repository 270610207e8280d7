"""A CPD lead builds the term's offer in the browser and prints the booklet."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tenancy.factories import PASSWORD
from tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def local(days: int, hour: int) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def test_a_cpd_lead_builds_an_offer_and_prints_the_booklet(page, world):
    sign_in(page, "cpd@riverside.example", PASSWORD)
    page.goto(f"/cpd/offers/new/?school={world.school.pk}")
    page.get_by_label("Title").fill("Adaptive teaching in mixed-attainment classes")
    page.get_by_label("Place").fill("Library")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_label("Places")).to_be_visible()
    page.get_by_label("Places").fill("15")
    page.get_by_label("Starts").first.fill(local(10, 16))
    page.get_by_label("Ends").first.fill(local(10, 17))
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="Adaptive teaching in mixed-attainment classes")
    ).to_be_visible()
    expect(page.get_by_text("15 of 15 places left")).to_be_visible()

    page.goto(f"/cpd/schools/{world.school.pk}/booklet/")
    expect(page.get_by_text("Adaptive teaching in mixed-attainment classes").first).to_be_visible()
    assert axe_violations(page) == []
    href = page.get_by_role("button", name="Download PDF").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.ok
    assert pdf.body()[:4] == b"%PDF"
