"""`staffroom demo`: the fictional demo loads every role, signs everyone in, loads once, and
shows a year of CPD (offers of every kind, bookings in every state, registers, evaluations)
that the printed people can see.

Loading takes a while, so the module loads it once, inside a transaction rolled back at the
end; each test runs in its own savepoint on top."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q
from django.test.utils import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from booking.certificate import certificate_context
from booking.models import Attendance, Booking, Evaluation, Invitation
from booking.queries import approvals_for
from history.models import HistoryEntry
from offers.models import FocusTag, Interest, Offer, Session, SessionDate
from staffroom.demo_data import PASSWORD, ROLES
from tenancy import gate
from tenancy.models import (
    Network,
    NetworkMembership,
    NetworkRole,
    School,
    StaffMember,
    Subject,
    Team,
    TeamMembership,
    User,
)

COUNTED = [User, School, Network, NetworkMembership, NetworkRole, Team, StaffMember]
COUNTED += [TeamMembership, Subject, HistoryEntry, FocusTag, Offer, Session, SessionDate]
COUNTED += [Interest, Booking, Invitation, Attendance, Evaluation, DBTaskResult]
TEST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_demo() -> list[list[str]]:
    out = io.StringIO()
    call_command("demo", stdout=out, stderr=io.StringIO())
    return [line.split("\t") for line in out.getvalue().splitlines()]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[list[list[str]]]:
    """The demo, loaded once for the module (with the tests' fast password hasher) and
    rolled back afterwards."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=TEST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield run_demo()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def logins(demo, db) -> dict[str, str]:
    return {role: email for role, email, _ in demo}


def person(email: str) -> User:
    return User.objects.get(email=email)


# --- People and sign-in -------------------------------------------------------------------


def test_a_second_run_of_the_demo_changes_nothing(demo, db):
    before = counts()
    last_history = HistoryEntry.objects.aggregate(top=Max("id"))["top"]
    passwords = dict(User.objects.values_list("email", "password"))
    seats = list(
        Session.objects.order_by("pk").values_list(
            "pk", "confirmed_count", "waiting_count", "last_position", "sequence"
        )
    )
    statuses = list(Booking.objects.order_by("pk").values_list("pk", "status", "offered_until"))

    assert run_demo() == demo
    assert counts() == before
    assert HistoryEntry.objects.aggregate(top=Max("id"))["top"] == last_history
    assert dict(User.objects.values_list("email", "password")) == passwords
    assert (
        list(
            Session.objects.order_by("pk").values_list(
                "pk", "confirmed_count", "waiting_count", "last_position", "sequence"
            )
        )
        == seats
    )
    assert (
        list(Booking.objects.order_by("pk").values_list("pk", "status", "offered_until"))
        == statuses
    )


def test_the_demo_prints_one_login_per_role_and_each_signs_in(demo, client):
    assert [role for role, _, _ in demo] == ROLES
    assert len({email for _, email, _ in demo}) == len(ROLES)
    for _role, email, password in demo:
        assert password == PASSWORD
        response = client.post("/accounts/login/", {"username": email, "password": password})
        assert response.status_code == 302, email
        assert client.get("/").status_code == 200
        client.post("/accounts/logout/")


def test_every_demo_user_shares_one_password_hash(demo, db):
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert User.objects.first().check_password(PASSWORD)


def test_the_demo_has_every_role_in_plausible_schools(logins):
    staff = StaffMember.objects.all()

    assert 10 <= School.objects.count() <= 14
    assert all(
        len(urn) == 6 and urn.isdigit() for urn in School.objects.values_list("urn", flat=True)
    )
    assert len(set(School.objects.values_list("phase", flat=True))) >= 6
    assert 350 <= staff.count() <= 450
    assert set(Network.objects.values_list("kind", flat=True)) == {"trust", "hub"}
    in_both = School.objects.filter(network_memberships__left_on__isnull=True).values("id")
    assert any(NetworkMembership.objects.filter(school_id=s["id"]).count() == 2 for s in in_both)
    for school in School.objects.all():
        assert staff.filter(school=school, is_school_admin=True).exists(), school
        assert staff.filter(school=school, is_cpd_lead=True).exists(), school
        assert TeamMembership.objects.filter(team__school=school, is_leader=True).exists()
    assert staff.filter(is_senior_leader=True, is_cpd_lead=False).exists()
    assert staff.filter(is_mentor=True).exists()
    assert staff.filter(is_facilitator=True).exists()
    assert staff.filter(fte__lt=1).count() >= 20
    for year in (1, 2):
        assert staff.filter(ect_year=year).exists()
    assert not staff.filter(ect_year__isnull=False, mentor__isnull=True).exists()
    assert Subject.objects.count() >= 10
    assert NetworkRole.objects.filter(role="lead").count() == 2
    assert NetworkRole.objects.filter(role="member").exists()
    assert User.objects.get(email=logins["site administrator"]).is_superuser
    provider = User.objects.get(email=logins["external provider"])
    assert provider.provider_name and not provider.staff_records.exists()
    assert all(email.split("@")[1].endswith(".example") for email in logins.values())


def test_the_printed_early_career_teacher_is_mentored_by_the_printed_mentor(logins):
    ect = StaffMember.objects.get(user__email=logins["early-career teacher"])
    assert ect.ect_year == 1
    assert ect.mentor.user.email == logins["mentor"]
    leader = StaffMember.objects.get(user__email=logins["middle leader"])
    assert leader.team_memberships.get(is_leader=True).team in ect.teams.all()


# --- The year's offer ---------------------------------------------------------------------


def test_each_school_has_a_few_priorities_and_offers_of_every_kind(logins):
    for school in School.objects.all():
        assert 2 <= FocusTag.objects.filter(school=school, kind="priority").count() <= 3
        offers = Offer.objects.filter(school=school)
        assert 6 <= offers.count() <= 12, school
        kinds = set(offers.values_list("kind", flat=True))
        assert {"one_off", "programme", "external", "proposed"} <= kinds, school
        one_off = offers.filter(kind="one_off").annotate(n=Count("sessions")).order_by("-n")[0]
        assert one_off.n >= 2
        programme = offers.filter(kind="programme").first()
        assert programme.programme_structure and programme.terms in (2, 3)
        assert programme.sessions.get().dates.count() == 6
        course = offers.get(kind="external")
        assert course.cost > 0 and course.paid_by == "school" and course.needs_approval
        assert course.provider_name
        proposed = offers.get(kind="proposed", status="proposed")
        assert proposed.interests.count() >= 3 and not proposed.sessions.exists()
        approved = offers.get(kind="proposed", status="published")
        assert approved.facilitators.filter(pk=approved.proposed_by_id).exists()
        assert Booking.objects.filter(session__offer__school=school).count() >= 10
    for network in Network.objects.all():
        assert 2 <= network.offers.filter(kind="network_event").count() <= 3
    provider = person(logins["external provider"])
    assert provider.provided_offers.count() == 2
    assert set(Offer.objects.values_list("mode", flat=True)) == {"in_person", "online", "hybrid"}
    assert not Offer.objects.filter(mode="in_person", location="").exists()
    assert not Offer.objects.filter(mode="online", meeting_link="").exists()
    assert {c for (c,) in FocusTag.objects.filter(offers__isnull=False).values_list("code")} >= {
        "TS1",
        "TS5",
        "TS8",
        "M01",
        "M07",
        "M14",
    }
    assert Offer.objects.filter(focus__kind="priority").exists()
    answered = set(Invitation.objects.values_list("kind", "status"))
    assert {("directed", "accepted"), ("invited", "accepted"), ("invited", "declined")} <= answered
    assert Offer.objects.filter(for_whole_school=False, for_teams=True).exists()
    assert Offer.objects.filter(for_whole_school=False, for_individuals=True).exists()
    assert Offer.objects.exclude(career_stages="").exists()


def test_the_year_has_a_past_with_registers_and_evaluations_and_more_to_come(demo, db):
    now = timezone.now()
    past = Session.objects.filter(ends_at__lt=now)
    upcoming = Session.objects.filter(starts_at__gt=now)
    assert 10 <= past.count() < upcoming.count()
    marks = dict(Attendance.objects.values_list("mark").annotate(n=Count("id")))
    assert marks["present"] > marks["late"] > 0 and marks["absent"] > 0
    assert not Attendance.objects.filter(session_date__starts_at__gt=now).exists()
    for session in past.annotate(n=Count("bookings")).filter(n__gt=0):
        assert Attendance.objects.filter(booking__session=session).exists(), session
    assert len(set(Evaluation.objects.values_list("worth_time", flat=True))) >= 3
    assert Evaluation.objects.filter(booking__session__ends_at__gte=now).count() == 0
    assert Session.objects.filter(booking_opens_at__gt=now).exists()  # not open yet
    assert Session.objects.filter(booking_opens_at__lt=now, booking_closes_at__gt=now).exists()
    first = Session.objects.order_by("starts_at").first().starts_at
    last = Session.objects.order_by("-ends_at").first().ends_at
    assert (last - first).days > 180


def test_every_seat_counter_matches_the_bookings_and_waiting_lists_are_contiguous(demo, db):
    seats = Count("bookings", filter=Q(bookings__status__in=Booking.HOLDS_SEAT))
    waiting = Count("bookings", filter=Q(bookings__status="waitlisted"))
    for s in Session.objects.annotate(seats=seats, waiting=waiting):
        assert (s.confirmed_count, s.waiting_count) == (s.seats, s.waiting), s
        assert s.confirmed_count <= s.capacity
    full = [
        s
        for s in Session.objects.filter(starts_at__gt=timezone.now(), waiting_count__gte=3)
        if s.confirmed_count == s.capacity and not s.bookings.filter(status="offered").exists()
    ]
    assert full
    for s in full:
        positions = s.bookings.filter(status="waitlisted").order_by("waitlist_position")
        assert list(positions.values_list("waitlist_position", flat=True)) == list(
            range(1, s.waiting_count + 1)
        )


def test_the_printed_teacher_has_bookings_in_every_state(logins):
    teacher = person(logins["teacher"])
    now = timezone.now()
    mine = Booking.objects.filter(user=teacher)
    assert mine.filter(status="confirmed", session__starts_at__gt=now).count() >= 2
    waiting = mine.get(status="waitlisted")
    assert waiting.session.starts_at > now and waiting.waitlist_position >= 1
    attended = mine.get(session__ends_at__lt=now)
    assert attended.attendance.filter(mark__in=["present", "late"]).exists()
    assert certificate_context(attended)["hours"] > 0
    assert not Evaluation.objects.filter(booking=attended).exists()  # theirs to give
    invitation = Invitation.objects.get(user=teacher, status="pending")
    assert invitation.invited_by.email == logins["CPD lead"]
    assert not mine.filter(session=invitation.session).exists()


def test_a_place_is_offered_and_a_course_waits_for_approval(logins):
    teacher = person(logins["teacher"])
    offered = Booking.objects.get(status="offered")
    assert offered.user != teacher and offered.offered_until > timezone.now()
    assert HistoryEntry.objects.filter(
        action="booking.place_offered", subject_id=str(offered.pk)
    ).exists()
    pending = Booking.objects.get(status="pending_approval")
    assert pending.session.offer.kind == "external" and pending.session.starts_at > timezone.now()
    role = "CPD lead" if pending.school.approver == "cpd_lead" else "middle leader"
    approver = person(logins[role])
    assert gate.may_approve(approver, pending)
    assert pending in approvals_for(approver)
    leader = person(logins["middle leader"])
    assert TeamMembership.objects.filter(
        team__in=leader.staff_records.get().team_memberships.filter(is_leader=True).values("team"),
        staff__user=pending.user,
    ).exists()


# --- Pages --------------------------------------------------------------------------------


def test_the_printed_teacher_sees_the_catalogue_and_their_bookings(logins, client):
    client.force_login(person(logins["teacher"]))
    catalogue = client.get("/cpd/")
    assert catalogue.status_code == 200
    bookings = client.get("/bookings/")
    assert bookings.status_code == 200
    page = bookings.content.decode()
    assert "On the waiting list" in page and "Evaluate" in page
    assert client.get("/bookings/invitations/").status_code == 200


def test_the_school_booklet_renders_as_a_pdf(logins, client):
    lead = person(logins["CPD lead"])
    client.force_login(lead)
    school = lead.staff_records.get().school
    response = client.get(f"/cpd/schools/{school.pk}/booklet.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-"
