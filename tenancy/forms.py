from django import forms

from tenancy.models import Network, School


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = [
            "name",
            "phase",
            "school_type",
            "local_authority",
            "region",
            "postcode",
            "pupils",
            "approver",
        ]
        labels = {"approver": "Who approves external courses with a cost"}


class NewSchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = [
            "urn",
            "name",
            "phase",
            "school_type",
            "local_authority",
            "region",
            "postcode",
            "pupils",
        ]


class NetworkForm(forms.ModelForm):
    class Meta:
        model = Network
        fields = ["name", "kind", "description"]


class AddSchoolForm(forms.Form):
    urn = forms.RegexField(
        regex=r"^\d{6}$",
        label="School URN",
        error_messages={"invalid": "A URN is exactly six digits."},
    )
    joined_on = forms.DateField(
        required=False, label="Joined on", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_urn(self):
        urn = self.cleaned_data["urn"]
        try:
            self.school = School.objects.get(urn=urn)
        except School.DoesNotExist as exc:
            raise forms.ValidationError("No school with that URN is registered here.") from exc
        return urn
