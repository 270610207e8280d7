"""The directed-time ledger: hours planned and attended per person per academic year,
against their allowance (1,265 h pro rata to FTE, or the school's override), by strand.

A booking's hours are spread over its dates in proportion to their length, so a programme
that runs from July into September counts in both academic years, and an offer that sets
its own directed hours (say 1 h for a 90-minute twilight) counts that figure. Planned hours
are confirmed bookings that count as directed time; attended hours are the share of the
dates marked present or late.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Prefetch, Q
from django.utils import timezone

from booking.models import Attendance, Booking
from offers.models import Session, SessionDate
from tenancy import gate
from tenancy.models import School, StaffMember, TeamMembership

STRANDS = [("whole_school", "Whole school"), ("team", "Team"), ("individual", "Individual")]
ATTENDED = (Attendance.Mark.PRESENT, Attendance.Mark.LATE)
ZERO = Decimal("0")


def _start() -> tuple[int, int]:
    month, day = getattr(settings, "ACADEMIC_YEAR_START", (9, 1))
    return int(month), int(day)


def academic_year(moment: datetime.datetime | datetime.date | None = None) -> int:
    """The calendar year in which the academic year containing `moment` starts
    (2025 for 2025/26). Dates and times are read in the site's time zone."""
    moment = moment or timezone.now()
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    month, day = _start()
    return moment.year if (moment.month, moment.day) >= (month, day) else moment.year - 1


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of academic year `year` as aware datetimes (local midnight)."""
    month, day = _start()
    tz = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime(year, month, day, tzinfo=tz),
        datetime.datetime(year + 1, month, day, tzinfo=tz),
    )


def year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


@dataclass
class Hours:
    planned: Decimal = ZERO
    attended: Decimal = ZERO


@dataclass
class Ledger:
    """One person's directed time in one school for one academic year."""

    school: School | None
    allowance: Decimal
    planned: Decimal = ZERO
    attended: Decimal = ZERO
    by_strand: dict[str, Hours] = field(default_factory=lambda: {k: Hours() for k, _ in STRANDS})

    @property
    def remaining(self) -> Decimal:
        return self.allowance - self.planned

    @property
    def percent_planned(self) -> int:
        return int(100 * self.planned / self.allowance) if self.allowance else 0


def _shares(booking: Booking, start: datetime.datetime, end: datetime.datetime) -> Hours:
    """The part of one booking's hours that falls in [start, end): planned and attended.
    Needs `session.dates` and `attendance` prefetched."""
    dates = list(booking.session.dates.all())
    total = sum((d.ends_at - d.starts_at).total_seconds() for d in dates)
    if not total:
        return Hours()
    marks = {a.session_date_id for a in booking.attendance.all() if a.mark in ATTENDED}
    out = Hours()
    for d in dates:
        if not (start <= d.starts_at < end):
            continue
        share = booking.hours * Decimal((d.ends_at - d.starts_at).total_seconds()) / Decimal(total)
        if booking.status == Booking.Status.CONFIRMED:
            out.planned += share
        if d.pk in marks:
            out.attended += share
    return out


def _bookings(filters: Q, start: datetime.datetime, end: datetime.datetime):
    """Bookings counting as directed time that are confirmed or were attended, with a date
    in the year; dates and marks prefetched (three queries)."""
    in_year = SessionDate.objects.filter(starts_at__gte=start, starts_at__lt=end)
    return (
        Booking.objects.filter(filters, counts_as_directed_time=True)
        .filter(Q(status=Booking.Status.CONFIRMED) | Q(attendance__mark__in=ATTENDED))
        .filter(session__in=Session.objects.filter(dates__in=in_year).values("pk"))
        .distinct()
        .prefetch_related(
            Prefetch("session__dates", queryset=SessionDate.objects.order_by("starts_at")),
            "attendance",
        )
        .select_related("session")
    )


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def ledger(person: Any, year: int | None = None) -> list[Ledger]:
    """The person's directed time for academic year `year` (default: this one), one entry
    per school they work in (and one for bookings with no school)."""
    year = academic_year() if year is None else year
    start, end = year_bounds(year)
    records = {
        s.school_id: s
        for s in StaffMember.objects.filter(
            user_id=person.pk, archived_at__isnull=True
        ).select_related("school")
    }
    out: dict[int | None, Ledger] = {
        sid: Ledger(school=rec.school, allowance=rec.allowance_hours)
        for sid, rec in records.items()
    }
    for b in _bookings(Q(user_id=person.pk), start, end):
        hours = _shares(b, start, end)
        if b.school_id not in out:
            out[b.school_id] = Ledger(school=b.school if b.school_id else None, allowance=ZERO)
        entry = out[b.school_id]
        entry.planned += hours.planned
        entry.attended += hours.attended
        strand = entry.by_strand.setdefault(b.strand, Hours())
        strand.planned += hours.planned
        strand.attended += hours.attended
    for entry in out.values():
        entry.planned, entry.attended = _q2(entry.planned), _q2(entry.attended)
        for h in entry.by_strand.values():
            h.planned, h.attended = _q2(h.planned), _q2(h.attended)
    return sorted(out.values(), key=lambda e: e.school.name if e.school else "~")


