"""Building the offer: one function per thing a CPD lead, network lead, provider or teacher
does to offers, sessions, proposals and priorities. Each validates, changes state in one
transaction, writes a history row and raises a DomainError a teacher can read.

Permission is the caller's job (view or router → gate → service), so the demo, imports and
tests can call these directly."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from history.services import diff, record, snapshot
from offers.models import FocusTag, Interest, Offer, Session, SessionDate
from offers.signals import session_cancelled, session_changed
from tenancy.errors import Conflict, DomainError
from tenancy.models import Network, NetworkMembership, School, StaffMember, Subject, User

# Plain fields a manager may set on an offer (owner, status and proposer have their own
# services).
OFFER_FIELDS = [
    "title",
    "summary",
    "description",
    "kind",
    "for_whole_school",
    "for_teams",
    "for_individuals",
    "career_stages",
    "phases",
    "mode",
    "location",
    "meeting_link",
    "counts_as_directed_time",
    "directed_hours",
    "evidence",
    "provider_name",
    "cost",
    "paid_by",
    "needs_approval",
    "programme_structure",
    "terms",
]
SESSION_FIELDS = [
    "label",
    "capacity",
    "location",
    "meeting_link",
    "booking_opens_at",
    "booking_closes_at",
]
# A change to any of these moves the event in people's calendars (iCalendar SEQUENCE).
CALENDAR_FIELDS = {"dates", "location", "meeting_link"}
MAX_CAPACITY = 10_000
MAX_DATES = 60

DateSpec = tuple[datetime.datetime, datetime.datetime, str] | dict[str, Any]


# --- Small validators ------------------------------------------------------------------


def _clean(obj, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=name) from exc


def _decimal(value: Any, field: str, *, minimum: Decimal = Decimal("0")) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("Enter a number.", field=field) from exc
    if not number.is_finite() or number < minimum:
        raise DomainError(f"Enter a number of at least {minimum}.", field=field)
    return number


def _aware(value: Any, field: str, *, required: bool = True) -> datetime.datetime | None:
    """Times must say which time zone they are in; a bare 09:00 is ambiguous in the API."""
    if value in (None, ""):
        if required:
            raise DomainError("Enter a date and time.", field=field)
        return None
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError as exc:
            raise DomainError(
                "Enter a date and time like 2025-10-07T16:00+01:00.", field=field
            ) from exc
    if not isinstance(value, datetime.datetime):
        raise DomainError("Enter a date and time.", field=field)
    if timezone.is_naive(value):
        raise DomainError(
            "Give the time with its time zone offset, e.g. 2025-10-07T16:00+01:00.", field=field
        )
    return value


def _codes(values: Any, allowed: Iterable[str], field: str) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        values = Offer.uncodes(values) if "," in values else [values]
    allowed = set(allowed)
    values = [str(v).strip() for v in values if str(v).strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise DomainError(
            f"Unknown {field.replace('_', ' ')}: {', '.join(unknown)}. "
            f"Use {', '.join(sorted(allowed))}.",
            field=field,
        )
    return Offer.codes(dict.fromkeys(values))


def _choice(value: Any, choices: type, field: str) -> str:
    if value not in choices.values:
        raise DomainError(
            f"Unknown {field.replace('_', ' ')} '{value}'; use one of {', '.join(choices.values)}.",
            field=field,
        )
    return value


def _subjects(values: Iterable[Any]) -> list[Subject]:
    found = []
    for v in values:
        if isinstance(v, Subject):
            found.append(v)
        elif isinstance(v, int) or (isinstance(v, str) and v.isdigit()):
            subject = Subject.objects.filter(pk=int(v)).first() if 0 < int(v) < 2**63 else None
            if subject is None:
                raise DomainError(f"Unknown subject {v}.", field="subjects")
            found.append(subject)
        elif str(v).strip():
            found.append(Subject.objects.get_or_create(name=str(v).strip()[:80])[0])
    return found


def _focus(offer: Offer, values: Iterable[Any]) -> list[FocusTag]:
    """Shared tags (Teachers' Standards, EEF mechanisms) or the owning school's priorities."""
    values = list(values)
    tags = [v for v in values if isinstance(v, FocusTag)]
    ids = [int(v) for v in values if isinstance(v, int) or (isinstance(v, str) and v.isdigit())]
    if any(not 0 < i < 2**63 for i in ids):
        raise DomainError("Unknown focus tag for this offer.", field="focus")
    codes = [str(v) for v in values if isinstance(v, str) and not v.isdigit() and v.strip()]
    allowed = FocusTag.objects.filter(school__isnull=True)
    if offer.school_id:
        allowed = allowed | FocusTag.objects.filter(school_id=offer.school_id)
    if ids:
        tags += list(allowed.filter(pk__in=ids))
    if codes:
        tags += list(allowed.filter(code__in=codes))
    ok = {t.pk for t in tags if t.school_id in (None, offer.school_id)}
    if len(ok) != len({t.pk for t in tags}) or len(tags) < len(ids) + len(codes):
        raise DomainError("Unknown focus tag for this offer.", field="focus")
    return [t for t in tags if t.pk in ok]


def facilitator_candidates(offer_owner: Offer | Session) -> Any:
    """Who may facilitate: the owning school's staff, a network's member schools' staff and
    role holders, and external providers; a provider names anyone."""
    offer = offer_owner.offer if isinstance(offer_owner, Session) else offer_owner
    users = User.objects.filter(is_active=True)
    if offer.school_id:
        return users.filter(
            pk__in=StaffMember.objects.filter(
                school_id=offer.school_id, archived_at__isnull=True
            ).values("user_id")
        ) | users.exclude(provider_name="")
    if offer.network_id:
        schools = NetworkMembership.objects.filter(
            network_id=offer.network_id, left_on__isnull=True
        ).values("school_id")
        staff = StaffMember.objects.filter(school_id__in=schools, archived_at__isnull=True)
        return (
            users.filter(pk__in=staff.values("user_id"))
            | users.filter(network_roles__network_id=offer.network_id)
            | users.exclude(provider_name="")
        )
    return users


def _facilitators(offer: Offer, values: Iterable[Any]) -> list[User]:
    ids = {v.pk if isinstance(v, User) else v for v in values}
    try:
        ids = {int(i) for i in ids}
    except (TypeError, ValueError) as exc:
        raise DomainError("Facilitators are people's ids.", field="facilitators") from exc
    if any(not 0 < i < 2**63 for i in ids):
        raise DomainError("Unknown facilitator.", field="facilitators")
    if not ids:
        return []
    found = list(facilitator_candidates(offer).filter(pk__in=ids).distinct())
    if len(found) != len(ids):
        raise DomainError(
            "A facilitator must be on the staff of the school (or network) or an external "
            "provider.",
            field="facilitators",
        )
    return found


def _offer_values(values: dict[str, Any], *, owner_is_network: bool) -> dict[str, Any]:
    out = {k: v for k, v in values.items() if k in OFFER_FIELDS}
    unknown = set(values) - set(OFFER_FIELDS)
    if unknown:
        raise DomainError(f"Unknown field {sorted(unknown)[0]}.", field=sorted(unknown)[0])
    if "title" in out:
        out["title"] = (out["title"] or "").strip()
        if not out["title"]:
            raise DomainError("Give the offer a title.", field="title")
    if "kind" in out:
        _choice(out["kind"], Offer.Kind, "kind")
        if out["kind"] == Offer.Kind.TEACHER_PROPOSED:
            raise DomainError(
                "Teacher-proposed sessions are made by proposing one, not directly.", field="kind"
            )
        if out["kind"] == Offer.Kind.NETWORK_EVENT and not owner_is_network:
            raise DomainError("A network event belongs to a network: choose one.", field="network")
    if "mode" in out:
        _choice(out["mode"], Offer.Mode, "mode")
    if "paid_by" in out:
        _choice(out["paid_by"], Offer.Payer, "paid_by")
    if "career_stages" in out:
        out["career_stages"] = _codes(
            out["career_stages"], StaffMember.CareerStage.values, "career_stages"
        )
    if "phases" in out:
        out["phases"] = _codes(out["phases"], School.Phase.values, "phases")
    if "cost" in out:
        out["cost"] = _decimal(out["cost"], "cost") or Decimal("0")
    if "directed_hours" in out:
        out["directed_hours"] = _decimal(out["directed_hours"], "directed_hours")
    if out.get("terms") in ("", 0):
        out["terms"] = None
    if out.get("terms") is not None:
        try:
            out["terms"] = int(out["terms"])
        except (TypeError, ValueError) as exc:
            raise DomainError("Enter a number of terms.", field="terms") from exc
        if not 1 <= out["terms"] <= 12:
            raise DomainError("A programme runs for 1 to 12 terms.", field="terms")
    for name in ("summary", "description", "location", "evidence", "provider_name"):
        if name in out:
            out[name] = (out[name] or "").strip()
    return out


def _settle_cost(offer: Offer, explicit_approval: bool | None) -> None:
    """A course with a cost is paid by someone and, unless said otherwise, needs approval."""
    if offer.cost and offer.cost > 0:
        if offer.paid_by == Offer.Payer.FREE:
            offer.paid_by = Offer.Payer.NETWORK if offer.network_id else Offer.Payer.SCHOOL
        if explicit_approval is None:
            offer.needs_approval = True
    elif offer.paid_by != Offer.Payer.FREE and not offer.cost:
        offer.paid_by = Offer.Payer.FREE


# --- Offers ----------------------------------------------------------------------------


@transaction.atomic
def create_offer(
    actor: User | None,
    *,
    title: str,
    kind: str = Offer.Kind.ONE_OFF,
    school: School | None = None,
    network: Network | None = None,
    provider: User | None = None,
    status: str = Offer.Status.PUBLISHED,
    focus: Iterable[Any] = (),
    subjects: Iterable[Any] = (),
    facilitators: Iterable[Any] = (),
    **values: Any,
) -> Offer:
    """Add an offer owned by exactly one school, network or provider. A provider who names
    no school or network owns it themselves. Published unless `status="draft"`."""
    if school is None and network is None and provider is None:
        if actor is not None and getattr(actor, "is_provider", False):
            provider = actor
        else:
            raise DomainError("Choose the school or network the offer belongs to.", field="school")
    if sum(x is not None for x in (school, network, provider)) != 1:
        raise DomainError(
            "An offer belongs to one school, one network or one provider.", field="school"
        )
    if status not in (Offer.Status.PUBLISHED, Offer.Status.DRAFT):
        raise DomainError("A new offer is a draft or published.", field="status")
    explicit_approval = values.get("needs_approval")
    fields = _offer_values({"title": title, "kind": kind, **values}, owner_is_network=bool(network))
    offer = Offer(
        school=school,
        network=network,
        provider=provider,
        status=status,
        created_by=actor if getattr(actor, "pk", None) else None,
        **fields,
    )
    if explicit_approval is None:
        offer.needs_approval = False
    if provider is not None and not offer.provider_name:
        offer.provider_name = provider.provider_name
    _settle_cost(offer, explicit_approval)
    _clean(offer, exclude=["school", "network", "provider", "created_by", "proposed_by"])
    offer.save()
    if focus:
        offer.focus.set(_focus(offer, focus))
    if subjects:
        offer.subjects.set(_subjects(subjects))
    if facilitators:
        offer.facilitators.set(_facilitators(offer, facilitators))
    record(
        actor,
        "offer.created",
        offer,
        {**snapshot(offer, ["status", *OFFER_FIELDS]), "provider": offer.provider_id},
    )
    return offer


@transaction.atomic
def update_offer(
    actor: User | None,
    offer: Offer,
    *,
    focus: Iterable[Any] | None = None,
    subjects: Iterable[Any] | None = None,
    facilitators: Iterable[Any] | None = None,
    **values: Any,
) -> Offer:
    """Change an offer's description, audience or terms. Setting the current values changes
    nothing and writes no history."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == Offer.Status.PROPOSED and values.get("kind") not in (
        None,
        Offer.Kind.TEACHER_PROPOSED,
    ):
        raise DomainError("Approve the proposal before changing its kind.", field="kind")
    if offer.kind == Offer.Kind.TEACHER_PROPOSED and values.get("kind") == offer.kind:
        values.pop("kind")
    before = snapshot(offer, OFFER_FIELDS)
    fields = _offer_values(values, owner_is_network=bool(offer.network_id))
    for k, v in fields.items():
        setattr(offer, k, v)
    if "needs_approval" in values:
        explicit = values["needs_approval"]
    else:
        # A free course that gains a cost needs approval unless the manager says otherwise.
        explicit = None if (Decimal(before["cost"]) == 0 and offer.cost) else False
    _settle_cost(offer, explicit)
    _clean(offer, exclude=["school", "network", "provider", "created_by", "proposed_by"])
    changes = diff(before, snapshot(offer, OFFER_FIELDS))
    offer.save()
    for name, new, current in (
        ("focus", None if focus is None else _focus(offer, focus), offer.focus),
        ("subjects", None if subjects is None else _subjects(subjects), offer.subjects),
        (
            "facilitators",
            None if facilitators is None else _facilitators(offer, facilitators),
            offer.facilitators,
        ),
    ):
        if new is None:
            continue
        old_ids = sorted(current.values_list("pk", flat=True))
        new_ids = sorted({x.pk for x in new})
        if old_ids != new_ids:
            current.set(new)
            changes[name] = [old_ids, new_ids]
    if changes:
        record(actor, "offer.updated", offer, changes)
    return offer


