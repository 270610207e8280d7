from django import forms

from tenancy.models import School, StaffMember, Team


class StaffForm(forms.Form):
    """Add or edit a member of staff. Roles are ticked; a middle leader is a team's leader."""

    email = forms.EmailField(label="Email address")
    full_name = forms.CharField(label="Full name", max_length=150)
    job_title = forms.CharField(max_length=120, required=False)
    is_teacher = forms.BooleanField(label="Teacher", required=False, initial=True)
    ect_year = forms.TypedChoiceField(
        label="Early-career teacher",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "Not an early-career teacher"),
            (1, "Year 1 of induction"),
            (2, "Year 2 of induction"),
        ],
    )
    mentor = forms.ModelChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        label="Mentor (for an early-career teacher)",
    )
    is_mentor = forms.BooleanField(label="Mentor", required=False)
    is_cpd_lead = forms.BooleanField(label="CPD lead", required=False)
    is_facilitator = forms.BooleanField(label="Facilitator", required=False)
    is_senior_leader = forms.BooleanField(label="Senior leader", required=False)
    is_school_admin = forms.BooleanField(label="School administrator", required=False)
    career_stage = forms.ChoiceField(
        choices=StaffMember.CareerStage.choices, initial=StaffMember.CareerStage.EXPERIENCED
    )
    phase = forms.ChoiceField(choices=[("", "—")] + School.Phase.choices, required=False)
    subjects = forms.CharField(required=False, help_text="Separate subjects with commas.")
    fte = forms.DecimalField(label="FTE", min_value=0.01, max_value=1, decimal_places=3, initial=1)
    directed_hours = forms.DecimalField(
        label="Directed-time allowance (hours)",
        required=False,
        min_value=0,
        max_value=2000,
        decimal_places=1,
        help_text="Leave blank for 1,265 hours pro rata to FTE.",
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    led_teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Leads (middle leader of)",
    )

    def __init__(self, *args, school: School, editing: StaffMember | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        teams = Team.objects.filter(school=school, archived_at__isnull=True).order_by("name")
        self.fields["teams"].queryset = teams
        self.fields["led_teams"].queryset = teams
        mentors = (
            StaffMember.objects.filter(school=school, archived_at__isnull=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        if editing:
            mentors = mentors.exclude(pk=editing.pk)
            self.fields["email"].disabled = True
        self.fields["mentor"].queryset = mentors
        self.fields["mentor"].label_from_instance = lambda s: s.user.get_full_name()

    def clean_subjects(self):
        return [s.strip() for s in self.cleaned_data["subjects"].split(",") if s.strip()]


class TeamForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=Team.Kind.choices)
    leaders = forms.ModelMultipleChoiceField(
        queryset=StaffMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Middle leaders",
    )

    def __init__(self, *args, school: School, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = (
            StaffMember.objects.filter(school=school, archived_at__isnull=True)
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["leaders"].label_from_instance = lambda s: s.user.get_full_name()


class ProfileForm(forms.Form):
    full_name = forms.CharField(max_length=150)


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        initial="Personal token",
        help_text="A name to remember what the token is for.",
    )