_CONFIRMED_HOURS = f"""
    SELECT SUM(hours) FROM {Booking._meta.db_table}
    WHERE user_id = %s AND school_id = %s AND status = %s AND counts_as_directed_time = %s
"""  # noqa: S608 (the table name from the model; every value is a parameter)


def confirmed_hours(person_id: int, school_id: int) -> Decimal:
    """Every confirmed directed hour the person ever booked at the school, in any year.
    Plain SQL: it runs on every booking, and the ORM's aggregate costs more to build than
    to run."""
    with connection.cursor() as cursor:
        cursor.execute(_CONFIRMED_HOURS, [person_id, school_id, Booking.Status.CONFIRMED, True])
        total = cursor.fetchone()[0]
    return Decimal(str(total)) if total is not None else ZERO


def directed_time_warning(person: Any, session: Session) -> str | None:
    """A message when booking `session` would take the person past their directed-time
    allowance for the session's academic year; None when it would not (or it does not
    count as directed time)."""
    offer = session.offer
    if not offer.counts_as_directed_time or session.starts_at is None:
        return None
    from booking.services import school_for

    school_id = school_for(person, offer)
    record = gate.access(person).staff.get(school_id) if school_id else None
    if record is None:
        return None
    adding = session.hours
    allowance = record.allowance_hours
    # Fast path (one query): every confirmed hour ever booked at this school still fits.
    upper = confirmed_hours(person.pk, school_id)
    if upper + adding <= allowance:
        return None
    year = academic_year(session.starts_at)
    current = next((e for e in ledger(person, year) if e.school and e.school.pk == school_id), None)
    planned = current.planned if current else ZERO
    if planned + adding <= allowance:
        return None
    over = _q2(planned + adding - allowance)
    return (
        f"This booking adds {_q2(adding)} hours of directed time, taking you to "
        f"{_q2(planned + adding)} of your {allowance} hours for {year_label(year)} "
        f"({over} hours over)."
    )


def may_view_school(user: Any, school_id: int) -> bool:
    """CPD leads, school administrators and senior leaders see the school's directed time."""
    from tenancy.models import School

    return gate.can(user, "school.view_directed_time", School(pk=school_id))


@dataclass
class Row:
    label: str
    people: int = 0
    allowance: Decimal = ZERO
    planned: Decimal = ZERO
    attended: Decimal = ZERO
    by_strand: dict[str, Hours] = field(default_factory=lambda: {k: Hours() for k, _ in STRANDS})


def school_summary(school: School, year: int | None = None) -> dict:
    """The school's directed time for a year: by team (a person in two teams counts in
    both) and by strand, with allowances. A handful of queries whatever the school's size."""
    year = academic_year() if year is None else year
    start, end = year_bounds(year)
    staff = list(StaffMember.objects.filter(school=school, archived_at__isnull=True))
    allowance = {s.user_id: s.allowance_hours for s in staff}
    per_person: dict[int, Row] = defaultdict(lambda: Row(""))
    for b in _bookings(Q(school=school), start, end):
        hours = _shares(b, start, end)
        row = per_person[b.user_id]
        row.planned += hours.planned
        row.attended += hours.attended
        strand = row.by_strand.setdefault(b.strand, Hours())
        strand.planned += hours.planned
        strand.attended += hours.attended
    teams: dict[int, Row] = {}
    in_a_team: set[int] = set()
    for team_id, team_name, user_id in TeamMembership.objects.filter(
        team__school=school, team__archived_at__isnull=True, staff__archived_at__isnull=True
    ).values_list("team_id", "team__name", "staff__user_id"):
        row = teams.setdefault(team_id, Row(team_name))
        _add(row, per_person.get(user_id), allowance.get(user_id, ZERO))
        in_a_team.add(user_id)
    no_team = Row("Not in a team")
    whole = Row("Whole school")
    for user_id, hours in allowance.items():
        _add(whole, per_person.get(user_id), hours)
        if user_id not in in_a_team:
            _add(no_team, per_person.get(user_id), hours)
    rows = sorted(teams.values(), key=lambda r: r.label)
    if no_team.people:
        rows.append(no_team)
    for row in [*rows, whole]:
        row.planned, row.attended = _q2(row.planned), _q2(row.attended)
        for h in row.by_strand.values():
            h.planned, h.attended = _q2(h.planned), _q2(h.attended)
    return {"year": year, "label": year_label(year), "teams": rows, "whole": whole}


def _add(row: Row, person: Row | None, allowance: Decimal) -> None:
    row.people += 1
    row.allowance += allowance
    if person is None:
        return
    row.planned += person.planned
    row.attended += person.attended
    for key, h in person.by_strand.items():
        target = row.by_strand.setdefault(key, Hours())
        target.planned += h.planned
        target.attended += h.attended


def years_with_bookings(person: Any) -> Iterable[int]:
    """Academic years to offer in the year picker: this one and those with bookings."""
    years = {academic_year()}
    first = (
        SessionDate.objects.filter(session__bookings__user_id=person.pk)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    if first:
        years.update(range(academic_year(first), academic_year() + 1))
    return sorted(years, reverse=True)