def _set_status(
    actor: User | None, offer: Offer, status: str, action: str, note: str = ""
) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status == status:
        return offer
    old = offer.status
    offer.status = status
    offer.save(update_fields=["status", "updated_at"])
    record(actor, action, offer, {"status": [old, status]}, note=note)
    return offer


@transaction.atomic
def publish_offer(actor: User | None, offer: Offer) -> Offer:
    """Put a draft (or archived) offer in the catalogue. Proposals are approved instead."""
    if offer.status in (Offer.Status.PROPOSED, Offer.Status.DECLINED):
        raise DomainError("A teacher's proposal is published by approving it.", field="status")
    return _set_status(actor, offer, Offer.Status.PUBLISHED, "offer.published")


@transaction.atomic
def archive_offer(actor: User | None, offer: Offer) -> Offer:
    """Take an offer out of the catalogue; its history, bookings and registers stay."""
    return _set_status(actor, offer, Offer.Status.ARCHIVED, "offer.archived")


# --- Sessions --------------------------------------------------------------------------


def _dates(
    specs: Sequence[DateSpec] | None,
) -> list[tuple[datetime.datetime, datetime.datetime, str]]:
    if not specs:
        raise DomainError("Give the session at least one date.", field="dates")
    if len(specs) > MAX_DATES:
        raise DomainError(f"A session has at most {MAX_DATES} dates.", field="dates")
    out = []
    for i, spec in enumerate(specs):
        if isinstance(spec, dict):
            starts, ends, title = (
                spec.get("starts_at"),
                spec.get("ends_at"),
                spec.get("title") or "",
            )
        else:
            starts, ends, *rest = spec
            title = rest[0] if rest else ""
        prefix = "" if len(specs) == 1 else f"dates.{i}."
        starts = _aware(starts, f"{prefix}starts_at")
        ends = _aware(ends, f"{prefix}ends_at")
        if ends <= starts:
            raise DomainError("The session must end after it starts.", field=f"{prefix}ends_at")
        title = (title or "").strip()
        if len(title) > 200:
            raise DomainError("A date's title has at most 200 characters.", field=f"{prefix}title")
        out.append((starts, ends, title))
    return sorted(out, key=lambda d: d[0])


