import datetime

import pytest
from django.utils import timezone

from history.models import HistoryEntry
from offers import services
from offers.models import Session
from offers.signals import session_cancelled, session_changed
from offers.tests.conftest import at
from tenancy.errors import DomainError


@pytest.fixture
def offer(world):
    return services.create_offer(
        world.people["cpd_lead"], title="Programme", kind="programme", school=world.school
    )


def test_a_session_with_several_dates_spans_them_all(world, offer):
    session = services.add_session(
        world.people["cpd_lead"],
        offer,
        dates=[(at(21), at(21, 17), "Unit 2"), (at(7), at(7, 17), "Unit 1")],
        capacity=12,
    )
    assert session.starts_at == at(7) and session.ends_at == at(21, 17)
    assert [d.title for d in session.dates.all()] == ["Unit 1", "Unit 2"]
    assert HistoryEntry.objects.filter(action="session.added", subject_id=str(session.pk)).exists()


def test_a_session_must_end_after_it_starts(world, offer):
    with pytest.raises(DomainError) as exc:
        services.add_session(world.people["cpd_lead"], offer, dates=[(at(7, 17), at(7, 16))])
    assert exc.value.field == "ends_at"


def test_naive_times_are_refused(world, offer):
    naive = datetime.datetime(2030, 1, 1, 16)
    with pytest.raises(DomainError) as exc:
        services.add_session(
            world.people["cpd_lead"], offer, dates=[(naive, naive + datetime.timedelta(hours=1))]
        )
    assert exc.value.field == "starts_at"


def test_capacity_must_be_at_least_one(world, offer):
    with pytest.raises(DomainError) as exc:
        services.add_session(
            world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))], capacity=0
        )
    assert exc.value.field == "capacity"


def test_a_session_needs_a_date(world, offer):
    with pytest.raises(DomainError) as exc:
        services.add_session(world.people["cpd_lead"], offer, dates=[])
    assert exc.value.field == "dates"


def test_booking_must_close_after_it_opens(world, offer):
    with pytest.raises(DomainError) as exc:
        services.add_session(
            world.people["cpd_lead"],
            offer,
            dates=[(at(7), at(7, 17))],
            booking_opens_at=at(3),
            booking_closes_at=at(2),
        )
    assert exc.value.field == "booking_closes_at"


def test_capacity_cannot_drop_below_the_confirmed_places(world, offer):
    session = services.add_session(world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))])
    Session.objects.filter(pk=session.pk).update(confirmed_count=8)
    with pytest.raises(DomainError) as exc:
        services.update_session(world.people["cpd_lead"], session, capacity=5)
    assert exc.value.field == "capacity" and "8" in exc.value.message
    assert services.update_session(world.people["cpd_lead"], session, capacity=8).capacity == 8


def test_moving_a_session_bumps_its_sequence_and_tells_booking(world, offer):
    session = services.add_session(world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))])
    heard = []

    def listener(sender, session, changes, **kwargs):
        heard.append(set(changes))

    session_changed.connect(listener)
    try:
        moved = services.update_session(
            world.people["cpd_lead"], session, dates=[(at(8), at(8, 17), "")]
        )
    finally:
        session_changed.disconnect(listener)
    assert moved.sequence == 1 and moved.starts_at == at(8)
    assert heard == [{"dates"}]
    assert session.dates.get().starts_at == at(8)


def test_changing_only_the_label_does_not_bump_the_sequence(world, offer):
    session = services.add_session(world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))])
    changed = services.update_session(world.people["cpd_lead"], session, label="Group B")
    assert changed.sequence == 0 and changed.label == "Group B"


def test_saving_the_same_values_changes_nothing(world, offer):
    session = services.add_session(world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))])
    services.update_session(
        world.people["cpd_lead"], session, dates=[(at(7), at(7, 17), "")], capacity=20
    )
    assert not HistoryEntry.objects.filter(action="session.updated").exists()


def test_cancelling_a_session_tells_booking_once(world, offer):
    session = services.add_session(world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))])
    heard = []

    def listener(sender, session, **kwargs):
        heard.append(session.pk)

    session_cancelled.connect(listener)
    try:
        services.cancel_session(world.people["cpd_lead"], session, reason="Snow")
        services.cancel_session(world.people["cpd_lead"], session)
    finally:
        session_cancelled.disconnect(listener)
    session.refresh_from_db()
    assert session.status == "cancelled" and session.sequence == 1 and heard == [session.pk]


def test_a_cancelled_session_cannot_be_edited(world, offer):
    session = services.add_session(world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))])
    services.cancel_session(world.people["cpd_lead"], session)
    with pytest.raises(DomainError):
        services.update_session(world.people["cpd_lead"], session, capacity=30)


def test_an_archived_offer_takes_no_new_sessions(world, offer):
    services.archive_offer(world.people["cpd_lead"], offer)
    offer.refresh_from_db()
    with pytest.raises(DomainError):
        services.add_session(world.people["cpd_lead"], offer, dates=[(at(7), at(7, 17))])


def test_iso_strings_with_offsets_are_accepted(world, offer):
    start = (timezone.now() + datetime.timedelta(days=3)).replace(microsecond=0)
    session = services.add_session(
        world.people["cpd_lead"],
        offer,
        dates=[
            {
                "starts_at": start.isoformat(),
                "ends_at": (start + datetime.timedelta(hours=1)).isoformat(),
            }
        ],
    )
    assert session.starts_at == start
