from decimal import Decimal

import pytest

from history.models import HistoryEntry
from offers import services
from offers.models import FocusTag, Offer
from tenancy.errors import DomainError


def test_cpd_lead_creates_a_published_school_offer_with_history(world):
    lead = world.people["cpd_lead"]
    offer = services.create_offer(lead, title="Questioning", kind="one_off", school=world.school)
    assert offer.status == Offer.Status.PUBLISHED
    assert offer.school == world.school and offer.created_by == lead
    entry = HistoryEntry.objects.get(subject_id=str(offer.pk), action="offer.created")
    assert entry.actor == lead and entry.school_id == world.school.pk


def test_a_network_event_needs_a_network(world):
    with pytest.raises(DomainError) as exc:
        services.create_offer(
            world.people["cpd_lead"], title="Conference", kind="network_event", school=world.school
        )
    assert exc.value.field == "network"


def test_unknown_kind_is_refused_with_a_readable_message(world):
    with pytest.raises(DomainError) as exc:
        services.create_offer(
            world.people["cpd_lead"], title="X", kind="party", school=world.school
        )
    assert exc.value.field == "kind" and "one_off" in exc.value.message


def test_a_provider_who_names_no_owner_owns_the_course(world):
    provider = world.people["provider"]
    offer = services.create_offer(provider, title="Coaching course", kind="external")
    assert offer.provider == provider and offer.provider_name == "Courses Ltd"


def test_a_course_with_a_cost_needs_approval_and_a_payer_by_default(world):
    offer = services.create_offer(
        world.people["cpd_lead"], title="NPQLT", kind="external", school=world.school, cost="450"
    )
    assert offer.cost == Decimal("450") and offer.needs_approval and offer.paid_by == "school"


def test_a_free_course_does_not_need_approval(world):
    offer = services.create_offer(world.people["cpd_lead"], title="Free", school=world.school)
    assert not offer.needs_approval and offer.paid_by == "free"


def test_negative_cost_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.create_offer(world.people["cpd_lead"], title="X", school=world.school, cost=-1)
    assert exc.value.field == "cost"


def test_audience_codes_are_stored_comma_wrapped(world):
    offer = services.create_offer(
        world.people["cpd_lead"],
        title="ECT behaviour",
        school=world.school,
        career_stages=["ect", "early"],
        phases=["primary"],
    )
    assert offer.career_stages == ",ect,early," and offer.phases == ",primary,"


def test_unknown_career_stage_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.create_offer(
            world.people["cpd_lead"], title="X", school=world.school, career_stages=["wizard"]
        )
    assert exc.value.field == "career_stages"


def test_focus_tags_may_be_shared_or_the_schools_own_priorities(world):
    lead = world.people["cpd_lead"]
    priority = services.create_priority(lead, world.school, name="Oracy")
    offer = services.create_offer(
        lead, title="Talk", school=world.school, focus=["TS4", "M08", priority.pk]
    )
    assert {t.code for t in offer.focus.all()} == {"TS4", "M08", priority.code}


def test_another_schools_priority_cannot_tag_an_offer(world):
    other = services.create_priority(None, world.elsewhere, name="Reading")
    with pytest.raises(DomainError):
        services.create_offer(
            world.people["cpd_lead"], title="X", school=world.school, focus=[other.pk]
        )


def test_a_facilitator_from_outside_the_school_is_refused(world):
    with pytest.raises(DomainError) as exc:
        services.create_offer(
            world.people["cpd_lead"],
            title="X",
            school=world.school,
            facilitators=[world.people["outsider"]],
        )
    assert exc.value.field == "facilitators"


def test_update_offer_records_only_what_changed(world):
    lead = world.people["cpd_lead"]
    offer = services.create_offer(lead, title="Questioning", school=world.school)
    services.update_offer(lead, offer, title="Better questioning", summary="")
    entry = HistoryEntry.objects.get(subject_id=str(offer.pk), action="offer.updated")
    assert entry.changes == {"title": ["Questioning", "Better questioning"]}


def test_setting_the_same_values_writes_no_history(world):
    lead = world.people["cpd_lead"]
    offer = services.create_offer(lead, title="Questioning", school=world.school)
    services.update_offer(lead, offer, title="Questioning")
    assert not HistoryEntry.objects.filter(action="offer.updated").exists()


def test_a_free_offer_that_gains_a_cost_needs_approval(world):
    lead = world.people["cpd_lead"]
    offer = services.create_offer(lead, title="Course", school=world.school)
    offer = services.update_offer(lead, offer, cost="120")
    assert offer.needs_approval and offer.paid_by == "school"


def test_draft_is_published_then_archived(world):
    lead = world.people["cpd_lead"]
    offer = services.create_offer(lead, title="Draft", school=world.school, status="draft")
    assert services.publish_offer(lead, offer).status == "published"
    assert services.archive_offer(lead, offer).status == "archived"
    actions = set(HistoryEntry.objects.values_list("action", flat=True))
    assert {"offer.published", "offer.archived"} <= actions


def test_cpd_lead_sets_school_priorities_with_codes(world):
    lead = world.people["cpd_lead"]
    first = services.create_priority(lead, world.school, name="Oracy")
    second = services.create_priority(lead, world.school, name="Reading fluency")
    assert (first.code, second.code) == ("P1", "P2")
    assert first.kind == FocusTag.Kind.PRIORITY and first.school == world.school


def test_the_same_priority_twice_is_refused(world):
    services.create_priority(None, world.school, name="Oracy")
    with pytest.raises(DomainError):
        services.create_priority(None, world.school, name="oracy")
