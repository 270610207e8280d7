"""A certificate of attendance, as a PDF made from an HTML template by WeasyPrint."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from booking.models import Attendance, Booking
from tenancy.errors import DomainError

ATTENDED = (Attendance.Mark.PRESENT, Attendance.Mark.LATE)


def attended_dates(booking: Booking) -> list:
    marks = booking.attendance.filter(mark__in=ATTENDED).select_related("session_date")
    return sorted((a.session_date for a in marks), key=lambda d: d.starts_at)


def certificate_context(booking: Booking) -> dict:
    dates = attended_dates(booking)
    if not dates:
        raise DomainError("A certificate is given once you have attended.", status=409)
    all_dates = list(booking.session.dates.all())
    total = sum((d.ends_at - d.starts_at).total_seconds() for d in all_dates) or 1
    done = sum((d.ends_at - d.starts_at).total_seconds() for d in dates)
    hours = (booking.hours * Decimal(done) / Decimal(total)).quantize(Decimal("0.1"))
    offer = booking.session.offer
    facilitators = list(booking.session.facilitators.all()) or list(offer.facilitators.all())
    return {
        "booking": booking,
        "person": booking.user,
        "offer": offer,
        "session": booking.session,
        "dates": dates,
        "hours": hours,
        "facilitators": facilitators,
        "issued": timezone.localdate(),
        "site_url": settings.SITE_URL,
    }


def certificate_pdf(booking: Booking) -> bytes:
    """PDF bytes; 409 if the person has not attended any date."""
    from weasyprint import HTML

    html = render_to_string("booking/certificate.html", certificate_context(booking))
    return HTML(string=html, base_url=settings.SITE_URL).write_pdf()
