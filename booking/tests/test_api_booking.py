import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booking.factories import make_offer, make_session, paid_course
from booking.models import Booking
from tenancy import gate
from tenancy.models import ApiToken, User

pytestmark = pytest.mark.django_db


def auth(user):
    _, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(client, url, user, body=None):
    if body is None:
        return client.post(url, **auth(user))
    return client.post(url, body, content_type="application/json", **auth(user))


def test_booking_answers_201_with_status_position_and_warning(world, client):
    session = make_session(make_offer(school=world.school), capacity=1)
    first = post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"])
    assert first.status_code == 201
    body = first.json()
    assert body == {
        "id": body["id"],
        "status": "confirmed",
        "waitlist_position": None,
        "warning": None,
    }
    second = post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["ect"], {})
    assert second.status_code == 201
    assert second.json()["status"] == "waitlisted" and second.json()["waitlist_position"] == 1


def test_a_course_needing_approval_answers_pending_approval(world, client):
    course = make_session(paid_course(world.people["provider"]))
    answer = post(client, f"/api/v1/sessions/{course.pk}/bookings", world.people["teacher"])
    assert answer.status_code == 201 and answer.json()["status"] == "pending_approval"


def test_a_second_booking_answers_409_with_the_error_shape(world, client):
    session = make_session(make_offer(school=world.school))
    post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"])
    again = post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"])
    assert again.status_code == 409
    assert set(again.json()) == {"detail", "errors"}
    assert "already have a booking" in again.json()["detail"]


def test_bad_json_is_a_4xx_not_a_500(world, client):
    session = make_session(make_offer(school=world.school))
    for body in ("{", "[1]", '{"person": "x"}'):
        answer = client.post(
            f"/api/v1/sessions/{session.pk}/bookings",
            body,
            content_type="application/json",
            **auth(world.people["teacher"]),
        )
        assert 400 <= answer.status_code < 500, body


def test_a_leader_books_a_colleague_by_person_id(world, client):
    session = make_session(make_offer(school=world.school))
    answer = post(
        client,
        f"/api/v1/sessions/{session.pk}/bookings",
        world.people["cpd_lead"],
        {"person": world.people["teacher"].pk},
    )
    assert answer.status_code == 201
    assert Booking.objects.get().user == world.people["teacher"]


def test_get_delete_and_my_bookings(world, client):
    session = make_session(make_offer(school=world.school))
    made = post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"]).json()
    got = client.get(f"/api/v1/bookings/{made['id']}", **auth(world.people["teacher"]))
    assert (
        got.status_code == 200
        and got.json()["status"] == "confirmed"
        and got.json()["session"] == session.pk
    )
    mine = client.get("/api/v1/me/bookings", **auth(world.people["teacher"])).json()
    assert [b["id"] for b in mine["items"]] == [made["id"]] and mine["next"] is None
    gone = client.delete(f"/api/v1/bookings/{made['id']}", **auth(world.people["teacher"]))
    assert gone.status_code == 204
    assert Booking.objects.get().status == "cancelled"


def test_my_bookings_is_keyset_paginated(world, client):
    for days in range(2, 5):
        starts = timezone.now() + datetime.timedelta(days=days)
        session = make_session(make_offer(school=world.school), starts_at=starts)
        post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"])
    first = client.get("/api/v1/me/bookings?limit=2", **auth(world.people["teacher"])).json()
    assert len(first["items"]) == 2 and first["next"]
    rest = client.get(first["next"], **auth(world.people["teacher"])).json()
    assert len(rest["items"]) == 1 and rest["next"] is None


def test_approve_decline_and_accept(world, client):
    course = make_session(paid_course(world.people["provider"]), capacity=1)
    a = post(client, f"/api/v1/sessions/{course.pk}/bookings", world.people["teacher"]).json()
    b = post(client, f"/api/v1/sessions/{course.pk}/bookings", world.people["ect"]).json()
    ok = post(
        client, f"/api/v1/bookings/{a['id']}/approve", world.people["cpd_lead"], {"note": "Yes"}
    )
    assert ok.status_code == 200 and ok.json()["status"] == "confirmed"
    no = post(client, f"/api/v1/bookings/{b['id']}/decline", world.people["cpd_lead"])
    assert no.status_code == 200 and no.json()["status"] == "declined"
    own = post(client, f"/api/v1/bookings/{a['id']}/approve", world.people["teacher"])
    assert own.status_code in (403, 409)


