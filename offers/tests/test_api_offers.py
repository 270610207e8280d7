import pytest
from django.test import Client

from offers.models import Offer, Session
from tenancy.models import ApiToken

START = "2031-10-07T16:00:00+01:00"
END = "2031-10-07T17:00:00+01:00"


@pytest.fixture
def api(world):
    """A JSON client acting as a persona through a personal token."""

    def as_(role):
        _, raw = ApiToken.issue(world.people[role])
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return as_


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def test_minimal_school_offer_payload_answers_201_with_id(world, api):
    response = post(
        api("cpd_lead"),
        "/api/v1/offers",
        {"title": "Questioning", "kind": "one_off", "school": world.school.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert Offer.objects.get(pk=body["id"]).school == world.school
    assert body["status"] == "published" and body["owner"] == "Riverside Primary"


def test_minimal_network_offer_payload_answers_201_with_id(world, api):
    response = post(
        api("network_lead"),
        "/api/v1/offers",
        {"title": "Conference", "kind": "network_event", "network": world.network.pk},
    )
    assert response.status_code == 201, response.content
    assert Offer.objects.get(pk=response.json()["id"]).network == world.network


def test_a_provider_may_omit_the_owner(world, api):
    response = post(api("provider"), "/api/v1/offers", {"title": "Course", "kind": "external"})
    assert response.status_code == 201, response.content
    assert response.json()["provider"] == world.people["provider"].pk


@pytest.fixture
def offer_id(world, api):
    response = post(
        api("cpd_lead"),
        "/api/v1/offers",
        {"title": "Questioning", "kind": "one_off", "school": world.school.pk},
    )
    return response.json()["id"]


def test_minimal_session_payload_answers_201_with_id(world, api, offer_id):
    response = post(
        api("cpd_lead"),
        f"/api/v1/offers/{offer_id}/sessions",
        {"starts_at": START, "ends_at": END, "capacity": 30},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert Session.objects.get(pk=body["id"]).capacity == 30
    assert body["places_left"] == 30 and body["confirmed_count"] == 0
    assert body["waiting_count"] == 0 and len(body["dates"]) == 1


def test_a_session_with_several_dates(world, api, offer_id):
    response = post(
        api("cpd_lead"),
        f"/api/v1/offers/{offer_id}/sessions",
        {
            "capacity": 12,
            "dates": [
                {"starts_at": "2031-11-07T16:00:00Z", "ends_at": "2031-11-07T17:00:00Z"},
                {"starts_at": START, "ends_at": END, "title": "Launch"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    assert [d["title"] for d in response.json()["dates"]] == ["Launch", ""]


def test_get_and_patch_a_session(world, api, offer_id):
    client = api("cpd_lead")
    sid = post(
        client,
        f"/api/v1/offers/{offer_id}/sessions",
        {"starts_at": START, "ends_at": END, "capacity": 5},
    ).json()["id"]
    assert api("teacher").get(f"/api/v1/sessions/{sid}").json()["capacity"] == 5
    response = patch(client, f"/api/v1/sessions/{sid}", {"capacity": 8, "location": "Hall"})
    assert response.status_code == 200, response.content
    assert response.json()["capacity"] == 8 and response.json()["sequence"] == 1


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"starts_at": "2031-10-07T16:00:00", "ends_at": END, "capacity": 5}, "starts_at"),
        ({"starts_at": END, "ends_at": START, "capacity": 5}, "ends_at"),
        ({"starts_at": START, "ends_at": END, "capacity": 0}, "capacity"),
        ({"starts_at": "next tuesday", "ends_at": END, "capacity": 5}, "starts_at"),
        ({"capacity": 5}, "starts_at"),
    ],
)
def test_bad_session_payloads_answer_4xx_json_with_errors(world, api, offer_id, payload, field):
    response = post(api("cpd_lead"), f"/api/v1/offers/{offer_id}/sessions", payload)
    assert 400 <= response.status_code < 500
    body = response.json()
    assert body["detail"] and field in [e["field"] for e in body["errors"]]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"title": "X", "kind": "party"}, "kind"),
        ({"title": "", "kind": "one_off"}, "title"),
        ({"title": "X", "kind": "one_off", "cost": "-3"}, "cost"),
        ({"title": "X", "kind": "network_event"}, "network"),
        ({"title": "X", "kind": "one_off", "career_stages": ["wizard"]}, "career_stages"),
    ],
)
def test_bad_offer_payloads_answer_4xx_json_with_errors(world, api, payload, field):
    response = post(api("cpd_lead"), "/api/v1/offers", {**payload, "school": world.school.pk})
    assert 400 <= response.status_code < 500
    assert field in [e["field"] for e in response.json()["errors"]]


def test_malformed_json_answers_4xx(world, api):
    response = api("cpd_lead").post("/api/v1/offers", "{", content_type="application/json")
    assert 400 <= response.status_code < 500


def test_list_offers_searches_with_the_page_filters(world, api, offer_id):
    client = api("cpd_lead")
    post(
        client,
        f"/api/v1/offers/{offer_id}/sessions",
        {"starts_at": START, "ends_at": END, "capacity": 5},
    )
    post(
        client,
        "/api/v1/offers",
        {"title": "No sessions yet", "kind": "one_off", "school": world.school.pk},
    )
    body = api("teacher").get("/api/v1/offers").json()
    assert [o["title"] for o in body["items"]] == ["Questioning"]
    assert body["items"][0]["next_session"]["id"]
    everything = api("teacher").get("/api/v1/offers?upcoming=false").json()
    assert len(everything["items"]) == 2
    assert api("teacher").get("/api/v1/offers?q=zebra").json()["items"] == []


def test_list_offers_is_keyset_paginated(world, api):
    client = api("cpd_lead")
    for i in range(3):
        post(
            client,
            "/api/v1/offers",
            {"title": f"O{i}", "kind": "one_off", "school": world.school.pk},
        )
    first = api("teacher").get("/api/v1/offers?upcoming=false&limit=2").json()
    assert len(first["items"]) == 2 and first["next"]
    second = api("teacher").get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None


def test_patch_offer_changes_and_archives(world, api, offer_id):
    response = patch(
        api("cpd_lead"), f"/api/v1/offers/{offer_id}", {"title": "New", "status": "archived"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "New" and response.json()["status"] == "archived"


def test_proposals_and_interest_through_the_api(world, api):
    response = post(
        api("teacher"), "/api/v1/proposals", {"school": world.school.pk, "title": "Visualisers"}
    )
    assert response.status_code == 201, response.content
    pid = response.json()["id"]
    interest = post(api("ect"), f"/api/v1/offers/{pid}/interest", {})
    assert interest.json() == {"offer": pid, "interested": 1, "is_interested": True}
    listed = api("ect").get(f"/api/v1/proposals?school={world.school.pk}").json()
    assert listed["items"][0]["interested"] == 1
    assert api("ect").delete(f"/api/v1/offers/{pid}/interest").json()["interested"] == 0
    assert post(api("teacher"), f"/api/v1/offers/{pid}/approve", {}).status_code == 403
    approved = post(api("cpd_lead"), f"/api/v1/offers/{pid}/approve", {})
    assert approved.json()["status"] == "published"
    assert approved.json()["facilitators"] == [world.people["teacher"].pk]
