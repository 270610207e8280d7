"""Creating schools and networks, and schools joining and leaving networks."""

import datetime

import pytest

from history.models import HistoryEntry
from tenancy import services
from tenancy.errors import Conflict, DomainError
from tenancy.models import NetworkMembership

pytestmark = pytest.mark.django_db


def test_creating_a_school_records_who_did_it(world):
    admin = world.people["site_admin"]
    school = services.create_school(admin, urn="123456", name="Oak Lane Infants", phase="primary")
    entry = HistoryEntry.objects.get(action="school.created", subject_id=str(school.pk))
    assert entry.actor == admin
    assert entry.changes["urn"] == "123456"


def test_a_urn_must_be_six_digits(world):
    with pytest.raises(DomainError) as excinfo:
        services.create_school(None, urn="12345", name="Too Short")
    assert excinfo.value.field == "urn"


def test_two_schools_cannot_share_a_urn(world):
    with pytest.raises((Conflict, DomainError)):
        services.create_school(None, urn=world.school.urn, name="Copy")


def test_updating_a_school_with_the_same_values_writes_no_history(world):
    before = HistoryEntry.objects.count()
    services.update_school(None, world.school, name=world.school.name)
    assert HistoryEntry.objects.count() == before


def test_a_school_joins_a_network_once_however_often_it_is_added(world):
    services.add_school_to_network(None, world.network, world.elsewhere)
    services.add_school_to_network(None, world.network, world.elsewhere)
    assert (
        NetworkMembership.objects.filter(
            network=world.network, school=world.elsewhere, left_on__isnull=True
        ).count()
        == 1
    )


def test_a_school_that_leaves_keeps_its_dated_history_and_may_rejoin(world):
    services.remove_school_from_network(
        None, world.network, world.sister, left_on=datetime.date.today()
    )
    services.add_school_to_network(None, world.network, world.sister)
    memberships = NetworkMembership.objects.filter(network=world.network, school=world.sister)
    assert memberships.count() == 2
    assert memberships.filter(left_on__isnull=True).count() == 1


def test_a_school_cannot_leave_a_network_it_is_not_in(world):
    with pytest.raises(DomainError):
        services.remove_school_from_network(None, world.elsewhere_network, world.school)


def test_a_school_may_belong_to_several_networks(world):
    services.add_school_to_network(None, world.elsewhere_network, world.school)
    assert world.school.network_memberships.filter(left_on__isnull=True).count() == 2
