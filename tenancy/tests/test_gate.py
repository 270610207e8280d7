"""Who sees what: the gate's answers for each persona."""

import pytest

from tenancy import gate
from tenancy.models import School

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_a_teacher_sees_their_school_and_the_other_schools_of_its_network(world):
    assert names(gate.schools(world.people["teacher"])) == {"Riverside Primary", "Hillside Academy"}


def test_a_teacher_never_sees_a_school_outside_their_networks(world):
    with pytest.raises(gate.Http404):
        gate.school(world.people["teacher"], world.elsewhere.pk)


def test_a_network_lead_sees_the_member_schools_but_not_others(world):
    assert names(gate.schools(world.people["network_lead"])) == {
        "Riverside Primary",
        "Hillside Academy",
    }


def test_a_school_that_left_the_network_drops_out_of_its_leads_view(world):
    from tenancy import services

    services.remove_school_from_network(None, world.network, world.sister)
    assert "Hillside Academy" not in names(gate.schools(world.people["network_lead"]))


def test_the_site_administrator_sees_every_school_and_network(world):
    admin = world.people["site_admin"]
    assert gate.schools(admin).count() == School.objects.count()
    assert gate.networks(admin).count() == 2


def test_a_provider_without_a_school_sees_no_school(world):
    assert gate.schools(world.people["provider"]).count() == 0


def test_only_leaders_read_the_staff_directory(world):
    assert gate.directory_school_ids(world.people["teacher"]) == set()
    assert gate.directory_school_ids(world.people["middle_leader"]) == {world.school.pk}
    assert gate.directory_school_ids(world.people["cpd_lead"]) == {world.school.pk}
    assert gate.directory_school_ids(world.people["site_admin"]) is None


def test_a_teacher_sees_only_their_own_staff_record(world):
    seen = set(gate.staff(world.people["teacher"]).values_list("pk", flat=True))
    assert seen == {world.staff["teacher"].pk}


def test_a_mentor_sees_their_mentees_record(world):
    seen = set(gate.staff(world.people["mentor"]).values_list("pk", flat=True))
    assert seen == {world.staff["mentor"].pk, world.staff["ect"].pk}


def test_archived_staff_lose_their_access_and_vanish_from_directories(world):
    from people.services import archive_staff

    archive_staff(world.people["school_admin"], world.staff["teacher"])
    teacher = type(world.people["teacher"]).objects.get(pk=world.people["teacher"].pk)
    assert gate.schools(teacher).count() == 0
    assert world.staff["teacher"].pk not in gate.staff(world.people["cpd_lead"]).values_list(
        "pk", flat=True
    )
    admin_view = gate.staff(world.people["school_admin"], include_archived=True)
    assert admin_view.filter(pk=world.staff["teacher"].pk).exists()


def test_only_school_administrators_manage_staff(world):
    for persona in ["cpd_lead", "middle_leader", "teacher", "network_lead", "outsider_admin"]:
        assert not gate.can(world.people[persona], "school.manage_staff", world.school), persona
    assert gate.can(world.people["school_admin"], "school.manage_staff", world.school)
    assert gate.can(world.people["site_admin"], "school.manage_staff", world.school)


def test_network_leads_manage_only_their_own_network(world):
    lead = world.people["network_lead"]
    assert gate.can(lead, "network.manage", world.network)
    assert not gate.can(lead, "network.manage", world.elsewhere_network)


def test_an_anonymous_visitor_may_do_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert gate.schools(anon).count() == 0
    assert not gate.can(anon, "site.manage")


def test_an_unknown_permission_name_is_a_programming_error(world):
    with pytest.raises(KeyError):
        gate.can(world.people["teacher"], "school.fly")


def test_the_gate_loads_a_persons_memberships_in_a_few_queries(
    world, django_assert_max_num_queries
):
    user = type(world.people["cpd_lead"]).objects.get(pk=world.people["cpd_lead"].pk)
    # The staff records (with their schools), then teams, network roles and the schools'
    # networks as one UNION ALL.
    with django_assert_max_num_queries(2):
        gate.access(user)
    with django_assert_max_num_queries(0):
        gate.access(user)


def test_an_id_too_big_for_any_database_answers_404_not_500(client, world):
    client.force_login(world.people["teacher"])
    assert client.get(f"/schools/{2**70}/").status_code == 404
    from people.services import create_token

    _token, raw = create_token(world.people["teacher"])
    response = client.get(f"/api/v1/schools/{2**70}", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code in (404, 422)


def test_the_gate_reads_led_teams_network_roles_and_school_networks_together(world):
    from django.utils import timezone

    from tenancy.factories import make_network, make_network_role, make_staff, make_team
    from tenancy.models import TeamMembership

    leader = world.staff["middle_leader"]
    # A second job in the sister school, leading a team there and an archived one.
    sister_team = make_team(world.sister, "Science")
    sister_job = make_staff(world.sister, leader.user, leads=sister_team)
    archived_team = make_team(world.sister, "Old", archived_at=timezone.now())
    TeamMembership.objects.create(team=archived_team, staff=sister_job, is_leader=True)
    # A past job: neither its school, its team nor its school's network count.
    make_staff(
        world.elsewhere,
        leader.user,
        leads=make_team(world.elsewhere, "Faraway maths"),
        archived_at=timezone.now(),
    )
    association = make_network("Maths association", kind="subject_association")
    make_network_role(association, leader.user, "member")

    a = gate.access(type(leader.user).objects.get(pk=leader.user.pk))
    assert a.school_ids == {world.school.pk, world.sister.pk}
    assert a.led_team_ids == {world.team.pk, sister_team.pk}
    assert a.led_team_schools == {world.school.pk, world.sister.pk}
    assert a.network_roles == {association.pk: "member"}
    assert a.school_networks == {world.network.pk}
    assert a.network_ids == {world.network.pk, association.pk}
    assert a.led_network_ids == set()
    lead = gate.access(world.people["network_lead"])
    assert lead.led_network_ids == {world.network.pk} and lead.staff == {}