def _capacity(value: Any) -> int:
    try:
        capacity = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError("Enter the number of places.", field="capacity") from exc
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(f"A session has between 1 and {MAX_CAPACITY} places.", field="capacity")
    return capacity


def _booking_window(session: Session) -> None:
    opens, closes = session.booking_opens_at, session.booking_closes_at
    if opens and closes and closes <= opens:
        raise DomainError("Booking must close after it opens.", field="booking_closes_at")
    if closes and session.ends_at and closes > session.ends_at:
        raise DomainError("Booking must close before the session ends.", field="booking_closes_at")


@transaction.atomic
def add_session(
    actor: User | None,
    offer: Offer,
    *,
    dates: Sequence[DateSpec],
    capacity: Any = 20,
    label: str = "",
    location: str = "",
    meeting_link: str = "",
    booking_opens_at: Any = None,
    booking_closes_at: Any = None,
    facilitators: Iterable[Any] = (),
) -> Session:
    """Schedule a bookable run of an offer with one or more dates (a programme's session
    carries all its meetings). Place and link default to the offer's."""
    if offer.status in (Offer.Status.ARCHIVED, Offer.Status.DECLINED):
        raise DomainError("This offer is no longer running; publish it again first.")
    spans = _dates(dates)
    session = Session(
        offer=offer,
        label=(label or "").strip(),
        capacity=_capacity(capacity),
        location=(location or "").strip() or offer.location,
        meeting_link=(meeting_link or "").strip() or offer.meeting_link,
        booking_opens_at=_aware(booking_opens_at, "booking_opens_at", required=False),
        booking_closes_at=_aware(booking_closes_at, "booking_closes_at", required=False),
        starts_at=spans[0][0],
        ends_at=max(d[1] for d in spans),
    )
    _booking_window(session)
    _clean(session, exclude=["offer", "check_in_code"])
    session.save()
    SessionDate.objects.bulk_create(
        [SessionDate(session=session, starts_at=s, ends_at=e, title=t) for s, e, t in spans]
    )
    if facilitators:
        session.facilitators.set(_facilitators(offer, facilitators))
    record(
        actor,
        "session.added",
        session,
        {
            "offer": offer.pk,
            "capacity": session.capacity,
            "dates": [[s, e, t] for s, e, t in spans],
        },
        school_id=offer.school_id,
        network_id=offer.network_id,
    )
    return session


