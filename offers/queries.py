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

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, StrIndex
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from offers.models import FocusTag, Offer, Session, SessionDate
from tenancy import gate
from tenancy.models import Network, School, StaffMember, Subject

PAGE_SIZE = 20
# The default order puts what fits the person first among sessions starting within this
# horizon, then everything by date.
FIT_HORIZON = datetime.timedelta(weeks=5)
# Offer filters that leave at most this many offers are applied to offers first.
FEW_OFFERS = 2000
# The default order ranks at most this many offers at once (see _scored).
RANKED_OFFERS = 200
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
# The same expression with the columns named by table, for a top-level offers query.
QUALIFIED_FULL_TEXT_SQL = (
    FULL_TEXT_SQL.replace("(title", '("offers_offer".title')
    .replace("(summary", '("offers_offer".summary')
    .replace("(description", '("offers_offer".description')
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


# The catalogue filter's reference lists (subjects, the national focus tags, network
# names) change a few times a year but were three queries on every page. They live in
# Django's cache (settings.CACHES: per process by default) for a short while, and saving
# or deleting one of those rows drops the entry, so a change shows at once on the server
# that made it and within CHOICES_TTL on the others. Nothing about a person is kept there:
# which networks someone may pick is still decided per request from gate.access.
CHOICES_KEY = "offers:catalogue-choices:1"
CHOICES_TTL = 60  # seconds


def filter_choices() -> dict[str, list[tuple[Any, str]]]:
    """The reference lists of the catalogue's filter form, the same for everyone:
    `subjects` (name, name), `focus` (kind, code, label) for the national tags, and
    `networks` (id, name) by name."""
    choices = cache.get(CHOICES_KEY)
    if choices is None:
        choices = {
            "subjects": [
                (name, name)
                for name in Subject.objects.order_by("name").values_list("name", flat=True)[:300]
            ],
            "focus": [
                (t.kind, t.code, str(t))
                for t in FocusTag.objects.filter(school__isnull=True).order_by("kind", "code")
            ],
            "networks": list(Network.objects.order_by("name", "pk").values_list("pk", "name")),
        }
        cache.set(CHOICES_KEY, choices, CHOICES_TTL)
    return choices


def forget_filter_choices(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver: a subject, a focus tag or a network changed."""
    cache.delete(CHOICES_KEY)
    if sender is FocusTag and instance.school_id:
        cache.delete(PRIORITIES_KEY.format(instance.school_id))


for _model in (Subject, FocusTag, Network):
    post_save.connect(
        forget_filter_choices, sender=_model, dispatch_uid=f"choices-{_model.__name__}"
    )
    post_delete.connect(
        forget_filter_choices, sender=_model, dispatch_uid=f"choices-del-{_model.__name__}"
    )

# A school's priorities, the same for all its staff, kept and dropped like the lists above.
PRIORITIES_KEY = "offers:school-priorities:1:{}"


def focus_choices(
    national: list[tuple[str, str, str]], school_ids: set[int]
) -> list[tuple[str, str]]:
    """(code, label) for the focus filter: the national tags and the priorities of the
    person's schools (cached per school; one small query for those missing), ordered by
    kind and code as one list."""
    tags = list(national)
    if school_ids:
        keys = {school_id: PRIORITIES_KEY.format(school_id) for school_id in sorted(school_ids)}
        found = cache.get_many(list(keys.values()))
        missing = [school_id for school_id, key in keys.items() if key not in found]
        if missing:
            loaded: dict[int, list[tuple[str, str, str]]] = {school_id: [] for school_id in missing}
            own = FocusTag.objects.filter(school_id__in=missing).order_by("kind", "code", "pk")
            for t in own.only("kind", "code", "name", "school_id"):
                loaded[t.school_id].append((t.kind, t.code, str(t)))
            cache.set_many(
                {keys[school_id]: rows for school_id, rows in loaded.items()}, CHOICES_TTL
            )
            found.update({keys[school_id]: rows for school_id, rows in loaded.items()})
        for key in keys.values():
            tags += found[key]
        tags.sort(key=lambda t: (t[0], t[1]))
    return [(code, label) for _kind, code, label in tags]


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
        # Always as a subquery on the bare offer table: the raw match names its columns
        # unqualified, which other joined tables (a network's description) would make
        # ambiguous.
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
    """What the catalogue knows of a person to put what suits them first. Subjects and
    school priorities are subqueries, evaluated inside the catalogue query itself."""

    stages: set[str]
    phases: set[str]
    staff_ids: list[int]
    school_ids: set[int]

    @property
    def empty(self) -> bool:
        return not (self.stages or self.phases or self.staff_ids)

    def subjects(self) -> QuerySet:
        return StaffMember.subjects.through.objects.filter(
            staffmember_id__in=self.staff_ids
        ).values("subject_id")

    def priorities(self) -> QuerySet:
        return FocusTag.objects.filter(
            school_id__in=sorted(self.school_ids), kind=FocusTag.Kind.PRIORITY
        ).values("pk")


def fit_for(user: Any) -> Fit:
    """Role (career stage), phase, subjects and school priorities, from the staff records
    already loaded by the gate: no query (see `_score` for what is read inside the
    catalogue's own)."""
    a = gate.access(user)
    records = list(a.staff.values())
    school_ids = set(a.staff)
    phases = {r.phase for r in records if r.phase}
    return Fit(
        stages={r.career_stage for r in records if r.career_stage},
        phases=phases,
        staff_ids=sorted(r.pk for r in records),
        school_ids=school_ids,
    )


def _score(fit: Fit, prefix: str = "offer__") -> Any:
    """How well an offer fits the person, computed in SQL: career stage 4, school priority
    3, subject 2, phase 2, their own school's offer 1. `prefix` "offer__" for a Session
    queryset, "" for an Offer one."""
    parts = []
    offer_id = "offer_id" if prefix else "pk"

    def add(condition: Any, points: int) -> None:
        parts.append(Case(When(condition, then=Value(points)), default=Value(0)))

    stage_q = Q()
    for stage in sorted(fit.stages):
        stage_q |= Q(**{f"{prefix}career_stages__contains": f",{stage},"})
    if fit.stages:
        add(stage_q, 4)
    # IN over an uncorrelated subquery: PostgreSQL hashes it once per query rather than
    # probing the through table once per row.
    if fit.school_ids:
        tagged = Offer.focus.through.objects.filter(focustag_id__in=fit.priorities())
        add(Q(**{f"{offer_id}__in": tagged.values("offer_id")}), 3)
    if fit.staff_ids:
        taught = Offer.subjects.through.objects.filter(subject_id__in=fit.subjects())
        add(Q(**{f"{offer_id}__in": taught.values("offer_id")}), 2)
    phase_q = Q()
    for phase in sorted(fit.phases):
        phase_q |= Q(**{f"{prefix}phases__contains": f",{phase},"})
    if fit.phases:
        add(phase_q, 2)
    elif fit.school_ids:
        # Staff records without a phase: their schools' phases, read inside the query.
        schools = (
            School.objects.filter(pk__in=sorted(fit.school_ids))
            .annotate(
                at=StrIndex(
                    OuterRef(f"{prefix}phases"),
                    Concat(Value(","), F("phase"), Value(","), output_field=CharField()),
                )
            )
            .filter(at__gt=0)
        )
        add(Exists(schools), 2)
    if fit.school_ids:
        add(Q(**{f"{prefix}school_id__in": sorted(fit.school_ids)}), 1)
    if not parts:
        return Value(0, output_field=IntegerField())
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _visible_sessions(user: Any) -> QuerySet[Session]:
    """Sessions of published offers the person may see: one join to the offer, with the
    gate's conditions on its columns (no subquery for the planner to work around)."""
    return Session.objects.filter(gate.published_offers_q(user, "offer__"))


def _of_offers(ids: list[int]) -> Q:
    """Sessions of the listed offers. On PostgreSQL the list travels as one array
    parameter: compiling a thousand-item IN costs Django more than running the query."""
    if connection.vendor != "postgresql":
        return Q(offer_id__in=ids)
    # The SQL is a constant; the ids are one bound parameter.
    listed = RawSQL('"offers_session"."offer_id" = ANY(%s)', [ids], output_field=BooleanField())  # noqa: S611
    return Q(listed)


def _by_offer_date() -> Any:
    """Sort key for sessions of a known, short list of offers: their start, written so
    that PostgreSQL cannot read it off the index on starts_at. Walking that index with
    the list as a filter passes every other session on the way (all of them, if the
    listed offers run late in the year); reading each offer's sessions through the
    (offer, starts_at) index and sorting those few costs a few probes per offer."""
    if connection.vendor != "postgresql":
        return F("starts_at")
    return ExpressionWrapper(
        F("starts_at") + Value(datetime.timedelta(0)), output_field=DateTimeField()
    )


def _offers_in_view(user: Any, params: Mapping[str, Any]) -> list[QuerySet[Offer]]:
    """Published offers the person may see that pass the offer filters: one queryset per
    scope of the gate (providers' courses; their schools' and networks' offers), read one
    by one, so that each part has its own index path (the providers' part an
    index-only scan of offers migration 0003's index). On PostgreSQL the text match is a
    plain condition on the offer table (its columns qualified, so joins cannot make them
    ambiguous), which the planner combines with those indexes (a BitmapAnd with the GIN
    index)."""
    q = _text(params, "q")
    extra: list[Any] = []
    if q and connection.vendor == "postgresql":
        params = {key: params.get(key) for key in FILTER_KEYS if key != "q"}
        extra.append(RawSQL(QUALIFIED_FULL_TEXT_SQL, [q], output_field=BooleanField()))  # noqa: S611
    conditions = _offer_filters(params, "")
    return [
        Offer.objects.filter(scope, conditions, *extra)
        for scope in gate.published_offer_scopes(user)
    ]


def _offer_filtered(params: Mapping[str, Any]) -> bool:
    return any(_text(params, k) for k in FILTER_KEYS if k not in ("from", "to", "places"))


def catalogue(user: Any, params: Mapping[str, Any], *, now: datetime.datetime | None = None):
    """Bookable sessions of published offers the person may see, filtered by `params`
    (q, strand, focus, subject, phase, career_stage, kind, mode, from, to, provider,
    network, school, places, order). With no filters, what fits the person comes first
    among sessions within FIT_HORIZON (order=fit), then by date; with filters, by date
    (order=date).

    Returns a queryset annotated with `fit` and `next_starts_at`, ordered for keyset pages
    (see `page_of`). When the offer filters leave few offers, they are found first (one
    small query) and their sessions read by offer: a walk through every visible session
    by date would pass thousands of other schools' sessions for each one shown."""
    now = now or timezone.now()
    sessions = _session_filters(params, now=now)
    offers = _offers_in_view(user, params)
    qs = None
    by_date: Any = "starts_at"
    if _offer_filtered(params):
        ids: list[int] = []
        for part in offers:  # one query per scope: see _scored on UNION
            ids += part.order_by().values_list("pk", flat=True)[: FEW_OFFERS + 1 - len(ids)]
            if len(ids) > FEW_OFFERS:
                break
        if len(ids) <= FEW_OFFERS:
            qs = Session.objects.filter(sessions, _of_offers(ids))
            by_date = _by_offer_date()
    if qs is None:
        qs = _visible_sessions(user).filter(sessions, _offer_filters(params, "offer__"))
    order = _text(params, "order")
    if order not in ("fit", "date"):
        order = "date" if has_filters(params) else "fit"
    band = None
    if order == "fit":
        # Only sessions within the horizon are scored (fit); beyond it, all have fit 0 and
        # follow by date. The score depends on the offer alone, so page_of ranks the
        # offers first and reads their sessions in that order.
        horizon = now + FIT_HORIZON
        fit = fit_for(user)
        band = FitBand(horizon, offers, _score(fit, ""), _score(fit))
        qs = qs.annotate(
            fit=Case(
                When(starts_at__lt=horizon, then=band.session_score),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    else:
        qs = qs.annotate(fit=Value(0, output_field=IntegerField()))
    next_date = (
        SessionDate.objects.filter(session_id=OuterRef("pk"), starts_at__gte=now)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    # No select_related: joined here, PostgreSQL joins the offer (and its school) to every
    # candidate session before it sorts and cuts the page; page_of loads the page's offers.
    qs = qs.annotate(next_starts_at=Subquery(next_date)).order_by("-fit", by_date, "pk")
    qs.fit_band = band  # read by page_of; lost (harmlessly: one slower query) on a filter
    return qs


def _encode(parts: list[str]) -> str:
    return base64.urlsafe_b64encode("~".join(parts).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[str] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = raw.split("~")
    return parts if len(parts) == 3 else None


def _after(
    qs: QuerySet[Session], key: str, fit: int, when: datetime.datetime, pk: int
) -> QuerySet[Session]:
    """Rows after (fit, when, pk) in the order (-key, starts_at, pk)."""
    return qs.filter(
        Q(**{f"{key}__lt": fit})
        | Q(**{key: fit, "starts_at__gt": when})
        | Q(**{key: fit, "starts_at": when, "pk__gt": pk})
    )


def _rows(qs: QuerySet[Session], n: int) -> list[Session]:
    return list(qs[:n]) if n > 0 else []


@dataclass
class FitBand:
    """How `catalogue()` scored the default order: sessions before `horizon` carry their
    offer's score; `offers` are the offers in view (the same conditions as the sessions')."""

    horizon: datetime.datetime
    offers: list[QuerySet[Offer]]
    offer_score: Any
    session_score: Any


def _scored(
    qs: QuerySet[Session],
    band: FitBand,
    after: tuple[int, datetime.datetime, int] | None,
    n: int,
) -> list[Session]:
    """Up to `n` sessions with fit > 0 in order: rank the offers in view by score (a query
    per scope over offers, none over sessions), then read the ranked offers' sessions in
    the horizon through the offer index, scored and sorted (a few hundred rows at most).
    Should the ranking be cut short, the levels from the cut down are read with the score
    computed for every session in view."""
    # Zero scores are dropped here rather than in SQL, where a filter on the score would
    # compute it (and its subqueries) a second time. One query per scope, merged here: as
    # a UNION, PostgreSQL plans a Parallel Append, whose worker start-up costs more than
    # the scans.
    parts = [part.annotate(score=band.offer_score) for part in band.offers]
    if after is not None:
        parts = [part.filter(score__lte=after[0]) for part in parts]
    top = sorted(
        (
            row
            for part in parts
            for row in part.order_by("-score").values_list("pk", "score")[: RANKED_OFFERS + 1]
        ),
        key=lambda row: -row[1],
    )[: RANKED_OFFERS + 1]
    cut = top[-1][1] if len(top) > RANKED_OFFERS and top[-1][1] > 0 else None
    ids = [pk for pk, score in top if score > 0 and score != cut]
    scored = qs.filter(starts_at__lt=band.horizon)
    rows: list[Session] = []
    if ids:
        # The ranked offers' scores are known: a session's fit is its offer's, read from
        # them rather than computed again (with its subqueries) in SQL.
        levels: dict[int, list[int]] = {}
        for pk, score in top:
            if pk in ids:
                levels.setdefault(score, []).append(pk)
        known = Case(
            *(When(_of_offers(pks), then=Value(score)) for score, pks in levels.items()),
            default=Value(0),
            output_field=IntegerField(),
        )
        ranked = scored.filter(_of_offers(ids)).annotate(fit=known)
        ranked = ranked.order_by("-fit", _by_offer_date(), "pk")
        rows = _rows(_after(ranked, "fit", *after) if after else ranked, n)
    if len(rows) < n and cut is not None:
        rest = scored.annotate(score=band.session_score).filter(score__gt=0, score__lte=cut)
        rest = rest.order_by("-score", "starts_at", "pk")
        if after is not None and after[0] <= cut:
            rest = _after(rest, "score", *after)
        rows += _rows(rest, n - len(rows))
    return rows


def _attach_focus_labels(offers: list[Offer]) -> None:
    """Set `focus_labels` on each offer: its focus tags as the catalogue shows them (the
    code; a school priority's name after it), in the tags' order. One query of plain
    values: the page needs the labels, not tag objects."""
    labels: dict[int, list[str]] = {offer.pk: [] for offer in offers}
    if labels:
        tags = (
            Offer.focus.through.objects.filter(offer_id__in=list(labels))
            .order_by("focustag__kind", "focustag__code", "focustag_id")
            .values_list("offer_id", "focustag__kind", "focustag__code", "focustag__name")
        )
        for offer_id, kind, code, name in tags:
            labels[offer_id].append(f"{code} {name}" if kind == FocusTag.Kind.PRIORITY else code)
    for offer in offers:
        offer.focus_labels = labels[offer.pk]


def page_of(
    qs: QuerySet[Session], cursor: str | None, *, size: int = PAGE_SIZE
) -> tuple[list[Session], str | None]:
    """One keyset page of `catalogue()` after `cursor`, and the cursor of the next page
    (None on the last). No COUNT: we fetch one row more than we show.

    In the default order the page is read in two bands, neither of which sorts every
    visible session by a computed score: first the sessions within the horizon whose offer
    scores above 0, by score (see _scored); then the rest (fit 0) by date, along the index
    on starts_at."""
    parts = _decode(cursor) if cursor else None
    after: tuple[int, datetime.datetime, int] | None = None
    if parts:
        try:
            after = (int(parts[0]), datetime.datetime.fromisoformat(parts[1]), int(parts[2]))
        except ValueError:
            parts = None
    if cursor and not parts:
        return [], None
    band = getattr(qs, "fit_band", None)
    if band is None:
        items = _rows(_after(qs, "fit", *after) if after else qs, size + 1)
    else:
        items = []
        if after is None or after[0] > 0:
            items = _scored(qs, band, after, size + 1)
        if len(items) <= size:
            rest = qs.filter(fit=0).order_by("starts_at", "pk")
            if after is not None and after[0] == 0:
                rest = _after(rest, "fit", *after)
            items += _rows(rest, size + 1 - len(items))
    more = len(items) > size
    items = items[:size]
    # Once for the page, whichever bands its rows came from: the offers with their owners
    # (school, network or provider) in one query, then their focus tags. Joined into the
    # queries above, PostgreSQL may join them for every candidate row before it sorts.
    prefetch_related_objects(
        items,
        Prefetch("offer", queryset=Offer.objects.select_related("school", "network", "provider")),
    )
    _attach_focus_labels([s.offer for s in items])
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
