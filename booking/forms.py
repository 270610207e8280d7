from __future__ import annotations

from django import forms

from booking.models import Attendance


class EvaluationForm(forms.Form):
    worth_time = forms.TypedChoiceField(
        label="Was it worth your time?",
        choices=[(5, "5 — very much"), (4, "4"), (3, "3"), (2, "2"), (1, "1 — not at all")],
        coerce=int,
        widget=forms.RadioSelect,
    )
    learned = forms.CharField(label="What did you learn?", widget=forms.Textarea(attrs={"rows": 3}))
    will_try = forms.CharField(
        label="What will you try in class?", widget=forms.Textarea(attrs={"rows": 3})
    )
    try_by = forms.DateField(
        label="When will you try it?",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CheckInForm(forms.Form):
    code = forms.CharField(label="Code shown in the room", max_length=12)


class InviteForm(forms.Form):
    person = forms.ModelChoiceField(queryset=None, label="Colleague")
    kind = forms.ChoiceField(
        choices=[("invited", "Invite (they decide)"), ("directed", "Direct (book them now)")],
        widget=forms.RadioSelect,
        initial="invited",
    )
    message = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda u: f"{u.get_full_name()} ({u.email})"


MARKS = Attendance.Mark.choices