def _replace_dates(session: Session, spans: list[tuple]) -> bool:
    """Make the session's dates exactly `spans`, editing rows in place so that a register
    already taken on a date keeps pointing at it."""
    current = list(session.dates.order_by("starts_at", "pk"))
    changed = False
    for row, (s, e, t) in zip(current, spans, strict=False):
        if (row.starts_at, row.ends_at, row.title) != (s, e, t):
            row.starts_at, row.ends_at, row.title = s, e, t
            row.save(update_fields=["starts_at", "ends_at", "title"])
            changed = True
    for s, e, t in spans[len(current) :]:
        SessionDate.objects.create(session=session, starts_at=s, ends_at=e, title=t)
        changed = True
    for row in current[len(spans) :]:
        if hasattr(row, "attendance") and row.attendance.exists():
            raise DomainError("A date whose register was taken cannot be removed.", field="dates")
        row.delete()
        changed = True
    return changed


_UNSET: Any = object()


@transaction.atomic
def update_session(
    actor: User | None,
    session: Session,
    *,
    dates: Sequence[DateSpec] | None = None,
    capacity: Any = None,
    label: str | None = None,
    location: str | None = None,
    meeting_link: str | None = None,
    booking_opens_at: Any = _UNSET,
    booking_closes_at: Any = _UNSET,
    facilitators: Iterable[Any] | None = None,
) -> Session:
    """Change a session's dates, place, places or facilitators. Moving it in time or space
    bumps its iCalendar SEQUENCE; booking hears of every change through `session_changed`.
    Places never drop below the confirmed bookings (the row is locked while we check)."""
    session = Session.objects.select_for_update().select_related("offer").get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        raise DomainError("This session was cancelled; schedule a new one instead.")
    before = snapshot(session, SESSION_FIELDS)
    before_dates = [[d.starts_at, d.ends_at, d.title] for d in session.dates.order_by("starts_at")]
    if capacity is not None:
        capacity = _capacity(capacity)
        if capacity < session.confirmed_count:
            raise DomainError(
                f"{session.confirmed_count} people already have a place; the session needs at "
                f"least {session.confirmed_count} places.",
                field="capacity",
            )
        session.capacity = capacity
    if label is not None:
        session.label = label.strip()
    if location is not None:
        session.location = location.strip()
    if meeting_link is not None:
        session.meeting_link = meeting_link.strip()
    if booking_opens_at is not _UNSET:
        session.booking_opens_at = _aware(booking_opens_at, "booking_opens_at", required=False)
    if booking_closes_at is not _UNSET:
        session.booking_closes_at = _aware(booking_closes_at, "booking_closes_at", required=False)
    changes = {}
    if dates is not None:
        spans = _dates(dates)
        if _replace_dates(session, spans):
            changes["dates"] = [before_dates, [[s, e, t] for s, e, t in spans]]
        session.refresh_span()
    _booking_window(session)
    _clean(session, exclude=["offer", "check_in_code"])
    changes.update(diff(before, snapshot(session, SESSION_FIELDS)))
    if facilitators is not None:
        new = _facilitators(session.offer, facilitators)
        old_ids = sorted(session.facilitators.values_list("pk", flat=True))
        if old_ids != sorted(u.pk for u in new):
            session.facilitators.set(new)
            changes["facilitators"] = [old_ids, sorted(u.pk for u in new)]
    if not changes:
        return session
    if CALENDAR_FIELDS & set(changes):
        session.sequence += 1
    session.save()
    record(
        actor,
        "session.updated",
        session,
        changes,
        school_id=session.offer.school_id,
        network_id=session.offer.network_id,
    )
    session_changed.send(sender=Session, session=session, changes=changes, actor=actor)
    return session


