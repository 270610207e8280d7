import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from booking.directed_time import (
    academic_year,
    directed_time_warning,
    ledger,
    school_summary,
    year_bounds,
)
from booking.factories import make_offer, make_session
from booking.models import Booking
from tenancy.models import StaffMember

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(y, m, d, h=16):
    return datetime.datetime(y, m, d, h, tzinfo=LONDON)


def booked(world, person, start, hours=2, strand="whole_school", status="confirmed", **offer):
    session = make_session(make_offer(school=world.school, **offer), starts_at=start, hours=hours)
    return Booking.objects.create(
        session=session, user=person, school=world.school, status=status, hours=hours, strand=strand
    )


def test_the_academic_year_turns_over_between_31_august_and_1_september():
    assert academic_year(datetime.date(2026, 8, 31)) == 2025
    assert academic_year(datetime.date(2026, 9, 1)) == 2026
    assert academic_year(at(2026, 8, 31, 23)) == 2025
    start, end = year_bounds(2025)
    assert (start.date(), end.date()) == (datetime.date(2025, 9, 1), datetime.date(2026, 9, 1))


def test_the_academic_year_start_is_a_setting(settings):
    settings.ACADEMIC_YEAR_START = (8, 1)
    assert academic_year(datetime.date(2026, 8, 15)) == 2026


def test_bookings_count_in_the_year_of_their_dates(world):
    teacher = world.people["teacher"]
    booked(world, teacher, at(2026, 8, 31, 10), hours=2)
    booked(world, teacher, at(2026, 9, 1, 10), hours=3)
    assert ledger(teacher, 2025)[0].planned == 2
    assert ledger(teacher, 2026)[0].planned == 3


def test_the_allowance_is_pro_rata_to_fte(world):
    StaffMember.objects.filter(user=world.people["teacher"]).update(fte=Decimal("0.6"))
    (entry,) = ledger(world.people["teacher"], 2025)
    assert entry.allowance == Decimal("759.0")


def test_hours_are_split_by_strand_and_only_confirmed_count_as_planned(world):
    teacher = world.people["teacher"]
    booked(world, teacher, at(2025, 10, 1), hours=2, strand="whole_school")
    booked(world, teacher, at(2025, 10, 2), hours=1, strand="team")
    booked(world, teacher, at(2025, 10, 3), hours=1.5, strand="individual")
    booked(world, teacher, at(2025, 10, 4), hours=4, strand="individual", status="waitlisted")
    (entry,) = ledger(teacher, 2025)
    assert entry.planned == Decimal("4.5")
    assert {k: h.planned for k, h in entry.by_strand.items()} == {
        "whole_school": 2,
        "team": 1,
        "individual": Decimal("1.5"),
    }


def test_hours_not_counting_as_directed_time_are_left_out(world):
    b = booked(world, world.people["teacher"], at(2025, 10, 1))
    Booking.objects.filter(pk=b.pk).update(counts_as_directed_time=False)
    assert ledger(world.people["teacher"], 2025)[0].planned == 0


def test_a_warning_before_going_over_the_allowance(world):
    StaffMember.objects.filter(user=world.people["teacher"]).update(directed_hours=Decimal("3"))
    teacher = world.people["teacher"]
    from tenancy.models import User

    teacher = User.objects.get(pk=teacher.pk)
    start = at(2030, 10, 1)
    booked(world, teacher, start, hours=2)
    session = make_session(make_offer(school=world.school), starts_at=at(2030, 10, 8), hours=1.5)
    message = directed_time_warning(teacher, session)
    assert "3.5 of your 3.0 hours for 2030/31" in message
    small = make_session(make_offer(school=world.school), starts_at=at(2030, 10, 9), hours=1)
    assert directed_time_warning(teacher, small) is None


def test_the_school_view_sums_by_team_and_strand(world):
    booked(world, world.people["teacher"], at(2025, 10, 1), hours=2, strand="team")
    booked(world, world.people["facilitator"], at(2025, 10, 2), hours=1)
    data = school_summary(world.school, 2025)
    maths = next(r for r in data["teams"] if r.label == "Maths")
    assert maths.planned == 2 and maths.by_strand["team"].planned == 2
    assert data["whole"].planned == 3


def test_my_directed_time_page_shows_a_chart_and_a_table(world, client_for):
    booked(world, world.people["teacher"], at(2025, 10, 1))
    page = client_for(world.people["teacher"]).get(reverse("booking:directed_time"), {"year": 2025})
    html = page.content.decode()
    assert page.status_code == 200 and "2025/26" in html
    assert 'data-chart="strand-chart-1"' in html and "<table>" in html


def test_the_school_page_is_for_leaders(world, client_for):
    url = reverse("booking:school_directed_time", args=[world.school.pk])
    assert client_for(world.people["cpd_lead"]).get(url).status_code == 200
    assert client_for(world.people["teacher"]).get(url).status_code == 403
    assert client_for(world.people["outsider"]).get(url).status_code == 404
