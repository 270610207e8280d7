"""Who belongs where: accounts, networks, schools, staff memberships, teams and API tokens.

Everything a permission decision needs lives here so that `tenancy.gate` can decide it
without importing any feature app.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

FULL_TIME_DIRECTED_HOURS = Decimal("1265")

urn_validator = RegexValidator(r"^\d{6}$", "A URN is exactly six digits.")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractBaseUser, PermissionsMixin):
    """One account per person, signed in by email. School roles live on StaffMember."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)
    # An external facilitator or provider has an account without a school.
    provider_name = models.CharField(max_length=150, blank=True)
    # Bumped by "sign out everywhere"; sessions carrying an older value are ended.
    session_epoch = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_provider(self) -> bool:
        return bool(self.provider_name)


class Network(models.Model):
    class Kind(models.TextChoices):
        TRUST = "trust", "Multi-academy trust"
        HUB = "hub", "Teaching school hub"
        LA_CLUSTER = "la_cluster", "Local-authority cluster"
        SUBJECT_ASSOCIATION = "subject_association", "Subject association"
        ENQUIRY = "enquiry", "Enquiry network"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.TRUST)
    description = models.TextField(blank=True)
    source_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    class Phase(models.TextChoices):
        NURSERY = "nursery", "Nursery"
        PRIMARY = "primary", "Primary"
        MIDDLE = "middle", "Middle"
        SECONDARY = "secondary", "Secondary"
        ALL_THROUGH = "all_through", "All-through"
        SPECIAL = "special", "Special"
        ALTERNATIVE = "alternative", "Alternative provision"
        POST_16 = "post_16", "Post-16"

    class Approver(models.TextChoices):
        CPD_LEAD = "cpd_lead", "The CPD lead"
        MIDDLE_LEADER = "middle_leader", "The teacher's middle leader"

    urn = models.CharField("URN", max_length=6, unique=True, validators=[urn_validator])
    name = models.CharField(max_length=200)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PRIMARY)
    school_type = models.CharField("type", max_length=100, blank=True)
    local_authority = models.CharField(max_length=100, blank=True)
    region = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    pupils = models.PositiveIntegerField("number of pupils", null=True, blank=True)
    # Who approves external courses with a cost (issue 4).
    approver = models.CharField(max_length=20, choices=Approver.choices, default=Approver.CPD_LEAD)
    source_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembership(models.Model):
    """A school's membership of a network, with the dates it joined and left."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="network_memberships")
    joined_on = models.DateField(default=datetime.date.today)
    left_on = models.DateField(null=True, blank=True)
    # What the school chose to share with the network's leads (aggregates only).
    shares_data = models.BooleanField(default=True)

    class Meta:
        ordering = ["network__name", "school__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "school"],
                condition=Q(left_on__isnull=True),
                name="one_current_membership_per_network",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.network}"

    @property
    def is_current(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()


class NetworkRole(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Network lead"
        MEMBER = "member", "Member"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_role_per_network")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.network}"


class Subject(models.Model):
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A department, phase or year-group team inside one school; its leaders are middle leaders."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", "Department"
        PHASE = "phase", "Phase"
        YEAR_GROUP = "year_group", "Year group"
        OTHER = "other", "Other team"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    archived_at = models.DateTimeField(null=True, blank=True)
    source_id = models.CharField(max_length=120, null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "name"],
                condition=Q(archived_at__isnull=True),
                name="team_names_unique_in_school",
            )
        ]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    """A person's job in one school: roles, career stage, FTE and directed-time allowance."""

    class CareerStage(models.TextChoices):
        TRAINEE = "trainee", "Trainee teacher"
        ECT = "ect", "Early-career teacher"
        EARLY = "early", "Early career (years 3–5)"
        EXPERIENCED = "experienced", "Experienced teacher"
        MIDDLE_LEADER = "middle_leader", "Middle leader"
        SENIOR_LEADER = "senior_leader", "Senior leader"
        HEADTEACHER = "headteacher", "Headteacher"
        SUPPORT = "support", "Support staff"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_records"
    )
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff")
    job_title = models.CharField(max_length=120, blank=True)
    is_teacher = models.BooleanField(default=True)
    ect_year = models.PositiveSmallIntegerField(
        "early-career year",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(2)],
    )
    mentor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="mentees"
    )
    is_mentor = models.BooleanField(default=False)
    is_cpd_lead = models.BooleanField("CPD lead", default=False)
    is_facilitator = models.BooleanField(default=False)
    is_school_admin = models.BooleanField("school administrator", default=False)
    is_senior_leader = models.BooleanField(default=False)
    career_stage = models.CharField(
        max_length=20, choices=CareerStage.choices, default=CareerStage.EXPERIENCED
    )
    subjects = models.ManyToManyField(Subject, blank=True, related_name="staff")
    phase = models.CharField(max_length=20, choices=School.Phase.choices, blank=True)
    fte = models.DecimalField(
        "FTE",
        max_digits=4,
        decimal_places=3,
        default=Decimal("1.000"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.000"))],
    )
    # Blank means the statutory 1,265 hours pro rata to FTE.
    directed_hours = models.DecimalField(
        "directed-time allowance (hours)", max_digits=6, decimal_places=1, null=True, blank=True
    )
    teams = models.ManyToManyField(Team, through="TeamMembership", related_name="members")
    archived_at = models.DateTimeField(null=True, blank=True)
    source_id = models.CharField(max_length=120, null=True, blank=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_staff_record_per_school"),
            models.UniqueConstraint(
                fields=["school", "source_id"],
                condition=Q(source_id__isnull=False),
                name="staff_source_id_unique_in_school",
            ),
            models.CheckConstraint(
                condition=Q(ect_year__isnull=True) | Q(ect_year__in=[1, 2]),
                name="ect_year_is_1_or_2",
            ),
        ]
        indexes = [models.Index(fields=["school", "archived_at"])]

    def __str__(self) -> str:
        return f"{self.user} at {self.school}"

    @property
    def is_ect(self) -> bool:
        return self.ect_year is not None

    @property
    def allowance_hours(self) -> Decimal:
        """This year's directed-time allowance: the override, or 1,265 h pro rata to FTE."""
        if self.directed_hours is not None:
            return self.directed_hours
        return (FULL_TIME_DIRECTED_HOURS * self.fte).quantize(Decimal("0.1"))

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def role_names(self) -> list[str]:
        names = []
        if self.is_school_admin:
            names.append("School administrator")
        if self.is_cpd_lead:
            names.append("CPD lead")
        if self.is_senior_leader:
            names.append("Senior leader")
        if any(tm.is_leader for tm in self.team_memberships.all()):
            names.append("Middle leader")
        if self.is_mentor:
            names.append("Mentor")
        if self.is_facilitator:
            names.append("Facilitator")
        if self.ect_year:
            names.append(f"Early-career teacher (year {self.ect_year})")
        elif self.is_teacher:
            names.append("Teacher")
        return names


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="team_memberships"
    )
    is_leader = models.BooleanField("middle leader", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "staff"], name="one_membership_per_team")
        ]

    def __str__(self) -> str:
        return f"{self.staff.user} in {self.team}"


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once, when made."""

    PREFIX = "sr_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(max_length=100, default="Personal token")
    key_hash = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "Personal token") -> tuple[ApiToken, str]:
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name or "Personal token", key_hash=cls.hash(raw), hint=raw[:8]
        )
        return token, raw
