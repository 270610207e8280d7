"""Route rules: booking, waiting list, approvals, invitations, registers, check-in,
evaluations, certificates, directed time, calendars and notifications (pages and API)."""

from __future__ import annotations

from tests.route_rules_offers import _offer, session
from tests.route_walk import SIGNED_IN, TRUST, TRUST_SCHOOL, Route, everyone

MANAGERS = {"cpd_lead", "school_admin", "site_admin"}
# Who reads a teacher's booking: the teacher, whole-school leaders and their middle leader.
BOOKING_READERS = MANAGERS | {"teacher", "middle_leader"}
SEE_SCHOOL_ONLY = TRUST - TRUST_SCHOOL


def _book(user, sess):
    from booking import services

    return services.book_session(user, sess)


def booking(w):
    _o, sess = _offer(w.school, w.people["cpd_lead"])
    return {"pk": _book(w.people["teacher"], sess).pk}


def elsewhere_booking(w):
    _o, sess = _offer(w.elsewhere, w.people["outsider_admin"])
    return {"pk": _book(w.people["outsider"], sess).pk}


def pending(w):
    _o, sess = _offer(
        w.school, w.people["cpd_lead"], kind="external", cost="120.00", provider_name="Maths Hub"
    )
    return {"pk": _book(w.people["teacher"], sess).pk}


def offered(w):
    from booking import services

    _o, sess = _offer(w.school, w.people["cpd_lead"])
    sess.capacity = 1
    sess.save(update_fields=["capacity"])
    first = _book(w.people["ect"], sess)
    waiting = _book(w.people["teacher"], sess)
    services.cancel_booking(w.people["ect"], first)
    return {"pk": waiting.pk}


def invitation(w):
    from booking.services import invite_to_session

    _o, sess = _offer(w.school, w.people["cpd_lead"])
    made = invite_to_session(w.people["cpd_lead"], sess, w.people["teacher"])
    return {"pk": made.pk}


def notification(w):
    from booking.models import Notification

    made = Notification.objects.create(user=w.people["teacher"], kind="other", title="Hello")
    return {"pk": made.pk}


def feed(w):
    from booking.models import CalendarFeed

    _feed, raw = CalendarFeed.issue(w.people["teacher"])
    return {"token": raw}


def feed_pk(w):
    from booking.models import CalendarFeed

    made, _raw = CalendarFeed.issue(w.people["teacher"])
    return {"pk": made.pk}


def session_date(w):
    pk = session(w)["pk"]
    from offers.models import SessionDate

    w.last_date = SessionDate.objects.filter(session_id=pk).first().pk
    return {"pk": pk, "date_pk": w.last_date}


def elsewhere_session(w):
    return {"pk": _offer(w.elsewhere, w.people["outsider_admin"])[1].pk}


def api(fn, name):
    return lambda w: {name: fn(w)["pk"]}