@transaction.atomic
def cancel_session(actor: User | None, session: Session, *, reason: str = "") -> Session:
    """Call a session off. Booking hears through `session_cancelled` and tells the people
    booked; cancelling twice changes nothing."""
    session = Session.objects.select_for_update().select_related("offer").get(pk=session.pk)
    if session.status == Session.Status.CANCELLED:
        return session
    session.status = Session.Status.CANCELLED
    session.sequence += 1
    session.save(update_fields=["status", "sequence"])
    record(
        actor,
        "session.cancelled",
        session,
        {"status": [Session.Status.SCHEDULED, Session.Status.CANCELLED]},
        school_id=session.offer.school_id,
        network_id=session.offer.network_id,
        note=reason,
    )
    session_cancelled.send(sender=Session, session=session, actor=actor, reason=reason)
    return session


# --- Teacher proposals -----------------------------------------------------------------


@transaction.atomic
def propose_session(
    actor: User,
    school: School,
    *,
    title: str,
    summary: str = "",
    description: str = "",
    focus: Iterable[Any] = (),
    **values: Any,
) -> Offer:
    """A teacher offers to lead a session for colleagues; it gathers interest until the CPD
    lead approves it."""
    if not StaffMember.objects.filter(user=actor, school=school, archived_at__isnull=True).exists():
        raise DomainError(
            "You can propose sessions only in a school where you work.", field="school"
        )
    fields = _offer_values(
        {"title": title, "summary": summary, "description": description, **values},
        owner_is_network=False,
    )
    fields.pop("kind", None)
    offer = Offer(
        school=school,
        kind=Offer.Kind.TEACHER_PROPOSED,
        status=Offer.Status.PROPOSED,
        proposed_by=actor,
        created_by=actor,
        **fields,
    )
    _clean(offer, exclude=["school", "network", "provider", "created_by", "proposed_by"])
    offer.save()
    if focus:
        offer.focus.set(_focus(offer, focus))
    record(actor, "offer.proposed", offer, snapshot(offer, ["title", "summary", "status"]))
    return offer


