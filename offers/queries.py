"""Reads shared by the catalogue page, the offer pages and the offers API.

The catalogue is benchmarked on 150,000 offers and 400,000 sessions, so: every filter is a
plain column test or an EXISTS, full-text search uses exactly the expression of the GIN
index (offers migration 0002), pages are keyset cursors and nothing counts the whole set."""

from __future__ import annotations

import base64
import binascii
import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from offers.models import FocusTag, Offer, Session, SessionDate
from tenancy import gate
from tenancy.models import School, StaffMember

PAGE_SIZE = 20
# Ids beyond a bigint make SQLite raise OverflowError and PostgreSQL a DataError: treat
# them as "not found" before they reach the database.
MAX_ID = 2**63 - 1
STRANDS = {
    "whole_school": "for_whole_school",
    "team": "for_teams",
    "individual": "for_individuals",
}
STRAND_CHOICES = [("whole_school", "Whole school"), ("team", "Team"), ("individual", "Individual")]
# Must stay the expression of offer_search_idx, or PostgreSQL cannot use the index.
FULL_TEXT_SQL = (
    "to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(summary, '')"
    " || ' ' || COALESCE(description, '')) @@ websearch_to_tsquery('english'::regconfig, %s)"
)
FILTER_KEYS = (
    "q",
    "strand",
    "focus",
    "subject",
    "phase",
    "career_stage",
    "kind",
    "mode",
    "from",
    "to",
    "provider",
    "network",
    "school",
    "places",
)


def _text(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    return str(value).strip()[:200] if value not in (None, "") else ""


def valid_id(value: Any) -> bool:
    """Whether `value` could be a primary key at all (bad ids are simply 'not found')."""
    try:
        return 0 < int(value) <= MAX_ID
    except (TypeError, ValueError):
        return False


def _int(params: Mapping[str, Any], key: str) -> int | None:
    value = _text(params, key)
    return int(value) if value.isdigit() and len(value) < 12 else None


def _day(params: Mapping[str, Any], key: str) -> datetime.datetime | None:
    """A date in the page's (London) calendar, as the aware start of that day."""
    value = _text(params, key)
    if not value:
        return None
    try:
        day = datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def has_filters(params: Mapping[str, Any]) -> bool:
    return any(_text(params, k) for k in FILTER_KEYS)


def text_matches(q: str) -> QuerySet[Offer]:
    """Offers whose title, summary or description match `q` (a web-style search string)."""
    if connection.vendor == "postgresql":
        # The SQL is a constant; the search text is passed as a parameter.
        match = RawSQL(FULL_TEXT_SQL, [q], output_field=BooleanField())  # noqa: S611
        return Offer.objects.filter(match)
    words = q.split() or [q]
    cond = Q()
    for word in words[:8]:
        cond &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(description__icontains=word)
        )
    return Offer.objects.filter(cond)


def _offer_filters(params: Mapping[str, Any], prefix: str) -> Q:
    """Conditions on the offer, for a Session queryset (prefix 'offer__') or an Offer one."""
    outer = OuterRef("offer_id") if prefix else OuterRef("pk")
    cond = Q()
    q = _text(params, "q")
    if q:
        cond &= Q(**{f"{prefix}pk__in": text_matches(q).values("pk")})
    strand = STRANDS.get(_text(params, "strand"))
    if strand:
        cond &= Q(**{f"{prefix}{strand}": True})
    focus = _text(params, "focus")
    if focus:
        tags = FocusTag.objects.filter(code=focus)
        cond &= Q(Exists(Offer.focus.through.objects.filter(offer_id=outer, focustag__in=tags)))
    subject = _text(params, "subject")
    if subject:
        through = Offer.subjects.through.objects.filter(offer_id=outer)
        through = (
            through.filter(subject_id=_int(params, "subject") or 0)
            if subject.isdigit()
            else through.filter(subject__name__iexact=subject)
        )
        cond &= Q(Exists(through))
    for key, field in (("phase", "phases"), ("career_stage", "career_stages")):
        value = _text(params, key)
        if value:
            cond &= Q(**{f"{prefix}{field}__icontains": f",{value},"})
    for key in ("kind", "mode"):
        value = _text(params, key)
        if value:
            cond &= Q(**{f"{prefix}{key}": value})
    provider = _text(params, "provider")
    if provider:
        cond &= (
            Q(**{f"{prefix}provider_id": _int(params, "provider") or 0})
            if provider.isdigit()
            else Q(**{f"{prefix}provider_name__icontains": provider})
        )
    for key in ("network", "school"):
        value = _text(params, key)
        if value:
            cond &= Q(**{f"{prefix}{key}_id": _int(params, key) or 0})
    return cond


