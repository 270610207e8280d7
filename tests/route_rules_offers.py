"""Route rules: the CPD offer, catalogue, proposals and the booklet (pages and API)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from tests.route_walk import SIGNED_IN, TRUST, TRUST_SCHOOL, Route, everyone

OFFER_MANAGERS = {"cpd_lead", "school_admin", "site_admin"}
CREATORS = OFFER_MANAGERS | {"network_lead", "provider"}
SCHOOL_VIEWERS = TRUST_SCHOOL | {"site_admin"}
# Those who can see the school (it is in their network) but do not work there.
SEE_SCHOOL_ONLY = TRUST - TRUST_SCHOOL


def _when(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


_days = itertools.count(7)


def _offer(school, lead, **values):
    """An offer with one session; each on its own day, so bookings made by the walk never
    clash with one another."""
    from offers import services

    day = next(_days)

    offer = services.create_offer(
        lead, title="Questioning that makes pupils think", school=school, **values
    )
    session = services.add_session(
        lead, offer, dates=[(_when(day, 16), _when(day, 17), "")], capacity=20
    )
    return offer, session


def offer(w):
    return {"pk": _offer(w.school, w.people["cpd_lead"])[0].pk}


def session(w):
    return {"pk": _offer(w.school, w.people["cpd_lead"])[1].pk}


def elsewhere_offer(w):
    return {"pk": _offer(w.elsewhere, w.people["outsider_admin"])[0].pk}


def elsewhere_session(w):
    return {"pk": _offer(w.elsewhere, w.people["outsider_admin"])[1].pk}


def proposal(w):
    from offers import services

    made = services.propose_session(
        w.people["teacher"], school=w.school, title="Visualisers in KS2"
    )
    return {"pk": made.pk}


def elsewhere_proposal(w):
    from offers import services

    made = services.propose_session(
        w.people["outsider"], school=w.elsewhere, title="Outdoor learning"
    )
    return {"pk": made.pk}


def school(w):
    return {"school_pk": w.school.pk}


def elsewhere(w):
    return {"school_pk": w.elsewhere.pk}


def api(kwargs_fn, name):
    return lambda w: {name: kwargs_fn(w)["pk"]}


RULES = [
    everyone("offers:catalogue"),
    # Without ?school= or ?network=, the form is for the first school the person leads.
    Route(
        "offers:offer_create",
        ok={"cpd_lead", "school_admin", "outsider_admin", "provider"},
        default=403,
    ),
    Route(
        "offers:offer_create",
        query=lambda w: f"?network={w.network.pk}",
        ok={"network_lead", "site_admin"},
        forbidden=TRUST - {"network_lead"},
        variant="network",
    ),
    Route("offers:offer_detail", offer, ok=SCHOOL_VIEWERS, outside=elsewhere_offer),
    Route(
        "offers:offer_edit",
        offer,
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_offer,
    ),
    Route(
        "offers:offer_publish",
        offer,
        method="POST",
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_offer,
    ),
    Route(
        "offers:offer_archive",
        offer,
        method="POST",
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_offer,
    ),
    Route(
        "offers:session_create",
        offer,
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_offer,
    ),
    Route(
        "offers:session_edit",
        session,
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_session,
    ),
    Route(
        "offers:session_cancel",
        session,
        method="POST",
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_session,
    ),
    Route("offers:interest", proposal, method="POST", ok=TRUST_SCHOOL, outside=elsewhere_proposal),
    Route(
        "offers:proposal_approve",
        proposal,
        method="POST",
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_proposal,
    ),
    Route(
        "offers:proposal_decline",
        proposal,
        method="POST",
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        outside=elsewhere_proposal,
    ),
    Route(
        "offers:our_offer",
        school,
        ok=OFFER_MANAGERS,
        forbidden=TRUST - OFFER_MANAGERS,
        outside=elsewhere,
    ),
    Route(
        "offers:proposals", school, ok=SCHOOL_VIEWERS, forbidden=SEE_SCHOOL_ONLY, outside=elsewhere
    ),
    Route(
        "offers:priorities", school, ok=SCHOOL_VIEWERS, forbidden=SEE_SCHOOL_ONLY, outside=elsewhere
    ),
    Route(
        "offers:booklet", school, ok=SCHOOL_VIEWERS, forbidden=SEE_SCHOOL_ONLY, outside=elsewhere
    ),
    Route(
        "offers:booklet_pdf",
        school,
        ok=SCHOOL_VIEWERS,
        forbidden=SEE_SCHOOL_ONLY,
        outside=elsewhere,
    ),
]

API_RULES = [
    everyone("GET /api/v1/offers", anonymous=401),
    Route(
        "POST /api/v1/offers",
        ok=OFFER_MANAGERS,
        forbidden=TRUST - OFFER_MANAGERS,
        anonymous=401,
        data=lambda w: {"title": "Adaptive teaching", "kind": "one_off", "school": w.school.pk},
    ),
    Route(
        "GET /api/v1/offers/{offer_id}",
        api(offer, "offer_id"),
        ok=SCHOOL_VIEWERS,
        anonymous=401,
        outside=api(elsewhere_offer, "offer_id"),
    ),
    Route(
        "PATCH /api/v1/offers/{offer_id}",
        api(offer, "offer_id"),
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        anonymous=401,
        data=lambda w: {"summary": "Better questions"},
        outside=api(elsewhere_offer, "offer_id"),
    ),
    Route(
        "POST /api/v1/offers/{offer_id}/sessions",
        api(offer, "offer_id"),
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        anonymous=401,
        data=lambda w: {
            "starts_at": _when(9, 16).isoformat(),
            "ends_at": _when(9, 17).isoformat(),
            "capacity": 12,
        },
        outside=api(elsewhere_offer, "offer_id"),
    ),
    Route(
        "GET /api/v1/sessions/{session_id}",
        api(session, "session_id"),
        ok=SCHOOL_VIEWERS,
        anonymous=401,
        outside=api(elsewhere_session, "session_id"),
    ),
    Route(
        "PATCH /api/v1/sessions/{session_id}",
        api(session, "session_id"),
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        anonymous=401,
        data=lambda w: {"capacity": 25},
        outside=api(elsewhere_session, "session_id"),
    ),
    Route(
        "POST /api/v1/sessions/{session_id}/cancel",
        api(session, "session_id"),
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        anonymous=401,
        data=lambda w: {"reason": "The facilitator is ill"},
        outside=api(elsewhere_session, "session_id"),
    ),
    Route(
        "GET /api/v1/proposals",
        query=lambda w: f"?school={w.school.pk}",
        ok=SCHOOL_VIEWERS,
        forbidden=SEE_SCHOOL_ONLY,
        anonymous=401,
    ),
    Route(
        "POST /api/v1/proposals",
        ok=TRUST_SCHOOL,
        forbidden=SEE_SCHOOL_ONLY,
        special={"site_admin": 400},  # proposals come from the school's own staff
        anonymous=401,
        data=lambda w: {"school": w.school.pk, "title": "Reading aloud"},
    ),
    Route(
        "POST /api/v1/offers/{offer_id}/interest",
        api(proposal, "offer_id"),
        ok=TRUST_SCHOOL,
        anonymous=401,
        outside=api(elsewhere_proposal, "offer_id"),
    ),
    Route(
        "DELETE /api/v1/offers/{offer_id}/interest",
        api(proposal, "offer_id"),
        ok=TRUST_SCHOOL,
        anonymous=401,
        outside=api(elsewhere_proposal, "offer_id"),
    ),
    Route(
        "POST /api/v1/offers/{offer_id}/approve",
        api(proposal, "offer_id"),
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        anonymous=401,
        outside=api(elsewhere_proposal, "offer_id"),
    ),
    Route(
        "POST /api/v1/offers/{offer_id}/decline",
        api(proposal, "offer_id"),
        ok=OFFER_MANAGERS,
        forbidden=TRUST_SCHOOL - OFFER_MANAGERS,
        anonymous=401,
        data=lambda w: {"reason": "Not this year"},
        outside=api(elsewhere_proposal, "offer_id"),
    ),
]

assert SIGNED_IN
