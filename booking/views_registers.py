"""Registers, self check-in, evaluations, certificates and directed-time pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from booking import directed_time, evaluations, queries, registers
from booking.certificate import certificate_pdf
from booking.forms import MARKS, CheckInForm, EvaluationForm
from booking.models import Booking
from offers.models import SessionDate
from tenancy import gate
from tenancy.errors import DomainError


def _run_session(request, pk: int):
    """A session the person may see (else 404) and runs (else 403)."""
    session = queries.visible_session(request.user, pk)
    if not gate.runs_session(request.user, session):
        raise PermissionDenied("Only the session's facilitators and managers can do that.")
    return session


@login_required
def register(request, pk: int):
    session = _run_session(request, pk)
    reg = registers.register_for(session)
    now = timezone.now()
    current = next(
        (d for d in reg.dates if d.starts_at - registers.opens_before() <= now <= d.ends_at), None
    )
    return render(
        request,
        "booking/register.html",
        {
            "session": session,
            "register": reg,
            "current": current,
            "dates": [(d, reg.counts(d.pk)) for d in reg.dates],
        },
    )


@login_required
def register_date(request, pk: int, date_pk: int):
    """Take the register for one date: a mobile-friendly list with three marks each."""
    session = _run_session(request, pk)
    session_date = gate.get_visible(SessionDate.objects.filter(session=session), pk=date_pk)
    if request.method == "POST":
        marks = {}
        for key, value in request.POST.items():
            if key.startswith("mark-") and value:
                try:
                    marks[int(key[5:])] = value
                except ValueError:
                    continue
        try:
            registers.take_register(request.user, session, session_date, marks)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, f"Register saved: {len(marks)} marked.")
            return redirect("booking:register", session.pk)
    reg = registers.register_for(session)
    lines = [(line, line.mark_on(session_date.pk)) for line in reg.lines]
    return render(
        request,
        "booking/register_date.html",
        {"session": session, "session_date": session_date, "lines": lines, "marks": MARKS},
    )


def _check_in_url(request, session) -> str:
    return request.build_absolute_uri(
        reverse("booking:check_in", args=[session.pk]) + f"?code={session.check_in_code}"
    )


@login_required
def room_display(request, pk: int):
    """What the facilitator puts on the screen: the code and a QR to the check-in page."""
    session = _run_session(request, pk)
    return render(
        request,
        "booking/room_display.html",
        {
            "session": session,
            "url": _check_in_url(request, session),
            "current": registers.current_date(session),
        },
    )


@login_required
def qr(request, pk: int):
    session = _run_session(request, pk)
    response = HttpResponse(
        registers.qr_svg(_check_in_url(request, session)), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def check_in_list(request):
    """Sessions the person is booked on whose check-in is open now."""
    now = timezone.now()
    open_now = (
        Booking.objects.filter(
            user=request.user,
            status=Booking.Status.CONFIRMED,
            session__dates__starts_at__lte=now + registers.opens_before(),
            session__dates__ends_at__gte=now,
        )
        .select_related("session__offer")
        .distinct()
    )
    return render(
        request, "booking/check_in_list.html", {"bookings": open_now, "form": CheckInForm()}
    )


@login_required
def check_in(request, pk: int):
    """The QR link lands here with the code filled in; one tap signs the person in."""
    session = queries.visible_session(request.user, pk)
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            att = registers.check_in(request.user, session, form.cleaned_data["code"])
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            form.add_error("code" if exc.field == "code" else None, exc.message)
        else:
            messages.success(
                request, f"You are signed in ({att.get_mark_display().lower()}). Welcome!"
            )
            return redirect("booking:my_bookings")
    return render(request, "booking/check_in.html", {"session": session, "form": form})


@login_required
def evaluate(request, pk: int):
    booking = gate.get_visible(
        Booking.objects.filter(user=request.user).select_related("session__offer"), pk=pk
    )
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.submit_evaluation(request.user, booking, **form.cleaned_data)
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Thank you: your evaluation is saved.")
            return redirect("booking:my_bookings")
    done = hasattr(booking, "evaluation")
    return render(
        request, "booking/evaluate.html", {"booking": booking, "form": form, "done": done}
    )


@login_required
def evaluation_summary(request, pk: int):
    session = _run_session(request, pk)
    data = evaluations.summary(session)
    chart = {
        "type": "bar",
        "labels": [str(d["value"]) for d in data["distribution"]],
        "datasets": [{"label": "Responses", "data": [d["count"] for d in data["distribution"]]}],
        "x": "Was it worth the time? (1 = not at all, 5 = very much)",
        "y": "Responses",
    }
    return render(
        request, "booking/evaluation_summary.html", {"session": session, "s": data, "chart": chart}
    )


@login_required
def certificate(request, pk: int):
    booking = queries.visible_booking(request.user, pk)
    if booking.user_id != request.user.pk and not gate.runs_session(request.user, booking.session):
        raise PermissionDenied("Only the attendee can download their certificate.")
    try:
        pdf = certificate_pdf(booking)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("booking:my_bookings")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{booking.pk}.pdf"'
    return response


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return directed_time.academic_year()
    return year if 2000 <= year <= 2100 else directed_time.academic_year()


@login_required
def my_directed_time(request):
    year = _year(request)
    entries = directed_time.ledger(request.user, year)
    charts = [
        {
            "id": f"strand-chart-{n}",
            "type": "bar",
            "labels": [label for _, label in directed_time.STRANDS],
            "datasets": [
                {
                    "label": "Planned",
                    "data": [float(e.by_strand[k].planned) for k, _ in directed_time.STRANDS],
                },
                {
                    "label": "Attended",
                    "data": [float(e.by_strand[k].attended) for k, _ in directed_time.STRANDS],
                },
            ],
            "y": "Hours",
        }
        for n, e in enumerate(entries, start=1)
    ]
    schools = [
        s for s in gate.access(request.user).staff if directed_time.may_view_school(request.user, s)
    ]
    return render(
        request,
        "booking/directed_time.html",
        {
            "year": year,
            "label": directed_time.year_label(year),
            "entries": list(zip(entries, charts, strict=True)),
            "years": directed_time.years_with_bookings(request.user),
            "strands": directed_time.STRANDS,
            "led_schools": gate.schools(request.user).filter(pk__in=schools),
        },
    )


@login_required
def school_directed_time(request, pk: int):
    school = gate.school(request.user, pk)
    if not directed_time.may_view_school(request.user, school.pk):
        raise PermissionDenied("The school's directed time is for its leaders.")
    year = _year(request)
    data = directed_time.school_summary(school, year)
    rows = data["teams"]
    chart = {
        "type": "bar",
        "stacked": True,
        "labels": [r.label for r in rows],
        "datasets": [
            {"label": label, "data": [float(r.by_strand[k].planned) for r in rows]}
            for k, label in directed_time.STRANDS
        ],
        "y": "Planned hours",
    }
    return render(
        request,
        "booking/school_directed_time.html",
        {
            "school": school,
            "data": data,
            "chart": chart,
            "strands": directed_time.STRANDS,
            "year": year,
        },
    )