def _proposal(offer: Offer) -> None:
    if offer.status != Offer.Status.PROPOSED:
        raise DomainError("This proposal is no longer gathering interest.")


@transaction.atomic
def register_interest(actor: User, offer: Offer) -> bool:
    """Say 'I'm interested' in a colleague's proposal. Saying it twice changes nothing.
    Returns whether it was new."""
    _proposal(offer)
    try:
        with transaction.atomic():
            _, created = Interest.objects.get_or_create(offer=offer, user=actor)
    except IntegrityError:
        created = False
    if created:
        record(actor, "offer.interest_registered", offer, {"user": actor.pk})
    return created


@transaction.atomic
def withdraw_interest(actor: User, offer: Offer) -> bool:
    """Take back an 'I'm interested'. Returns whether there was one."""
    _proposal(offer)
    deleted, _ = Interest.objects.filter(offer=offer, user=actor).delete()
    if deleted:
        record(actor, "offer.interest_withdrawn", offer, {"user": actor.pk})
    return bool(deleted)


@transaction.atomic
def approve_proposal(actor: User | None, offer: Offer) -> Offer:
    """The CPD lead takes a proposal forward: it is published and its proposer facilitates."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _proposal(offer)
    offer.status = Offer.Status.PUBLISHED
    offer.save(update_fields=["status", "updated_at"])
    if offer.proposed_by_id:
        offer.facilitators.add(offer.proposed_by_id)
    record(
        actor,
        "offer.proposal_approved",
        offer,
        {"status": [Offer.Status.PROPOSED, Offer.Status.PUBLISHED]},
    )
    return offer


@transaction.atomic
def decline_proposal(actor: User | None, offer: Offer, *, reason: str = "") -> Offer:
    """Not taken forward this time; the proposer and the interested keep seeing it."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _proposal(offer)
    offer.status = Offer.Status.DECLINED
    offer.save(update_fields=["status", "updated_at"])
    record(
        actor,
        "offer.proposal_declined",
        offer,
        {"status": [Offer.Status.PROPOSED, Offer.Status.DECLINED]},
        note=reason,
    )
    return offer


