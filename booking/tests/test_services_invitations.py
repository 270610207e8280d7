import pytest

from booking.models import Booking, Invitation
from booking.services import answer_invitation, direct_to_session, invite_to_session
from tenancy.errors import Conflict, DomainError

pytestmark = pytest.mark.django_db


def test_a_cpd_lead_invites_a_teacher_who_accepts_and_is_booked(world, session):
    inv = invite_to_session(
        world.people["cpd_lead"], session, world.people["teacher"], message="Useful for you"
    )
    assert inv.status == "pending"
    booking = answer_invitation(world.people["teacher"], inv, accept=True)
    assert booking.status == "confirmed"
    inv.refresh_from_db()
    assert inv.status == "accepted"


def test_declining_an_invitation_books_nothing(world, session):
    inv = invite_to_session(world.people["cpd_lead"], session, world.people["teacher"])
    assert (
        answer_invitation(world.people["teacher"], inv, accept=False, note="Clashes with parents")
        is None
    )
    assert not Booking.objects.exists()
    inv.refresh_from_db()
    assert inv.status == "declined"


def test_an_invitation_is_answered_once(world, session):
    inv = invite_to_session(world.people["cpd_lead"], session, world.people["teacher"])
    answer_invitation(world.people["teacher"], inv, accept=False)
    with pytest.raises(Conflict):
        answer_invitation(world.people["teacher"], inv, accept=True)


def test_only_the_invited_person_answers(world, session):
    inv = invite_to_session(world.people["cpd_lead"], session, world.people["teacher"])
    with pytest.raises(DomainError):
        answer_invitation(world.people["ect"], inv, accept=True)


def test_a_second_pending_invitation_is_a_conflict(world, session):
    invite_to_session(world.people["cpd_lead"], session, world.people["teacher"])
    with pytest.raises(Conflict):
        invite_to_session(world.people["middle_leader"], session, world.people["teacher"])


def test_a_middle_leader_invites_only_their_team(world, session):
    invite_to_session(world.people["middle_leader"], session, world.people["ect"])
    with pytest.raises(DomainError) as err:
        invite_to_session(world.people["middle_leader"], session, world.people["facilitator"])
    assert err.value.status == 403


def test_a_teacher_cannot_invite(world, session):
    with pytest.raises(DomainError):
        invite_to_session(world.people["teacher"], session, world.people["ect"])


def test_directing_books_the_person_at_once(world, session):
    booking = direct_to_session(world.people["cpd_lead"], session, world.people["ect"])
    assert booking.status == "confirmed" and booking.user == world.people["ect"]
    assert Invitation.objects.get(user=world.people["ect"]).kind == "directed"


def test_nobody_is_invited_to_a_session_not_open_to_them(world, session):
    with pytest.raises(DomainError):
        invite_to_session(world.people["cpd_lead"], session, world.people["outsider"])