def _session_filters(params: Mapping[str, Any], *, now: datetime.datetime) -> Q:
    """Conditions on a session: scheduled, in the date range (upcoming by default), places."""
    cond = Q(status=Session.Status.SCHEDULED)
    start, end = _day(params, "from"), _day(params, "to")
    if end is not None:
        end += datetime.timedelta(days=1)
    if start is None and end is None:
        cond &= Q(starts_at__gte=now)
    else:
        lower = start or now
        dates = SessionDate.objects.filter(session_id=OuterRef("pk"), starts_at__gte=lower)
        cond &= Q(ends_at__gte=lower)
        if end is not None:
            dates = dates.filter(starts_at__lt=end)
            cond &= Q(starts_at__lt=end)
        cond &= Q(Exists(dates))
    if _text(params, "places") in ("1", "true", "on", "yes"):
        cond &= Q(confirmed_count__lt=F("capacity"))
    return cond


@dataclass
class Fit:
    """What the catalogue knows of a person to put what suits them first."""

    stages: set[str]
    phases: set[str]
    subject_ids: set[int]
    priority_ids: set[int]
    school_ids: set[int]

    @property
    def empty(self) -> bool:
        return not (self.stages or self.phases or self.subject_ids or self.priority_ids)


def fit_for(user: Any) -> Fit:
    """Role (career stage), phase, subjects and school priorities, from the staff records
    already loaded by the gate plus two small queries."""
    a = gate.access(user)
    records = list(a.staff.values())
    school_ids = set(a.staff)
    phases = {r.phase for r in records if r.phase}
    if school_ids and not phases:
        phases = set(School.objects.filter(pk__in=school_ids).values_list("phase", flat=True))
    subject_ids = (
        set(
            StaffMember.subjects.through.objects.filter(
                staffmember_id__in=[r.pk for r in records]
            ).values_list("subject_id", flat=True)
        )
        if records
        else set()
    )
    priority_ids = (
        set(
            FocusTag.objects.filter(
                school_id__in=school_ids, kind=FocusTag.Kind.PRIORITY
            ).values_list("pk", flat=True)
        )
        if school_ids
        else set()
    )
    return Fit(
        stages={r.career_stage for r in records if r.career_stage},
        phases=phases,
        subject_ids=subject_ids,
        priority_ids=priority_ids,
        school_ids=school_ids,
    )


def _score(fit: Fit) -> Any:
    """How well an offer fits the person, computed in SQL: career stage 4, school priority
    3, subject 2, phase 2, their own school's offer 1."""
    parts = []

    def add(condition: Any, points: int) -> None:
        parts.append(Case(When(condition, then=Value(points)), default=Value(0)))

    stage_q = Q()
    for stage in sorted(fit.stages):
        stage_q |= Q(offer__career_stages__contains=f",{stage},")
    if fit.stages:
        add(stage_q, 4)
    if fit.priority_ids:
        add(
            Exists(
                Offer.focus.through.objects.filter(
                    offer_id=OuterRef("offer_id"), focustag_id__in=sorted(fit.priority_ids)
                )
            ),
            3,
        )
    if fit.subject_ids:
        add(
            Exists(
                Offer.subjects.through.objects.filter(
                    offer_id=OuterRef("offer_id"), subject_id__in=sorted(fit.subject_ids)
                )
            ),
            2,
        )
    phase_q = Q()
    for phase in sorted(fit.phases):
        phase_q |= Q(offer__phases__contains=f",{phase},")
    if fit.phases:
        add(phase_q, 2)
    if fit.school_ids:
        add(Q(offer__school_id__in=sorted(fit.school_ids)), 1)
    if not parts:
        return Value(0, output_field=IntegerField())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _visible_sessions(user: Any) -> QuerySet[Session]:
    visible = gate.offers(user, include_unpublished=False).values("id")
    return Session.objects.filter(offer_id__in=visible, offer__status=Offer.Status.PUBLISHED)