# --- School priorities -----------------------------------------------------------------


@transaction.atomic
def create_priority(actor: User | None, school: School, *, name: str, code: str = "") -> FocusTag:
    """A whole-school priority offers can serve; few and stable (Standard S4.4)."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Name the priority.", field="name")
    if len(name) > 200:
        raise DomainError("A priority's name has at most 200 characters.", field="name")
    if FocusTag.objects.filter(school=school, name__iexact=name).exists():
        raise Conflict("The school already has this priority.", field="name")
    code = (code or "").strip()[:20]
    if not code:
        n = FocusTag.objects.filter(school=school).count() + 1
        code = f"P{n}"
        while FocusTag.objects.filter(school=school, code=code).exists():
            n += 1
            code = f"P{n}"
    elif FocusTag.objects.filter(school=school, code=code).exists():
        raise Conflict("Another priority has this code.", field="code")
    tag = FocusTag.objects.create(kind=FocusTag.Kind.PRIORITY, school=school, code=code, name=name)
    record(actor, "priority.created", tag, {"code": code, "name": name}, school_id=school.pk)
    return tag


@transaction.atomic
def remove_priority(actor: User | None, tag: FocusTag) -> None:
    """Drop a priority; offers tagged with it lose the tag, nothing else changes."""
    if tag.kind != FocusTag.Kind.PRIORITY or tag.school_id is None:
        raise DomainError("Only a school's own priorities can be removed.")
    record(
        actor,
        "priority.removed",
        tag,
        {"code": tag.code, "name": tag.name},
        school_id=tag.school_id,
    )
    tag.delete()
