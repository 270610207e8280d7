"""Booking pages: book, my bookings, offered places, approvals, invitations, calendar feeds
and notifications. Views read input, fetch through the gate, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from booking import calendar, queries, services
from booking.directed_time import directed_time_warning
from booking.forms import InviteForm
from booking.models import Booking, CalendarFeed, Invitation, Notification
from tenancy import gate
from tenancy.errors import DomainError
from tenancy.models import User


def _refused(request, exc: DomainError, to: str):
    """A 403 from a service is a forbidden page; anything else a message on the next page."""
    if exc.status == 403:
        raise PermissionDenied(exc.message)
    messages.error(request, exc.message)
    return redirect(to)


def booked_message(booking: Booking) -> str:
    title = booking.session.offer.title
    if booking.status == Booking.Status.CONFIRMED:
        return f"Your place on {title} is confirmed."
    if booking.status == Booking.Status.WAITLISTED:
        return (
            f"{title} is full: you are on the waiting list at position {booking.waitlist_position}."
        )
    if booking.status == Booking.Status.PENDING_APPROVAL:
        return f"Your request for {title} is awaiting approval."
    if booking.status == Booking.Status.OFFERED:
        return f"A place on {title} is offered to you: accept it below."
    return f"Booking for {title}: {booking.get_status_display()}."


@login_required
def book(request, pk: int):
    """POST books the session; when the booking would go past the person's directed-time
    allowance, a confirmation step comes first (GET shows it too)."""
    session = queries.session_for_booking(request.user, pk)
    warning = directed_time_warning(request.user, session)
    if request.method != "POST" or (warning and not request.POST.get("confirm")):
        return render(
            request, "booking/book_confirm.html", {"session": session, "warning": warning}
        )
    try:
        booking = services.book_session(request.user, session)
    except DomainError as exc:
        return _refused(request, exc, "booking:my_bookings")
    messages.success(request, booked_message(booking))
    return redirect("booking:my_bookings")


@login_required
def my_bookings(request):
    upcoming, past = queries.my_bookings(request.user)
    return render(
        request,
        "booking/my_bookings.html",
        {"upcoming": upcoming, "past": past, "now": timezone.now()},
    )


def _own_booking(request, pk: int) -> Booking:
    return queries.visible_booking(request.user, pk)


@login_required
@require_POST
def cancel(request, pk: int):
    booking = _own_booking(request, pk)
    try:
        services.cancel_booking(request.user, booking)
    except DomainError as exc:
        return _refused(request, exc, "booking:my_bookings")
    messages.success(request, f"Your booking for {booking.session.offer.title} is cancelled.")
    return redirect(request.POST.get("next") or "booking:my_bookings")


@login_required
@require_POST
def accept(request, pk: int):
    booking = _own_booking(request, pk)
    try:
        services.accept_offered_place(request.user, booking)
    except DomainError as exc:
        return _refused(request, exc, "booking:my_bookings")
    messages.success(request, f"Your place on {booking.session.offer.title} is confirmed.")
    return redirect("booking:my_bookings")


@login_required
@require_POST
def decline_place(request, pk: int):
    booking = _own_booking(request, pk)
    try:
        services.decline_offered_place(request.user, booking)
    except DomainError as exc:
        return _refused(request, exc, "booking:my_bookings")
    messages.success(request, "You turned the place down; it goes to the next person waiting.")
    return redirect("booking:my_bookings")


@login_required
def booking_ics(request, pk: int):
    booking = _own_booking(request, pk)
    response = HttpResponse(
        calendar.booking_ics(booking), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


# --- Approvals ------------------------------------------------------------------------------


@login_required
def approvals(request):
    return render(
        request, "booking/approvals.html", {"bookings": queries.approvals_for(request.user)}
    )


@login_required
@require_POST
def decide(request, pk: int, decision: str):
    booking = _own_booking(request, pk)
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            booking = services.approve_booking(request.user, booking, note=note)
            messages.success(
                request,
                f"Approved: {booking.user.get_full_name()} is "
                f"{booking.get_status_display().lower()}.",
            )
        else:
            services.decline_booking(request.user, booking, note=note)
            messages.success(
                request, f"Not approved: {booking.user.get_full_name()} has been told."
            )
    except DomainError as exc:
        return _refused(request, exc, "booking:approvals")
    return redirect("booking:approvals")


# --- Invitations ----------------------------------------------------------------------------


@login_required
def invitations(request):
    return render(
        request, "booking/invitations.html", {"invitations": queries.my_invitations(request.user)}
    )


@login_required
@require_POST
def answer(request, pk: int):
    invitation = gate.get_visible(Invitation.objects.filter(user_id=request.user.pk), pk=pk)
    accept_it = request.POST.get("answer") == "accept"
    try:
        booking = services.answer_invitation(
            request.user, invitation, accept=accept_it, note=request.POST.get("note", "")
        )
    except DomainError as exc:
        return _refused(request, exc, "booking:invitations")
    if booking:
        messages.success(request, booked_message(booking))
        return redirect("booking:my_bookings")
    messages.success(request, "You declined the invitation.")
    return redirect("booking:invitations")


def _directable_people(user, session):
    """Colleagues the person may invite or direct, among those the session is open to."""
    staff = gate.directable_staff(user)
    offer = session.offer
    if offer.school_id:
        staff = staff.filter(school_id=offer.school_id)
    elif offer.network_id:
        staff = staff.filter(
            school__network_memberships__network_id=offer.network_id,
            school__network_memberships__left_on__isnull=True,
        )
    people = User.objects.filter(staff_records__in=staff, is_active=True).exclude(pk=user.pk)
    return people.distinct().order_by("full_name", "email")


@login_required
def invite(request, pk: int):
    """Leaders invite or direct colleagues to a session."""
    session = queries.visible_session(request.user, pk)
    people = _directable_people(request.user, session)
    if not people.exists():
        raise PermissionDenied("Only leaders invite colleagues to sessions.")
    form = InviteForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        try:
            if form.cleaned_data["kind"] == "directed":
                booking = services.direct_to_session(
                    request.user, session, person, message=form.cleaned_data["message"]
                )
                messages.success(
                    request,
                    f"{person.get_full_name()} is booked: {booking.get_status_display().lower()}.",
                )
            else:
                services.invite_to_session(
                    request.user, session, person, message=form.cleaned_data["message"]
                )
                messages.success(request, f"{person.get_full_name()} is invited.")
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            form.add_error(None, exc.message)
        else:
            return redirect(reverse("booking:invite", args=[session.pk]))
    sent = Invitation.objects.filter(session=session).select_related("user").order_by("-created_at")
    if not gate.runs_session(request.user, session):
        sent = sent.filter(invited_by=request.user)
    return render(
        request, "booking/invite.html", {"session": session, "form": form, "sent": sent[:100]}
    )


# --- Calendar feeds -------------------------------------------------------------------------


@login_required
def calendar_feeds(request):
    new_url = None
    if request.method == "POST":
        _feed, raw = CalendarFeed.issue(request.user)
        new_url = request.build_absolute_uri(reverse("booking:feed", args=[raw]))
    feeds = CalendarFeed.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "booking/calendar_feeds.html", {"feeds": feeds, "new_url": new_url})


@login_required
@require_POST
def revoke_feed(request, pk: int):
    feed = gate.get_visible(CalendarFeed.objects.filter(user=request.user), pk=pk)
    if feed.revoked_at is None:
        CalendarFeed.objects.filter(pk=feed.pk).update(revoked_at=timezone.now())
    messages.success(request, "That calendar link no longer works.")
    return redirect("booking:calendar_feeds")


def feed(request, token: str):
    """The private feed: no sign-in, the token is the secret (only its hash is stored)."""
    owner = calendar.feed_owner(token)
    if owner is None:
        raise Http404("Not found.")
    response = HttpResponse(calendar.feed_ics(owner), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- Notifications --------------------------------------------------------------------------


@login_required
def notifications(request):
    notes = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")[:100]
    return render(request, "booking/notifications.html", {"notes": notes})


@login_required
@require_POST
def mark_read(request, pk: int):
    note = gate.get_visible(Notification.objects.filter(user=request.user), pk=pk)
    Notification.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    if request.POST.get("go") and note.url.startswith("/"):
        return redirect(note.url)
    return redirect("booking:notifications")


@login_required
@require_POST
def mark_all_read(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("booking:notifications")
