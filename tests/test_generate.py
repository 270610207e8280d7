"""`staffroom generate`: the synthetic national dataset, the same rows for the same seed."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from booking.models import Booking
from offers.models import Offer, Session, SessionDate
from staffroom.generate import EMAIL_SUFFIX, reset
from tenancy.factories import make_school, make_staff
from tenancy.models import NetworkMembership, School, StaffMember, Team, TeamMembership, User

SCALE = "0.001"  # 24 schools, 480 staff, 150 offers, 400 sessions, 3,000 bookings


def generate(seed: int = 7, *extra: str) -> None:
    call_command(
        "generate", "--seed", str(seed), "--scale", SCALE, "--no-progress", *extra,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip


def fingerprint() -> tuple[list, ...]:
    urns = sorted(School.objects.values_list("urn", flat=True))
    emails = sorted(User.objects.values_list("email", flat=True))
    offers = sorted(Offer.objects.values_list("title", "kind", "school__urn"))
    bookings = sorted(
        Booking.objects.values_list(
            "session__offer__title", "session__starts_at", "user__email", "status"
        )
    )
    return urns, emails, offers, bookings


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_schools_and_people_after_a_reset():
    generate(7)
    first = fingerprint()
    generate(7, "--reset")
    assert fingerprint() == first


@pytest.mark.django_db
def test_another_seed_gives_other_schools():
    generate(7)
    first = fingerprint()
    generate(8, "--reset")
    assert fingerprint()[0] != first[0]


@pytest.mark.django_db
def test_a_small_scale_is_a_small_but_complete_organisation_dataset():
    generate(7)

    assert School.objects.count() == 24
    assert StaffMember.objects.count() == 480
    assert all(len(u) == 6 and u.isdigit() for u in School.objects.values_list("urn", flat=True))
    per_school = NetworkMembership.objects.values("school").annotate(n=Count("id"))
    assert {row["n"] for row in per_school} <= {1, 2} and len(per_school) == 24
    leaders = TeamMembership.objects.filter(is_leader=True).values("team").annotate(n=Count("id"))
    assert len(leaders) == Team.objects.count() and {row["n"] for row in leaders} == {1}
    assert 5 <= Team.objects.count() / 24 <= 10
    for school in School.objects.all():
        assert school.staff.filter(is_cpd_lead=True).count() == 1
        assert school.staff.filter(is_school_admin=True).count() == 1
    assert not StaffMember.objects.filter(ect_year__isnull=False, mentor__isnull=True).exists()
    assert StaffMember.objects.filter(fte__lt=1).exists()
    assert all(e.endswith(EMAIL_SUFFIX) for e in User.objects.values_list("email", flat=True))


@pytest.mark.django_db
def test_a_second_run_without_reset_is_refused():
    generate(7)
    with pytest.raises(CommandError, match="--reset"):
        generate(7)


@pytest.mark.django_db
def test_reset_removes_generated_rows_and_keeps_everything_else():
    school = make_school("Real School", urn="100001")
    person = make_staff(school, email="real@school.example")
    generate(7)
    generated = StaffMember.objects.exclude(pk=person.pk)
    # Links both ways between real and generated people.
    generated.filter(pk=generated.first().pk).update(mentor=person)
    StaffMember.objects.filter(pk=person.pk).update(mentor=generated.last())

    removed = reset()

    assert removed["tenancy.School"] == 24
    assert list(School.objects.all()) == [school]
    assert list(StaffMember.objects.all()) == [person]
    person.refresh_from_db()
    assert person.mentor is None
    assert list(User.objects.all()) == [person.user]
    assert not Team.objects.exists() and not NetworkMembership.objects.exists()


@pytest.mark.django_db
def test_ids_continue_after_generated_rows():
    generate(7)
    top = School.objects.order_by("-pk").first().pk
    assert make_school("After", urn="100002").pk > top


@pytest.mark.django_db
def test_a_small_scale_has_offers_sessions_and_bookings_in_proportion():
    generate(7)

    assert Offer.objects.count() == 150
    assert Session.objects.count() == 400
    assert Booking.objects.count() == 3000
    kinds = dict(Offer.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds["one_off"] > kinds.get("network_event", 0) > 0
    assert Offer.objects.filter(school__isnull=False).count() > 0.7 * 150
    assert Offer.objects.filter(provider__isnull=False).exists()
    assert Offer.focus.through.objects.exists() and Offer.subjects.through.objects.exists()
    for stages, phases in Offer.objects.values_list("career_stages", "phases"):
        for codes in (stages, phases):
            assert codes == "" or (codes.startswith(",") and codes.endswith(","))


@pytest.mark.django_db
def test_every_session_has_dates_in_this_academic_year_mostly_ahead():
    generate(7)

    today = timezone.localdate()
    start = datetime.date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    per_session = dict(SessionDate.objects.values_list("session").annotate(n=Count("id")))
    assert set(per_session) == set(Session.objects.values_list("pk", flat=True))
    programmes = Session.objects.filter(offer__kind="programme").values_list("pk", flat=True)
    assert programmes and all(per_session[pk] >= 3 for pk in programmes)
    first = SessionDate.objects.order_by("starts_at").first().starts_at
    assert timezone.localtime(first).date() >= start
    ahead = Session.objects.filter(starts_at__gte=timezone.now()).count()
    assert ahead > 0.6 * Session.objects.count()


@pytest.mark.django_db
def test_session_counters_agree_with_bookings_and_waiting_lists_run_from_one():
    generate(7)

    held: dict[int, int] = defaultdict(int)
    positions: dict[int, list[int]] = defaultdict(list)
    for session_id, status, position in Booking.objects.values_list(
        "session_id", "status", "waitlist_position"
    ):
        if status == Booking.Status.CONFIRMED:
            held[session_id] += 1
        elif status == Booking.Status.WAITLISTED:
            positions[session_id].append(position)
        else:
            assert position is None
    for s in Session.objects.all():
        assert s.confirmed_count == held[s.pk] <= s.capacity
        assert s.waiting_count == len(positions[s.pk]) == s.last_position
        assert sorted(positions[s.pk]) == list(range(1, s.waiting_count + 1))
        assert not positions[s.pk] or s.confirmed_count == s.capacity
    assert positions, "some sessions have a waiting list"
    assert Booking.objects.filter(status=Booking.Status.CANCELLED).exists()


@pytest.mark.django_db
def test_every_booking_is_by_staff_of_a_school_that_may_book_the_session():
    generate(7)

    schools_of = defaultdict(set)
    for user_id, school_id in StaffMember.objects.values_list("user_id", "school_id"):
        schools_of[user_id].add(school_id)
    networks_of = defaultdict(set)
    for school_id, network_id in NetworkMembership.objects.values_list("school_id", "network_id"):
        networks_of[school_id].add(network_id)
    rows = Booking.objects.values_list(
        "user_id", "school_id", "session__offer__school_id", "session__offer__network_id",
        "hours", "strand", "session__offer__status",
    )  # fmt: skip
    for user_id, school_id, offer_school, offer_network, hours, strand, status in rows:
        assert school_id in schools_of[user_id]
        assert status == "published" and hours > 0 and strand
        if offer_school:
            assert school_id == offer_school
        if offer_network:
            assert offer_network in networks_of[school_id]
    assert Booking.objects.values("session", "user").distinct().count() == 3000


@pytest.mark.django_db
def test_reset_removes_generated_offers_and_bookings_and_keeps_a_real_one():
    school = make_school("Real School", urn="100001")
    offer = Offer.objects.create(title="Real twilight", school=school)
    session = Session.objects.create(offer=offer, capacity=10)
    generate(7)

    reset()

    assert list(Offer.objects.all()) == [offer]
    assert list(Session.objects.all()) == [session]
    assert not Booking.objects.exists() and not SessionDate.objects.exists()
