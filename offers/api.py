"""Offers, sessions, proposals and interest in the JSON API. The same gate and services as the
pages: a record the caller may not see is 404, one they may see but not change is 403."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router

from offers import queries, services
from offers.models import Interest, Offer, Session
from offers.schemas import (
    CancelIn,
    DeclineIn,
    InterestOut,
    OfferIn,
    OfferOut,
    OfferPage,
    OfferPatch,
    ProposalIn,
    ProposalOut,
    ProposalPage,
    SessionIn,
    SessionOut,
    SessionPatch,
)
from tenancy import gate
from tenancy.apiutils import page
from tenancy.errors import DomainError
from tenancy.schemas import Error

router = Router(tags=["offers"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


def _next(offer: Offer) -> dict | None:
    sid = getattr(offer, "next_session_id", None)
    return {"id": sid, "starts_at": offer.next_starts_at} if sid else None


def offer_out(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "title": offer.title,
        "summary": offer.summary,
        "description": offer.description,
        "kind": offer.kind,
        "status": offer.status,
        "school": offer.school_id,
        "network": offer.network_id,
        "provider": offer.provider_id,
        "owner": offer.owner_label,
        "strands": [s for s, f in queries.STRANDS.items() if getattr(offer, f)],
        "focus": [t.code for t in offer.focus.all()],
        "career_stages": Offer.uncodes(offer.career_stages),
        "phases": Offer.uncodes(offer.phases),
        "subjects": [s.name for s in offer.subjects.all()],
        "mode": offer.mode,
        "location": offer.location,
        "meeting_link": offer.meeting_link,
        "facilitators": [u.pk for u in offer.facilitators.all()],
        "counts_as_directed_time": offer.counts_as_directed_time,
        "directed_hours": offer.directed_hours,
        "evidence": offer.evidence,
        "provider_name": offer.provider_name,
        "cost": offer.cost,
        "paid_by": offer.paid_by,
        "needs_approval": offer.needs_approval,
        "programme_structure": offer.programme_structure,
        "terms": offer.terms,
        "proposed_by": offer.proposed_by_id,
        "next_session": _next(offer),
    }


def list_item(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "title": offer.title,
        "summary": offer.summary,
        "kind": offer.kind,
        "status": offer.status,
        "school": offer.school_id,
        "network": offer.network_id,
        "provider": offer.provider_id,
        "owner": offer.owner_label,
        "mode": offer.mode,
        "career_stages": Offer.uncodes(offer.career_stages),
        "phases": Offer.uncodes(offer.phases),
        "next_session": _next(offer),
    }


def session_out(s: Session) -> dict[str, Any]:
    return {
        "id": s.pk,
        "offer": s.offer_id,
        "offer_title": s.offer.title,
        "label": s.label,
        "status": s.status,
        "capacity": s.capacity,
        "confirmed_count": s.confirmed_count,
        "waiting_count": s.waiting_count,
        "places_left": s.places_left,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "location": s.location,
        "meeting_link": s.meeting_link,
        "booking_opens_at": s.booking_opens_at,
        "booking_closes_at": s.booking_closes_at,
        "sequence": s.sequence,
        "facilitators": [u.pk for u in s.facilitators.all()],
        "dates": [
            {"id": d.pk, "starts_at": d.starts_at, "ends_at": d.ends_at, "title": d.title}
            for d in s.dates.all()
        ],
    }


def _known(*ids: Any) -> None:
    if not all(queries.valid_id(i) for i in ids):
        raise Http404("Not found.")


def _offer(request, offer_id: int) -> Offer:
    _known(offer_id)
    return gate.get_visible(
        gate.offers(request.user)
        .select_related("school", "network", "provider")
        .prefetch_related("focus", "subjects", "facilitators"),
        pk=offer_id,
    )


def _managed(request, offer_id: int) -> Offer:
    offer = _offer(request, offer_id)
    if not gate.manages_offer(request.user, offer):
        raise PermissionDenied("Only the offer's managers can change it.")
    return offer


def _session(request, session_id: int) -> Session:
    _known(session_id)
    return gate.get_visible(
        gate.sessions(request.user)
        .select_related("offer")
        .prefetch_related("dates", "facilitators"),
        pk=session_id,
    )


def _fresh_offer(offer: Offer) -> dict[str, Any]:
    return offer_out(
        Offer.objects.select_related("school", "network", "provider")
        .prefetch_related("focus", "subjects", "facilitators")
        .get(pk=offer.pk)
    )


def _fresh_session(session: Session) -> dict[str, Any]:
    return session_out(
        Session.objects.select_related("offer")
        .prefetch_related("dates", "facilitators")
        .get(pk=session.pk)
    )


@router.get("/offers", response={200: OfferPage, **ERRORS})
def list_offers(
    request,
    q: str = "",
    strand: str = "",
    focus: str = "",
    subject: str = "",
    phase: str = "",
    career_stage: str = "",
    kind: str = "",
    mode: str = "",
    provider: str = "",
    network: str = "",
    school: str = "",
    places: str = "",
    status: str = "",
    upcoming: str = "",
):
    """Search the catalogue: the page's filters (`from` and `to` dates as YYYY-MM-DD are read
    from the query string too). By default published offers with an upcoming session;
    `upcoming=false` for all. Keyset pages: follow `next`."""
    qs = queries.search_offers(request.user, request.GET)
    result = page(request, qs)
    result["items"] = [list_item(o) for o in result["items"]]
    return result


@router.post("/offers", response={201: OfferOut, **ERRORS})
def create_offer(request, payload: OfferIn):
    """Needs only `title`, `kind` and `school` or `network`; a provider may omit both and
    owns the offer."""
    values = payload.dict()
    school_id, network_id = values.pop("school"), values.pop("network")
    owner: dict[str, Any] = {}
    if school_id is not None and network_id is not None:
        raise DomainError("Give a school or a network, not both.", field="network")
    _known(*(i for i in (school_id, network_id) if i is not None))
    if school_id is not None:
        owner["school"] = gate.school(request.user, school_id)
        allowed = gate.may_create_offer(request.user, school=owner["school"])
    elif network_id is not None:
        owner["network"] = gate.network(request.user, network_id)
        allowed = gate.may_create_offer(request.user, network=owner["network"])
    else:
        allowed = gate.may_create_offer(request.user)
        if allowed and not request.user.is_provider:
            raise DomainError("Choose the school or network the offer belongs to.", field="school")
    if not allowed:
        raise PermissionDenied("Only CPD leads, network leads and providers create offers.")
    offer = services.create_offer(request.user, **owner, **values)
    return 201, _fresh_offer(offer)


@router.get("/offers/{offer_id}", response={200: OfferOut, **ERRORS})
def get_offer(request, offer_id: int):
    return offer_out(_offer(request, offer_id))


@router.patch("/offers/{offer_id}", response={200: OfferOut, **ERRORS})
def update_offer(request, offer_id: int, payload: OfferPatch):
    offer = _managed(request, offer_id)
    values = payload.dict(exclude_unset=True)
    status = values.pop("status", None)
    if values:
        offer = services.update_offer(request.user, offer, **values)
    if status == Offer.Status.PUBLISHED:
        offer = services.publish_offer(request.user, offer)
    elif status == Offer.Status.ARCHIVED:
        offer = services.archive_offer(request.user, offer)
    elif status not in (None, offer.status):
        raise DomainError("Set status to 'published' or 'archived'.", field="status")
    return _fresh_offer(offer)


def _date_specs(values: dict[str, Any], *, required: bool) -> list | None:
    dates = values.pop("dates", None)
    starts, ends = values.pop("starts_at", None), values.pop("ends_at", None)
    if dates:
        return [(d["starts_at"], d["ends_at"], d.get("title") or "") for d in dates]
    if starts is not None or ends is not None or required:
        if starts is None:
            raise DomainError("Give the session's start.", field="starts_at")
        if ends is None:
            raise DomainError("Give the session's end.", field="ends_at")
        return [(starts, ends, "")]
    return None


@router.post("/offers/{offer_id}/sessions", response={201: SessionOut, **ERRORS})
def add_session(request, offer_id: int, payload: SessionIn):
    """Needs only `starts_at`, `ends_at` (ISO 8601 with an offset) and `capacity`; or
    `dates` for a session that meets several times."""
    offer = _managed(request, offer_id)
    values = payload.dict()
    dates = _date_specs(values, required=True)
    session = services.add_session(request.user, offer, dates=dates, **values)
    return 201, _fresh_session(session)


@router.get("/sessions/{session_id}", response={200: SessionOut, **ERRORS})
def get_session(request, session_id: int):
    return session_out(_session(request, session_id))


@router.patch("/sessions/{session_id}", response={200: SessionOut, **ERRORS})
def update_session(request, session_id: int, payload: SessionPatch):
    session = _session(request, session_id)
    if not gate.manages_offer(request.user, session.offer):
        raise PermissionDenied("Only the offer's managers can change its sessions.")
    values = payload.dict(exclude_unset=True)
    if ("starts_at" in values or "ends_at" in values) and "dates" not in values:
        current = list(session.dates.all())
        if len(current) > 1:
            raise DomainError("This session meets several times: send `dates`.", field="dates")
        if current:
            values.setdefault("starts_at", current[0].starts_at)
            values.setdefault("ends_at", current[0].ends_at)
    dates = _date_specs(values, required=False)
    session = services.update_session(request.user, session, dates=dates, **values)
    return _fresh_session(session)


@router.post("/sessions/{session_id}/cancel", response={200: SessionOut, **ERRORS})
def cancel_session(request, session_id: int, payload: CancelIn):
    session = _session(request, session_id)
    if not gate.manages_offer(request.user, session.offer):
        raise PermissionDenied("Only the offer's managers can cancel its sessions.")
    return _fresh_session(services.cancel_session(request.user, session, reason=payload.reason))


# --- Proposals and interest ------------------------------------------------------------


def _work_school(request, school_id: int):
    _known(school_id)
    school = gate.school(request.user, school_id)
    a = gate.access(request.user)
    if not (a.is_site_admin or school.pk in a.school_ids):
        raise PermissionDenied("Proposals are for the school's staff.")
    return school


def proposal_out(p: Offer) -> dict[str, Any]:
    return {
        "id": p.pk,
        "school": p.school_id,
        "title": p.title,
        "summary": p.summary,
        "status": p.status,
        "proposed_by": p.proposed_by_id,
        "interested": p.interested,
        "is_interested": p.is_interested,
    }


@router.get("/proposals", response={200: ProposalPage, **ERRORS})
def list_proposals(request, school: int):
    """A school's teacher proposals still gathering interest, with interest counts."""
    found = _work_school(request, school)
    result = page(request, queries.proposals(request.user, found))
    result["items"] = [proposal_out(p) for p in result["items"]]
    return result