RULES = [
    everyone("booking:my_bookings"),
    Route(
        "booking:book",
        session,
        method="POST",
        ok=TRUST_SCHOOL,
        forbidden={"site_admin"},  # bookings are for staff; the site admin works in no school
        outside=elsewhere_session,
    ),
    Route(
        "booking:invite",
        session,
        ok=MANAGERS | {"middle_leader"},
        forbidden=TRUST_SCHOOL - MANAGERS - {"middle_leader"},
        outside=elsewhere_session,
    ),
    Route(
        "booking:cancel",
        booking,
        method="POST",
        ok={"teacher", "middle_leader"} | MANAGERS,  # a middle leader directs their team
        outside=elsewhere_booking,
    ),
    Route(
        "booking:accept",
        offered,
        method="POST",
        ok={"teacher"},
        forbidden=BOOKING_READERS - {"teacher"},
    ),
    Route(
        "booking:decline_place",
        offered,
        method="POST",
        ok={"teacher"},
        forbidden=BOOKING_READERS - {"teacher"},
    ),
    Route("booking:booking_ics", booking, ok=BOOKING_READERS, outside=elsewhere_booking),
    Route(
        "booking:certificate",
        booking,
        # Before attendance the page explains there is no certificate yet (a redirect).
        ok={"teacher", "cpd_lead", "school_admin", "site_admin"},
        forbidden={"middle_leader"},
        outside=elsewhere_booking,
    ),
    Route(
        "booking:evaluate",
        booking,
        ok={"teacher"},
        outside=elsewhere_booking,
    ),
    everyone("booking:approvals"),
    Route(
        "booking:approve",
        pending,
        method="POST",
        ok={"cpd_lead", "site_admin"},
        forbidden={"teacher", "school_admin", "middle_leader"},
    ),
    Route(
        "booking:decline",
        pending,
        method="POST",
        ok={"cpd_lead", "site_admin"},
        forbidden={"teacher", "school_admin", "middle_leader"},
    ),
    everyone("booking:invitations"),
    Route("booking:answer_invitation", invitation, method="POST", ok={"teacher"}),
    Route(
        "booking:register",
        session,
        ok=MANAGERS,
        forbidden=TRUST_SCHOOL - MANAGERS,
        outside=elsewhere_session,
    ),
    Route("booking:register_date", session_date, ok=MANAGERS, forbidden=TRUST_SCHOOL - MANAGERS),
    Route(
        "booking:room_display",
        session,
        ok=MANAGERS,
        forbidden=TRUST_SCHOOL - MANAGERS,
        outside=elsewhere_session,
    ),
    Route(
        "booking:qr",
        session,
        ok=MANAGERS,
        forbidden=TRUST_SCHOOL - MANAGERS,
        outside=elsewhere_session,
    ),
    Route(
        "booking:evaluation_summary",
        session,
        ok=MANAGERS,
        forbidden=TRUST_SCHOOL - MANAGERS,
        outside=elsewhere_session,
    ),
    everyone("booking:check_in_list"),
    Route("booking:check_in", session, ok=TRUST_SCHOOL | {"site_admin"}, outside=elsewhere_session),
    everyone("booking:directed_time"),
    Route(
        "booking:school_directed_time",
        lambda w: {"pk": w.school.pk},
        ok=MANAGERS,
        forbidden=TRUST - MANAGERS,
        outside=lambda w: {"pk": w.elsewhere.pk},
    ),
    everyone("booking:calendar_feeds"),
    Route("booking:revoke_feed", feed_pk, method="POST", ok={"teacher"}),
    Route("booking:feed", feed, ok=set(SIGNED_IN), anonymous="ok"),
    Route(
        "booking:feed",
        lambda w: {"token": "not-a-real-token"},
        default=404,
        anonymous=404,
        variant="unknown token",
    ),
    everyone("booking:notifications"),
    Route("booking:mark_read", notification, method="POST", ok={"teacher"}),
    everyone("booking:mark_all_read", method="POST"),
]

API_RULES = [
    Route(
        "POST /api/v1/sessions/{session_id}/bookings",
        api(session, "session_id"),
        ok=TRUST_SCHOOL,
        forbidden={"site_admin"},
        anonymous=401,
        outside=api(elsewhere_session, "session_id"),
    ),
    Route(
        "GET /api/v1/bookings/{booking_id}",
        api(booking, "booking_id"),
        ok=BOOKING_READERS,
        anonymous=401,
        outside=api(elsewhere_booking, "booking_id"),
    ),
    Route(
        "DELETE /api/v1/bookings/{booking_id}",
        api(booking, "booking_id"),
        ok={"teacher", "middle_leader"} | MANAGERS,
        anonymous=401,
        outside=api(elsewhere_booking, "booking_id"),
    ),
    everyone("GET /api/v1/me/bookings", anonymous=401),
    Route(
        "POST /api/v1/bookings/{booking_id}/approve",
        api(pending, "booking_id"),
        ok={"cpd_lead", "site_admin"},
        forbidden={"teacher", "school_admin", "middle_leader"},
        anonymous=401,
    ),
    Route(
        "POST /api/v1/bookings/{booking_id}/decline",
        api(pending, "booking_id"),
        ok={"cpd_lead", "site_admin"},
        forbidden={"teacher", "school_admin", "middle_leader"},
        anonymous=401,
    ),
    Route(
        "POST /api/v1/bookings/{booking_id}/accept",
        api(offered, "booking_id"),
        ok={"teacher"},
        forbidden=BOOKING_READERS - {"teacher"},
        anonymous=401,
    ),
    Route(
        "GET /api/v1/sessions/{session_id}/register",
        api(session, "session_id"),
        ok=MANAGERS,
        forbidden=TRUST_SCHOOL - MANAGERS,
        anonymous=401,
        outside=api(elsewhere_session, "session_id"),
    ),
    Route(
        "PUT /api/v1/sessions/{session_id}/register",
        api(session_date, "session_id"),
        ok=MANAGERS,
        forbidden=TRUST_SCHOOL - MANAGERS,
        anonymous=401,
        data=lambda w: {"date": w.last_date, "marks": []},
    ),
    everyone("GET /api/v1/me/directed-time", anonymous=401),
]
