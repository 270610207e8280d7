"""Bookings and the waiting list, invitations, registers, evaluations, notifications and
calendar feeds. Seat counts live on offers.Session and change only under its row lock."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from offers.models import Session, SessionDate
from tenancy.models import School


class Booking(models.Model):
    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", "Waiting for approval"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Place offered"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Not approved"
        EXPIRED = "expired", "Offer expired"

    ACTIVE = (
        Status.PENDING_APPROVAL,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.OFFERED,
    )
    # Statuses that hold a seat (an offered place is kept until its deadline).
    HOLDS_SEAT = (Status.CONFIRMED, Status.OFFERED)

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookings"
    )
    # The school whose directed time the hours count against (none for providers).
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    offered_until = models.DateTimeField(null=True, blank=True)
    # Hours at booking time, so later edits to the offer do not rewrite history.
    hours = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    strand = models.CharField(max_length=20, default="whole_school")
    counts_as_directed_time = models.BooleanField(default=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["pending_approval", "confirmed", "waitlisted", "offered"]),
                name="one_active_booking_per_person_per_session",
            ),
            models.UniqueConstraint(
                fields=["session", "waitlist_position"],
                condition=Q(waitlist_position__isnull=False),
                name="waitlist_positions_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["session", "status"]),
            models.Index(fields=["school", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Invitation(models.Model):
    """A leader invites or directs a teacher to a session (guided participation)."""

    class Kind(models.TextChoices):
        INVITED = "invited", "Invited"
        DIRECTED = "directed", "Directed"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INVITED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(max_length=500, blank=True)
    answer_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.user} to {self.session}"


class Attendance(models.Model):
    """One line of a register: a booked person on one date of a session."""

    class Mark(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        ABSENT = "absent", "Absent"

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="attendance")
    session_date = models.ForeignKey(
        SessionDate, on_delete=models.CASCADE, related_name="attendance"
    )
    mark = models.CharField(max_length=10, choices=Mark.choices)
    self_checked_in = models.BooleanField(default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["booking", "session_date"], name="one_mark_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.booking.user} {self.mark} on {self.session_date}"

    @property
    def attended(self) -> bool:
        return self.mark in (self.Mark.PRESENT, self.Mark.LATE)


class Evaluation(models.Model):
    """The short evaluation an attendee gives after the last date (Guskey levels 1-2)."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="evaluation")
    worth_time = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="1 = not at all, 5 = very much",
    )
    learned = models.TextField()
    will_try = models.TextField()
    try_by = models.DateField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Evaluation of {self.booking}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", "Booking confirmed"
        WAITLISTED = "waitlisted", "On the waiting list"
        PLACE_OFFERED = "place_offered", "A place is offered"
        APPROVAL_NEEDED = "approval_needed", "Approval needed"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Not approved"
        REMINDER = "reminder", "Reminder"
        CHANGED = "changed", "Session changed"
        CANCELLED = "cancelled", "Cancelled"
        INVITED = "invited", "Invitation"
        EVALUATION = "evaluation", "Evaluation"
        OTHER = "other", "Other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Makes "send the reminder for this date" a no-op the second time.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A private, revocable iCalendar feed URL for one person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed for {self.user}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user) -> tuple[CalendarFeed, str]:
        raw = secrets.token_urlsafe(24)
        return cls.objects.create(user=user, key_hash=cls.hash(raw)), raw
