import pytest

from history.models import HistoryEntry
from offers import services
from offers.models import Interest, Offer
from tenancy.errors import DomainError


@pytest.fixture
def proposal(world):
    return services.propose_session(
        world.people["teacher"], world.school, title="Using visualisers", summary="Live modelling"
    )


def test_a_teacher_proposes_a_session_for_their_school(world, proposal):
    assert proposal.kind == Offer.Kind.TEACHER_PROPOSED
    assert proposal.status == Offer.Status.PROPOSED
    assert proposal.school == world.school and proposal.proposed_by == world.people["teacher"]
    assert HistoryEntry.objects.filter(action="offer.proposed").exists()


def test_a_teacher_cannot_propose_for_a_school_they_do_not_work_in(world):
    with pytest.raises(DomainError):
        services.propose_session(world.people["outsider"], world.school, title="X")


def test_interest_is_registered_once_and_withdrawn(world, proposal):
    colleague = world.people["ect"]
    assert services.register_interest(colleague, proposal) is True
    assert services.register_interest(colleague, proposal) is False
    assert Interest.objects.filter(offer=proposal).count() == 1
    assert services.withdraw_interest(colleague, proposal) is True
    assert not Interest.objects.filter(offer=proposal).exists()


def test_approving_publishes_and_makes_the_proposer_a_facilitator(world, proposal):
    offer = services.approve_proposal(world.people["cpd_lead"], proposal)
    assert offer.status == Offer.Status.PUBLISHED
    assert list(offer.facilitators.all()) == [world.people["teacher"]]


def test_declining_keeps_the_record(world, proposal):
    offer = services.decline_proposal(world.people["cpd_lead"], proposal, reason="Next year")
    assert offer.status == Offer.Status.DECLINED
    assert HistoryEntry.objects.get(action="offer.proposal_declined").note == "Next year"


def test_a_decided_proposal_takes_no_more_interest(world, proposal):
    services.approve_proposal(world.people["cpd_lead"], proposal)
    proposal.refresh_from_db()
    with pytest.raises(DomainError):
        services.register_interest(world.people["ect"], proposal)
    with pytest.raises(DomainError):
        services.decline_proposal(world.people["cpd_lead"], proposal)