def catalogue(user: Any, params: Mapping[str, Any], *, now: datetime.datetime | None = None):
    """Bookable sessions of published offers the person may see, filtered by `params`
    (q, strand, focus, subject, phase, career_stage, kind, mode, from, to, provider,
    network, school, places, order). With no filters, what fits the person comes first
    (order=fit), then by date; with filters, by date (order=date).

    Returns a queryset annotated with `fit` and `next_starts_at`, ordered for keyset pages
    (see `page_of`)."""
    now = now or timezone.now()
    qs = _visible_sessions(user).filter(
        _session_filters(params, now=now), _offer_filters(params, "offer__")
    )
    order = _text(params, "order")
    if order not in ("fit", "date"):
        order = "date" if has_filters(params) else "fit"
    if order == "fit":
        qs = qs.annotate(fit=_score(fit_for(user)))
    else:
        qs = qs.annotate(fit=Value(0, output_field=IntegerField()))
    next_date = (
        SessionDate.objects.filter(session_id=OuterRef("pk"), starts_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        qs.annotate(next_starts_at=Subquery(next_date))
        .select_related("offer", "offer__school", "offer__network", "offer__provider")
        .order_by("-fit", "starts_at", "pk")
    )


def _encode(parts: list[str]) -> str:
    return base64.urlsafe_b64encode("~".join(parts).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[str] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = raw.split("~")
    return parts if len(parts) == 3 else None


def page_of(
    qs: QuerySet[Session], cursor: str | None, *, size: int = PAGE_SIZE
) -> tuple[list[Session], str | None]:
    """One keyset page of `catalogue()` after `cursor`, and the cursor of the next page
    (None on the last). No COUNT: we fetch one row more than we show."""
    parts = _decode(cursor) if cursor else None
    if parts:
        try:
            fit, when, pk = int(parts[0]), datetime.datetime.fromisoformat(parts[1]), int(parts[2])
        except ValueError:
            parts = None
        else:
            qs = qs.filter(
                Q(fit__lt=fit)
                | Q(fit=fit, starts_at__gt=when)
                | Q(fit=fit, starts_at=when, pk__gt=pk)
            )
    elif cursor:
        qs = qs.none()
    items = list(qs.prefetch_related("offer__focus")[: size + 1])
    more = len(items) > size
    items = items[:size]
    if not more or not items:
        return items, None
    last = items[-1]
    return items, _encode([str(last.fit), last.starts_at.isoformat(), str(last.pk)])


def search_offers(user: Any, params: Mapping[str, Any], *, now: datetime.datetime | None = None):
    """Offers (not sessions) for the API list: the catalogue's filters, plus `status` for
    those who manage drafts. By default only published offers with an upcoming session;
    `upcoming=false` lists them all. Annotated with the next session's id and start."""
    now = now or timezone.now()
    status = _text(params, "status")
    if status:
        qs = gate.offers(user).filter(status=status)
    else:
        qs = gate.offers(user, include_unpublished=False).filter(status=Offer.Status.PUBLISHED)
    qs = qs.filter(_offer_filters(params, ""))
    sessions = Session.objects.filter(_session_filters(params, now=now), offer_id=OuterRef("pk"))
    upcoming = _text(params, "upcoming").lower() not in ("0", "false", "no", "off")
    session_filtered = any(_text(params, k) for k in ("from", "to", "places"))
    if upcoming or session_filtered:
        qs = qs.filter(Exists(sessions))
    nxt = sessions.order_by("starts_at", "pk")
    return qs.annotate(
        next_session_id=Subquery(nxt.values("pk")[:1]),
        next_starts_at=Subquery(nxt.values("starts_at")[:1]),
    ).select_related("school", "network", "provider")


def offer_sessions(offer: Offer, *, include_past: bool = False) -> QuerySet[Session]:
    """An offer's sessions with their dates and facilitators, soonest first."""
    qs = offer.sessions.prefetch_related("dates", "facilitators").order_by("starts_at", "pk")
    if not include_past:
        qs = qs.filter(Q(ends_at__gte=timezone.now()) | Q(ends_at__isnull=True))
    return qs


def proposals(user: Any, school: School) -> QuerySet[Offer]:
    """A school's teacher proposals still gathering interest, with interest counts and
    whether this person is interested."""
    from django.db.models import Count

    from offers.models import Interest

    mine = Interest.objects.filter(offer_id=OuterRef("pk"), user_id=gate.access(user).user_id)
    return (
        gate.offers(user)
        .filter(school=school, status=Offer.Status.PROPOSED)
        .annotate(interested=Count("interests", distinct=True), is_interested=Exists(mine))
        .select_related("proposed_by")
        .order_by("-interested", "-created_at", "pk")
    )


def priorities(school: School) -> QuerySet[FocusTag]:
    return FocusTag.objects.filter(school=school, kind=FocusTag.Kind.PRIORITY).order_by("code")


def academic_year_of(day: datetime.date) -> int:
    """The calendar year the academic year containing `day` starts in."""
    from django.conf import settings

    month, dom = settings.ACADEMIC_YEAR_START
    return day.year if (day.month, day.day) >= (month, dom) else day.year - 1


def school_offer(school: School, *, year: int) -> QuerySet[Session]:
    """The school's own sessions in an academic year, for the CPD lead's uptake view."""
    from offers.booklet import year_span

    start, end = year_span(year)
    return (
        Session.objects.filter(offer__school=school, starts_at__gte=start, starts_at__lt=end)
        .exclude(offer__status__in=[Offer.Status.DECLINED, Offer.Status.PROPOSED])
        .select_related("offer")
        .order_by("starts_at", "pk")
    )
