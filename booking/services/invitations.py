"""Guided participation: leaders invite colleagues to a session, or direct them to it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from booking import notify
from booking.models import Booking, Invitation
from booking.services.bookings import book_session, school_for
from history.services import record
from offers.models import Session
from tenancy import gate
from tenancy.errors import Conflict, DomainError


def _check_may_direct(actor: Any, session: Session, person: Any) -> int | None:
    school_id = school_for(person, session.offer)
    if not gate.may_direct(actor, school_id, person.pk):
        raise DomainError("You cannot invite or direct this person.", status=403)
    if not gate.may_book(person, session):
        raise DomainError(f"This session is not open to {person.get_full_name()}.", status=409)
    return school_id


def invite_to_session(
    actor: Any, session: Session, person: Any, *, message: str = ""
) -> Invitation:
    """Invite a colleague (they decide). One pending invitation per person and session
    (409 otherwise). Only leaders who may direct the person (`gate.may_direct`)."""
    school_id = _check_may_direct(actor, session, person)
    if Booking.objects.filter(session=session, user=person, status__in=Booking.ACTIVE).exists():
        raise Conflict(f"{person.get_full_name()} is already booked on this session.")
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                session=session,
                user=person,
                invited_by=actor,
                kind=Invitation.Kind.INVITED,
                message=message[:500],
            )
            record(
                actor,
                "invitation.sent",
                invitation,
                {"session": session.pk, "person": person.pk, "kind": invitation.kind},
                school_id=school_id,
            )
            notify.later(
                notify.Kind.INVITED,
                person.pk,
                invitation_id=invitation.pk,
                key=f"invited:{invitation.pk}",
            )
    except IntegrityError as exc:
        raise Conflict(f"{person.get_full_name()} already has an invitation waiting.") from exc
    return invitation


def direct_to_session(actor: Any, session: Session, person: Any, *, message: str = "") -> Booking:
    """Direct a colleague to a session: they are booked at once (confirmed, waiting list or
    awaiting approval like anyone else) and told. Records a directed invitation."""
    school_id = _check_may_direct(actor, session, person)
    with transaction.atomic():
        booking = book_session(actor, session, person)
        Invitation.objects.filter(session=session, user=person, status="pending").update(
            status=Invitation.Status.ACCEPTED, answered_at=timezone.now()
        )
        invitation = Invitation.objects.create(
            session=session,
            user=person,
            invited_by=actor,
            kind=Invitation.Kind.DIRECTED,
            status=Invitation.Status.ACCEPTED,
            message=message[:500],
            answered_at=timezone.now(),
        )
        record(
            actor,
            "invitation.directed",
            invitation,
            {"session": session.pk, "person": person.pk, "booking": booking.pk},
            school_id=school_id,
        )
        notify.later(
            notify.Kind.DIRECTED,
            person.pk,
            invitation_id=invitation.pk,
            key=f"directed:{invitation.pk}",
        )
    return booking


def answer_invitation(
    actor: Any, invitation: Invitation, *, accept: bool, note: str = ""
) -> Booking | None:
    """The invited person says yes (which books the session, in the same transaction) or
    no. Answering twice is refused (409)."""
    if invitation.user_id != actor.pk:
        raise DomainError("Only the person invited can answer.", status=403)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status != Invitation.Status.PENDING:
            raise Conflict("This invitation has already been answered.")
        booking = None
        if accept:
            booking = book_session(actor, invitation.session)
        invitation.status = Invitation.Status.ACCEPTED if accept else Invitation.Status.DECLINED
        invitation.answer_note = note[:500]
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answer_note", "answered_at"])
        record(
            actor,
            "invitation.answered",
            invitation,
            {"status": [Invitation.Status.PENDING, invitation.status]},
            school_id=booking.school_id if booking else None,
        )
    return booking
