"""The professional learning booklet: a school's offer for a term or a year, grouped by
strand, as a printable page and a PDF (WeasyPrint, from the same HTML template).

Terms. The academic year starts on `settings.ACADEMIC_YEAR_START` (default 1 September).
Term boundaries are month-day pairs in `settings.ACADEMIC_TERM_STARTS`, default
autumn 1 Sep, spring 1 Jan, summer 1 Apr: a term runs from its start to the day before the
next term's start (summer to the day before the next academic year). Easter moves every year
(22 March–25 April), so a fixed 1 April puts a late-March Easter week in spring and an
April one in summer; schools that want their own dates set the setting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone

from offers.models import Offer, Session, SessionDate
from tenancy.models import NetworkMembership, School

DEFAULT_TERM_STARTS = (("autumn", (9, 1)), ("spring", (1, 1)), ("summer", (4, 1)))
TERM_LABELS = {"autumn": "Autumn term", "spring": "Spring term", "summer": "Summer term"}
STRAND_ORDER = [
    ("whole_school", "for_whole_school", "Whole-school development"),
    ("team", "for_teams", "Team and department development"),
    ("individual", "for_individuals", "Individual development"),
]


def term_starts() -> tuple[tuple[str, tuple[int, int]], ...]:
    return tuple(getattr(settings, "ACADEMIC_TERM_STARTS", DEFAULT_TERM_STARTS))


def _date_in_year(year: int, month_day: tuple[int, int]) -> datetime.date:
    """The date of a month-day inside the academic year starting in `year`."""
    start_month, start_day = settings.ACADEMIC_YEAR_START
    month, day = month_day
    calendar_year = year if (month, day) >= (start_month, start_day) else year + 1
    return datetime.date(calendar_year, month, day)


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def year_span(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of the academic year starting in `year`, as aware local midnights."""
    month, day = settings.ACADEMIC_YEAR_START
    return _aware(datetime.date(year, month, day)), _aware(datetime.date(year + 1, month, day))


def term_span(year: int, term: str) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of one term of the academic year starting in `year`."""
    starts = term_starts()
    names = [name for name, _ in starts]
    if term not in names:
        raise ValueError(f"Unknown term {term!r}")
    i = names.index(term)
    start = _date_in_year(year, starts[i][1])
    if i + 1 < len(starts):
        end = _date_in_year(year, starts[i + 1][1])
    else:
        end = year_span(year)[1].date()
    return _aware(start), _aware(end)


def current_year(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    month, day = settings.ACADEMIC_YEAR_START
    return today.year if (today.month, today.day) >= (month, day) else today.year - 1


@dataclass
class Strand:
    code: str
    label: str
    offers: list[Offer] = field(default_factory=list)


@dataclass
class Booklet:
    school: School
    year: int
    term: str
    starts: datetime.datetime
    ends: datetime.datetime
    strands: list[Strand]

    @property
    def title(self) -> str:
        period = TERM_LABELS.get(self.term, "") if self.term else "Academic year"
        return f"{period} {self.year}/{str(self.year + 1)[-2:]}".strip()

    @property
    def is_empty(self) -> bool:
        return not any(s.offers for s in self.strands)


def build(school: School, *, year: int, term: str = "") -> Booklet:
    """The school's own published offers and its networks' events with a session in the
    period, each under every strand it serves. Four queries whatever the size."""
    starts, ends = term_span(year, term) if term else year_span(year)
    networks = NetworkMembership.objects.filter(school=school, left_on__isnull=True).values(
        "network_id"
    )
    in_period = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__lt=ends, ends_at__gte=starts
    )
    offers = list(
        Offer.objects.filter(
            Q(school=school) | Q(network_id__in=networks),
            status=Offer.Status.PUBLISHED,
            id__in=in_period.values("offer_id"),
        )
        .select_related("school", "network")
        .prefetch_related(
            "focus",
            Prefetch(
                "sessions",
                queryset=in_period.order_by("starts_at").prefetch_related(
                    Prefetch("dates", queryset=SessionDate.objects.order_by("starts_at"))
                ),
                to_attr="period_sessions",
            ),
        )
        .order_by("title", "pk")
    )
    strands = []
    for code, attr, label in STRAND_ORDER:
        strands.append(Strand(code, label, [o for o in offers if getattr(o, attr)]))
    leftovers = [o for o in offers if not (o.for_whole_school or o.for_teams or o.for_individuals)]
    if leftovers:
        strands.append(Strand("other", "Other professional learning", leftovers))
    return Booklet(school=school, year=year, term=term, starts=starts, ends=ends, strands=strands)


def render_pdf(booklet: Booklet, *, base_url: str) -> bytes:
    """The booklet as a PDF, from the same template as the printable page."""
    from weasyprint import CSS, HTML

    html = render_to_string("offers/booklet_pdf.html", {"booklet": booklet})
    stylesheet = finders.find("offers/booklet.css")
    styles = [CSS(filename=stylesheet)] if stylesheet else []
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=styles)


def periods(year: int) -> list[dict[str, Any]]:
    """The choices for the booklet page's period picker."""
    return [{"term": "", "label": "Whole year"}] + [
        {"term": name, "label": TERM_LABELS.get(name, name.title())} for name, _ in term_starts()
    ]
