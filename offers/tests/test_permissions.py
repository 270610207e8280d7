import pytest
from django.test import Client
from django.urls import reverse

from offers import services
from tenancy.models import ApiToken


@pytest.fixture
def api(world):
    def as_(role):
        _, raw = ApiToken.issue(world.people[role])
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return as_


def test_teacher_cannot_create_an_offer(world, api, client_for):
    response = api("teacher").post(
        "/api/v1/offers",
        {"title": "X", "kind": "one_off", "school": world.school.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    page = client_for(world.people["teacher"]).get(
        reverse("offers:offer_create") + f"?school={world.school.pk}"
    )
    assert page.status_code == 403


def test_outsider_cannot_create_an_offer_for_another_school_404(world, api):
    response = api("outsider_admin").post(
        "/api/v1/offers",
        {"title": "X", "kind": "one_off", "school": world.school.pk},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_outsider_gets_404_for_another_schools_offer_page_and_api(
    world, school_offer, api, client_for
):
    offer, session = school_offer()
    client = client_for(world.people["outsider"])
    assert client.get(reverse("offers:offer_detail", args=[offer.pk])).status_code == 404
    assert client.get(reverse("offers:session_edit", args=[session.pk])).status_code == 404
    assert api("outsider").get(f"/api/v1/offers/{offer.pk}").status_code == 404
    assert api("outsider").get(f"/api/v1/sessions/{session.pk}").status_code == 404
    assert (
        api("outsider_admin")
        .patch(f"/api/v1/offers/{offer.pk}", {"title": "Mine"}, content_type="application/json")
        .status_code
        == 404
    )


def test_teacher_sees_the_offer_but_cannot_change_it(world, school_offer, api, client_for):
    offer, session = school_offer()
    assert api("teacher").get(f"/api/v1/offers/{offer.pk}").status_code == 200
    assert (
        api("teacher")
        .patch(f"/api/v1/offers/{offer.pk}", {"title": "Mine"}, content_type="application/json")
        .status_code
        == 403
    )
    client = client_for(world.people["teacher"])
    assert client.get(reverse("offers:offer_edit", args=[offer.pk])).status_code == 403
    assert client.post(reverse("offers:session_cancel", args=[session.pk])).status_code == 403


def test_sister_school_teacher_cannot_see_a_school_only_offer(world, school_offer, api):
    offer, _ = school_offer()
    assert api("sister_teacher").get(f"/api/v1/offers/{offer.pk}").status_code == 404


def test_network_event_is_open_to_member_schools_not_outsiders(world, network_event, api):
    offer, _ = network_event()
    assert api("sister_teacher").get(f"/api/v1/offers/{offer.pk}").status_code == 200
    assert api("outsider").get(f"/api/v1/offers/{offer.pk}").status_code == 404


def test_only_the_cpd_lead_sees_our_offer(world, client_for):
    url = reverse("offers:our_offer", args=[world.school.pk])
    assert client_for(world.people["teacher"]).get(url).status_code == 403
    assert client_for(world.people["outsider_admin"]).get(url).status_code == 404
    assert client_for(world.people["cpd_lead"]).get(url).status_code == 200


def test_outsider_cannot_see_or_join_another_schools_proposals(world, client_for):
    proposal = services.propose_session(world.people["teacher"], world.school, title="Idea")
    client = client_for(world.people["outsider"])
    assert client.get(reverse("offers:proposals", args=[world.school.pk])).status_code == 404
    assert client.post(reverse("offers:interest", args=[proposal.pk])).status_code == 404


def test_teacher_cannot_approve_or_set_priorities(world, client_for):
    proposal = services.propose_session(world.people["ect"], world.school, title="Idea")
    client = client_for(world.people["teacher"])
    assert client.post(reverse("offers:proposal_approve", args=[proposal.pk])).status_code == 403
    url = reverse("offers:priorities", args=[world.school.pk])
    assert client.post(url, {"name": "Mine"}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(world, client):
    response = client.get(reverse("offers:catalogue"))
    assert response.status_code == 302 and "login" in response["Location"]
    assert client.get("/api/v1/offers").status_code == 401


def test_absurd_ids_answer_404_not_500(world, api, client_for):
    huge = 2**70
    assert api("teacher").get(f"/api/v1/offers/{huge}").status_code == 404
    assert api("teacher").get(f"/api/v1/sessions/{huge}").status_code == 404
    response = api("cpd_lead").post(
        "/api/v1/offers",
        {"title": "X", "kind": "one_off", "school": huge},
        content_type="application/json",
    )
    assert response.status_code == 404
    client = client_for(world.people["teacher"])
    assert client.get(reverse("offers:offer_detail", args=[huge])).status_code == 404
    assert client.get(reverse("offers:catalogue"), {"subject": str(huge)}).status_code == 200
