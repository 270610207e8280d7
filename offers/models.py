"""What is on offer: offers (catalogue items) and their bookable sessions, each with dates."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tenancy.models import Network, School, Subject


class FocusTag(models.Model):
    """A focus an offer serves: a Teachers' Standard, an EEF mechanism or a school priority."""

    class Kind(models.TextChoices):
        TEACHERS_STANDARD = "standard", "Teachers' Standard"
        EEF_MECHANISM = "mechanism", "EEF mechanism"
        PRIORITY = "priority", "School priority"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    # EEF purpose (build knowledge, motivate, develop techniques, embed practice).
    group = models.CharField(max_length=60, blank=True)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="priorities"
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"], condition=Q(school__isnull=True), name="shared_tag_code"
            ),
            models.UniqueConstraint(
                fields=["school", "code"], condition=Q(school__isnull=False), name="priority_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.kind != self.Kind.PRIORITY else self.name


class Offer(models.Model):
    """A catalogue item. Its owner (a school, a network or a provider) decides who sees it."""

    class Kind(models.TextChoices):
        ONE_OFF = "one_off", "One-off session"
        PROGRAMME = "programme", "Sustained programme"
        EXTERNAL = "external", "External course"
        NETWORK_EVENT = "network_event", "Network event"
        TEACHER_PROPOSED = "proposed", "Teacher-proposed session"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed (gathering interest)"
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        DECLINED = "declined", "Not taken forward"
        ARCHIVED = "archived", "Archived"

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        ONLINE = "online", "Online"
        HYBRID = "hybrid", "Hybrid"

    class Payer(models.TextChoices):
        FREE = "free", "Free"
        SCHOOL = "school", "The school"
        NETWORK = "network", "The network"
        TEACHER = "teacher", "The teacher"

    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ONE_OFF)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="offers"
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="provided_offers",
    )
    # Strands: which level of need the offer serves (it may serve several).
    for_whole_school = models.BooleanField("whole school", default=True)
    for_teams = models.BooleanField("team", default=False)
    for_individuals = models.BooleanField("individual", default=False)
    focus = models.ManyToManyField(FocusTag, blank=True, related_name="offers")
    # Audience: comma-wrapped codes (",ect,early,") so one LIKE works on both databases.
    career_stages = models.CharField(max_length=200, blank=True)
    phases = models.CharField(max_length=200, blank=True)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="offers")
    mode = models.CharField(max_length=20, choices=Mode.choices, default=Mode.IN_PERSON)
    location = models.CharField(max_length=200, blank=True)
    meeting_link = models.URLField(blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_offers"
    )
    counts_as_directed_time = models.BooleanField(default=True)
    # Blank: the hours of the session's dates count.
    directed_hours = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    evidence = models.TextField("evidence it draws on", blank=True)
    # External courses.
    provider_name = models.CharField(max_length=200, blank=True)
    cost = models.DecimalField(
        max_digits=8, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    paid_by = models.CharField(max_length=20, choices=Payer.choices, default=Payer.FREE)
    needs_approval = models.BooleanField(default=False)
    # Programmes: the shape of sustained work.
    programme_structure = models.TextField(
        blank=True, help_text="Units, gap tasks, the assignment or project, the final presentation."
    )
    terms = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_offers",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(school__isnull=False, network__isnull=True, provider__isnull=True)
                    | Q(school__isnull=True, network__isnull=False, provider__isnull=True)
                    | Q(school__isnull=True, network__isnull=True, provider__isnull=False)
                ),
                name="offer_has_exactly_one_owner",
            )
        ]
        indexes = [
            models.Index(fields=["school", "status"]),
            models.Index(fields=["network", "status"]),
        ]
        # PostgreSQL also has a GIN full-text index (see migration offers 0002).

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        if self.school_id:
            return self.school.name
        if self.network_id:
            return self.network.name
        return self.provider.provider_name or str(self.provider)

    @property
    def strand_labels(self) -> list[str]:
        labels = []
        if self.for_whole_school:
            labels.append("Whole school")
        if self.for_teams:
            labels.append("Team")
        if self.for_individuals:
            labels.append("Individual")
        return labels

    @property
    def primary_strand(self) -> str:
        """The strand a booking's hours count under in directed-time reports."""
        if self.for_whole_school:
            return "whole_school"
        if self.for_teams:
            return "team"
        return "individual"

    @staticmethod
    def codes(values) -> str:
        values = [v for v in values if v]
        return f",{','.join(values)}," if values else ""

    @staticmethod
    def uncodes(value: str) -> list[str]:
        return [v for v in (value or "").split(",") if v]


def new_check_in_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class Session(models.Model):
    """One bookable run of an offer. A programme's session carries all its dates."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="sessions")
    label = models.CharField(max_length=120, blank=True, help_text="e.g. 'Tuesday group'")
    capacity = models.PositiveIntegerField(default=20, validators=[MinValueValidator(1)])
    location = models.CharField(max_length=200, blank=True)
    meeting_link = models.URLField(blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_sessions"
    )
    booking_opens_at = models.DateTimeField(null=True, blank=True)
    booking_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    # Denormalised from the dates, for sorting and date filters.
    starts_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    # Kept by the booking service under the session's row lock.
    confirmed_count = models.PositiveIntegerField(default=0)
    waiting_count = models.PositiveIntegerField(default=0)
    # Last waiting-list number given; positions run 1..N in arrival order.
    last_position = models.PositiveIntegerField(default=0)
    check_in_code = models.CharField(max_length=8, default=new_check_in_code)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["offer", "starts_at"])]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%a %-d %b %Y") if self.starts_at else ""
        return f"{self.offer.title}{' — ' + self.label if self.label else ''} {when}".strip()

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.confirmed_count)

    @property
    def hours(self) -> Decimal:
        """Directed hours a booking of this session counts: the offer's figure or the dates'."""
        if self.offer.directed_hours is not None:
            return self.offer.directed_hours
        total = datetime.timedelta()
        for d in self.dates.all():
            total += d.ends_at - d.starts_at
        return (Decimal(total.total_seconds()) / Decimal(3600)).quantize(Decimal("0.01"))

    def refresh_span(self) -> None:
        dates = list(self.dates.order_by("starts_at"))
        self.starts_at = dates[0].starts_at if dates else None
        self.ends_at = max(d.ends_at for d in dates) if dates else None


class SessionDate(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="dates")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    title = models.CharField(max_length=200, blank=True, help_text="e.g. 'Unit 2: questioning'")

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="date_ends_after_it_starts"
            )
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return f"{self.session} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def hours(self) -> Decimal:
        return (Decimal((self.ends_at - self.starts_at).total_seconds()) / Decimal(3600)).quantize(
            Decimal("0.01")
        )


class Interest(models.Model):
    """A colleague's interest in a teacher-proposed session: the demand that feeds the offer."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="interests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "user"], name="one_interest_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} is interested in {self.offer}"
