"""Forms for building the offer. They only shape input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from offers.models import FocusTag, Offer
from offers.services import facilitator_candidates
from tenancy.models import School, StaffMember, Subject

BUILD_KINDS = [c for c in Offer.Kind.choices if c[0] != Offer.Kind.TEACHER_PROPOSED]
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class _FocusField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: FocusTag) -> str:
        return str(obj)


class OfferForm(forms.Form):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=300, required=False, help_text="One line for the catalogue."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(choices=BUILD_KINDS)
    for_whole_school = forms.BooleanField(
        label="Strand: whole school", required=False, initial=True
    )
    for_teams = forms.BooleanField(label="Strand: team", required=False)
    for_individuals = forms.BooleanField(label="Strand: individual", required=False)
    focus = _FocusField(
        queryset=FocusTag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Focus (Teachers' Standards, EEF mechanisms, school priorities)",
    )
    career_stages = forms.MultipleChoiceField(
        choices=StaffMember.CareerStage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="For career stages (none ticked: everyone)",
    )
    phases = forms.MultipleChoiceField(
        choices=School.Phase.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="For phases (none ticked: every phase)",
    )
    subjects = forms.ModelMultipleChoiceField(
        queryset=Subject.objects.order_by("name"), required=False, label="For subjects"
    )
    mode = forms.ChoiceField(choices=Offer.Mode.choices)
    location = forms.CharField(max_length=200, required=False, label="Place")
    meeting_link = forms.URLField(
        required=False, label="Online meeting link", assume_scheme="https"
    )
    facilitators = forms.ModelMultipleChoiceField(queryset=None, required=False)
    counts_as_directed_time = forms.BooleanField(required=False, initial=True)
    directed_hours = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=5,
        decimal_places=1,
        label="Directed-time hours",
        help_text="Leave blank to count the hours of the session's dates.",
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Evidence it draws on"
    )
    provider_name = forms.CharField(max_length=200, required=False, label="External provider")
    cost = forms.DecimalField(required=False, min_value=0, max_digits=8, decimal_places=2)
    paid_by = forms.ChoiceField(choices=Offer.Payer.choices, initial=Offer.Payer.FREE)
    needs_approval = forms.BooleanField(
        required=False, help_text="Bookings wait for approval (default when it has a cost)."
    )
    programme_structure = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Units, gap tasks, the assignment or project, the final presentation.",
    )
    terms = forms.IntegerField(required=False, min_value=1, max_value=12, label="Runs for (terms)")
    publish = forms.BooleanField(required=False, initial=True, label="Publish in the catalogue now")

    def __init__(self, *args: Any, offer: Offer, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.fields["focus"].queryset = FocusTag.objects.filter(
            Q(school__isnull=True) | Q(school_id=offer.school_id or 0)
        ).order_by("kind", "code")
        self.fields["facilitators"].queryset = (
            facilitator_candidates(offer).distinct().order_by("full_name", "email")
        )
        if editing:
            del self.fields["publish"]
        if offer.network_id is None:
            self.fields["kind"].choices = [
                c for c in BUILD_KINDS if c[0] != Offer.Kind.NETWORK_EVENT
            ]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("publish", None)
        if data.get("cost") is None:
            data["cost"] = 0
        if not data.get("needs_approval") and not self.offer.cost:
            # Unticked on a course that was free: let the service apply the default
            # (a cost means approval) rather than read the empty box as "no approval".
            data.pop("needs_approval")
        data["focus"] = list(data["focus"])
        data["subjects"] = list(data["subjects"])
        data["facilitators"] = list(data["facilitators"])
        return data


def offer_initial(offer: Offer) -> dict[str, Any]:
    initial = {
        name: getattr(offer, name)
        for name in OfferForm.base_fields
        if hasattr(offer, name) and name not in ("focus", "subjects", "facilitators")
    }
    initial["career_stages"] = Offer.uncodes(offer.career_stages)
    initial["phases"] = Offer.uncodes(offer.phases)
    initial["focus"] = list(offer.focus.values_list("pk", flat=True))
    initial["subjects"] = list(offer.subjects.values_list("pk", flat=True))
    initial["facilitators"] = list(offer.facilitators.values_list("pk", flat=True))
    return initial


class SessionForm(forms.Form):
    label = forms.CharField(max_length=120, required=False, help_text="e.g. 'Tuesday group'")
    capacity = forms.IntegerField(min_value=1, max_value=10_000, initial=20, label="Places")
    location = forms.CharField(max_length=200, required=False, label="Place")
    meeting_link = forms.URLField(
        required=False, label="Online meeting link", assume_scheme="https"
    )
    booking_opens_at = forms.DateTimeField(required=False, widget=DATETIME)
    booking_closes_at = forms.DateTimeField(required=False, widget=DATETIME)
    facilitators = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args: Any, offer: Offer, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = (
            facilitator_candidates(offer).distinct().order_by("full_name", "email")
        )


class DateForm(forms.Form):
    starts_at = forms.DateTimeField(widget=DATETIME, label="Starts")
    ends_at = forms.DateTimeField(widget=DATETIME, label="Ends")
    title = forms.CharField(max_length=200, required=False, label="What happens on this date")


DateFormSet = forms.formset_factory(
    DateForm, extra=2, min_num=1, validate_min=True, max_num=60, can_delete=True
)


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200, label="What would you lead?")
    summary = forms.CharField(max_length=300, required=False, label="In one line")
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="What colleagues would gain"
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Evidence it draws on"
    )


class PriorityForm(forms.Form):
    name = forms.CharField(max_length=200, label="Priority")
    code = forms.CharField(max_length=20, required=False, help_text="Optional short code, e.g. P1.")
