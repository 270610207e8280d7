"""The people API: me, tokens, staff and teams, scoped by the gate."""

import json

import pytest

from people.services import create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    def call(user, method, path, body=None):
        _token, raw = create_token(user, "test")
        headers = {"Authorization": f"Bearer {raw}"}
        if method == "GET":
            return client.get(path, headers=headers)
        if isinstance(body, dict):
            body = json.dumps(body)
        return client.generic(
            method,
            path,
            data=body if body is not None else "",
            content_type="application/json",
            headers=headers,
        )

    return call


def test_a_token_is_needed_and_the_error_has_the_shared_shape(client, world):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_a_revoked_token_stops_working(client, world):
    from people.services import revoke_token

    token, raw = create_token(world.people["teacher"])
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    revoke_token(world.people["teacher"], token)
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_me_lists_my_schools_roles_teams_and_networks(api, world):
    body = api(world.people["middle_leader"], "GET", "/api/v1/me").json()
    assert body["email"] == "maths.lead@riverside.example"
    assert body["schools"][0]["school_name"] == "Riverside Primary"
    assert "Middle leader" in body["schools"][0]["roles"]
    assert body["schools"][0]["teams"] == [
        {"id": world.team.pk, "name": "Maths", "is_leader": True}
    ]


def test_a_schools_json_carries_its_urn(api, world):
    body = api(world.people["teacher"], "GET", f"/api/v1/schools/{world.school.pk}").json()
    assert body["urn"] == "100001"


def test_staff_json_carries_their_email_and_lists_are_paginated(api, world):
    first = api(
        world.people["school_admin"], "GET", f"/api/v1/staff?school={world.school.pk}&limit=3"
    ).json()
    assert len(first["items"]) == 3
    assert all("@" in s["email"] for s in first["items"])
    assert first["next"]
    second = api(world.people["school_admin"], "GET", first["next"]).json()
    assert {s["id"] for s in first["items"]}.isdisjoint({s["id"] for s in second["items"]})


def test_a_teacher_listing_staff_sees_only_themselves(api, world):
    body = api(world.people["teacher"], "GET", "/api/v1/staff").json()
    assert [s["email"] for s in body["items"]] == ["teacher@riverside.example"]


def test_another_schools_staff_member_answers_404(api, world):
    response = api(
        world.people["school_admin"], "GET", f"/api/v1/staff/{world.staff['outsider'].pk}"
    )
    assert response.status_code == 404


def test_a_school_administrator_adds_staff_with_teams(api, world):
    response = api(
        world.people["school_admin"],
        "POST",
        "/api/v1/staff",
        {
            "school": world.school.pk,
            "email": "new@riverside.example",
            "full_name": "New Person",
            "teams": [world.team.pk],
            "subjects": ["Maths"],
            "fte": "0.5",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["teams"] == [{"id": world.team.pk, "name": "Maths", "is_leader": False}]
    assert body["directed_hours"] == "632.5"


def test_bad_staff_input_is_a_422_naming_the_field_and_changes_nothing(api, world):
    from tenancy.models import StaffMember

    before = StaffMember.objects.count()
    response = api(
        world.people["school_admin"],
        "POST",
        "/api/v1/staff",
        {"school": world.school.pk, "email": "not-an-email", "fte": 3},
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"email", "fte"} <= fields
    assert StaffMember.objects.count() == before


def test_malformed_json_is_a_4xx_not_a_500(api, world):
    response = api(world.people["school_admin"], "POST", "/api/v1/staff", "{not json")
    assert 400 <= response.status_code < 500


def test_a_team_from_another_school_is_refused(api, world):
    from tenancy.factories import make_team

    other = make_team(world.sister, "History")
    response = api(
        world.people["school_admin"],
        "PATCH",
        f"/api/v1/staff/{world.staff['teacher'].pk}",
        {"teams": [other.pk]},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "teams"


def test_archiving_through_the_api_keeps_the_record(api, world):
    response = api(
        world.people["school_admin"],
        "PATCH",
        f"/api/v1/staff/{world.staff['teacher'].pk}",
        {"archived": True},
    )
    assert response.status_code == 200
    assert response.json()["archived"] is True


def test_tokens_can_be_made_and_revoked_through_the_api(api, world):
    made = api(world.people["teacher"], "POST", "/api/v1/me/tokens", {"name": "CI"}).json()
    assert made["token"].startswith("sr_")
    gone = api(world.people["teacher"], "DELETE", f"/api/v1/me/tokens/{made['id']}")
    assert gone.status_code == 204