@router.post("/proposals", response={201: ProposalOut, **ERRORS})
def propose(request, payload: ProposalIn):
    values = payload.dict()
    school = _work_school(request, values.pop("school"))
    offer = services.propose_session(request.user, school, **values)
    return 201, proposal_out(queries.proposals(request.user, school).get(pk=offer.pk))


def _proposal(request, offer_id: int) -> Offer:
    offer = _offer(request, offer_id)
    if offer.school_id not in gate.access(request.user).school_ids:
        raise Http404("Not found.")
    return offer


def _interest_out(request, offer: Offer) -> dict[str, Any]:
    return {
        "offer": offer.pk,
        "interested": Interest.objects.filter(offer=offer).count(),
        "is_interested": Interest.objects.filter(offer=offer, user=request.user).exists(),
    }


@router.post("/offers/{offer_id}/interest", response={200: InterestOut, **ERRORS})
def register_interest(request, offer_id: int):
    offer = _proposal(request, offer_id)
    services.register_interest(request.user, offer)
    return _interest_out(request, offer)


@router.delete("/offers/{offer_id}/interest", response={200: InterestOut, **ERRORS})
def withdraw_interest(request, offer_id: int):
    offer = _proposal(request, offer_id)
    services.withdraw_interest(request.user, offer)
    return _interest_out(request, offer)


def _decider(request, offer_id: int) -> Offer:
    offer = _offer(request, offer_id)
    if offer.school_id is None or not gate.may_create_offer(request.user, school=offer.school):
        raise PermissionDenied("Only the school's CPD lead decides on proposals.")
    return offer


@router.post("/offers/{offer_id}/approve", response={200: OfferOut, **ERRORS})
def approve_proposal(request, offer_id: int):
    return _fresh_offer(services.approve_proposal(request.user, _decider(request, offer_id)))


@router.post("/offers/{offer_id}/decline", response={200: OfferOut, **ERRORS})
def decline_proposal(request, offer_id: int, payload: DeclineIn):
    offer = _decider(request, offer_id)
    return _fresh_offer(services.decline_proposal(request.user, offer, reason=payload.reason))