def test_accepting_an_offered_place(world, client):
    session = make_session(make_offer(school=world.school), capacity=1)
    a = post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"]).json()
    b = post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["ect"]).json()
    client.delete(f"/api/v1/bookings/{a['id']}", **auth(world.people["teacher"]))
    accepted = post(client, f"/api/v1/bookings/{b['id']}/accept", world.people["ect"])
    assert accepted.status_code == 200 and accepted.json()["status"] == "confirmed"


def test_the_register_round_trip(world, client):
    session = make_session(
        make_offer(school=world.school), facilitators=(world.people["facilitator"],)
    )
    made = post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"]).json()
    date = session.dates.get()
    url = f"/api/v1/sessions/{session.pk}/register"
    put = client.put(
        url,
        {"date": date.pk, "marks": [{"booking": made["id"], "mark": "present"}]},
        content_type="application/json",
        **auth(world.people["facilitator"]),
    )
    assert put.status_code == 200
    body = client.get(url, **auth(world.people["facilitator"])).json()
    assert body["dates"][0]["id"] == date.pk
    assert body["bookings"][0]["marks"] == [
        {"date": date.pk, "mark": "present", "self_checked_in": False}
    ]
    bad = client.put(
        url,
        {"date": date.pk, "marks": [{"booking": made["id"], "mark": "here"}]},
        content_type="application/json",
        **auth(world.people["facilitator"]),
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "marks"


def test_a_teacher_cannot_read_the_register(world, client):
    session = make_session(make_offer(school=world.school))
    assert (
        client.get(
            f"/api/v1/sessions/{session.pk}/register", **auth(world.people["teacher"])
        ).status_code
        == 403
    )


def test_my_directed_time_by_academic_year(world, client):
    answer = client.get("/api/v1/me/directed-time?year=2025", **auth(world.people["teacher"]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["year"] == 2025 and body["label"] == "2025/26"
    assert body["starts_on"] == "2025-09-01" and body["ends_on"] == "2026-08-31"
    assert body["schools"][0]["allowance_hours"] == 1265.0
    assert {s["strand"] for s in body["schools"][0]["by_strand"]} == {
        "whole_school",
        "team",
        "individual",
    }
    assert (
        client.get("/api/v1/me/directed-time?year=99", **auth(world.people["teacher"])).status_code
        == 400
    )


def test_the_storm_path_takes_a_pinned_number_of_queries(
    world, client, django_assert_max_num_queries
):
    session = make_session(make_offer(school=world.school), capacity=1)
    headers = auth(world.people["ect"])
    post(client, f"/api/v1/sessions/{session.pk}/bookings", world.people["teacher"])
    with CaptureQueriesContext(connection) as memberships:
        gate.access(User.objects.get(pk=world.people["ect"].pk))  # the gate's own count
    # token (+ its first-use stamp), session + dates, memberships, the warning's fast path,
    # person lock (PostgreSQL only), clash check, the place taken (one UPDATE that locks the
    # session), booking, history, and the test transaction's savepoint pair. Under the
    # session lock: three statements (four with a database task queue).
    with django_assert_max_num_queries(12 + len(memberships)):
        answer = client.post(f"/api/v1/sessions/{session.pk}/bookings", **headers)
    assert answer.json()["status"] == "waitlisted"


def test_a_token_is_stamped_on_first_use_then_at_most_hourly(world, client):
    token, raw = ApiToken.issue(world.people["teacher"])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/me/bookings", **headers).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/v1/me/bookings", **headers)
    token.refresh_from_db()
    assert token.last_used_at == first  # within the hour: no write
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - datetime.timedelta(hours=2))
    client.get("/api/v1/me/bookings", **headers)
    token.refresh_from_db()
    assert token.last_used_at >= first
