"""People pages: directory, profile, staff and team administration, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from people import queries, services
from people.forms import ProfileForm, StaffForm, TeamForm, TokenForm
from tenancy import gate
from tenancy import services as tenancy_services
from tenancy.errors import DomainError
from tenancy.models import School, StaffMember, Subject, Team


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def directory(request):
    allowed = gate.directory_school_ids(request.user)
    if allowed is not None and not allowed:
        # Not a leader anywhere: the directory is a leaders' tool.
        raise gate.PermissionDenied("The staff directory is for school leaders.")
    schools = gate.schools(request.user)
    if allowed is not None:
        schools = schools.filter(id__in=allowed)
    params = request.GET.dict()
    if not params.get("school") and allowed and len(allowed) == 1:
        params["school"] = str(next(iter(allowed)))
    qs = queries.directory(request.user, params).order_by("user__full_name", "pk")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    school_id = params.get("school")
    teams = (
        Team.objects.filter(school_id=school_id, archived_at__isnull=True)
        if (school_id and school_id.isdigit())
        else Team.objects.none()
    )
    context = {
        "page": page,
        "params": params,
        "schools": schools.order_by("name")[:200],
        "teams": teams,
        "roles": queries.ROLE_LABELS,
        "stages": StaffMember.CareerStage.choices,
        "subjects": Subject.objects.order_by("name")[:200],
    }
    if request.headers.get("HX-Request"):
        return render(request, "people/directory.html#results", context)
    return render(request, "people/directory.html", context)


@login_required
def staff_detail(request, pk: int):
    staff = gate.staff_member(request.user, pk, include_archived=True)
    return render(
        request,
        "people/staff_detail.html",
        {
            "staff": staff,
            "can_edit": gate.can(request.user, "staff.edit", staff),
            "teams": staff.team_memberships.select_related("team"),
        },
    )


def _staff_form_values(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("email", None)
    return data


@login_required
def staff_add(request, school_pk: int):
    school = gate.school(request.user, school_pk)
    gate.require(request.user, "school.manage_staff", school)
    form = StaffForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        data = _staff_form_values(form)
        try:
            staff = services.add_staff(
                request.user,
                school,
                email=form.cleaned_data["email"],
                teams=list(data.pop("teams")),
                led_teams=list(data.pop("led_teams")),
                **data,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"{staff.user.get_full_name()} was added to the staff.")
            return redirect("people:staff_detail", staff.pk)
    return render(
        request,
        "people/staff_form.html",
        {"form": form, "school": school, "title": f"Add staff to {school.name}"},
    )


@login_required
def staff_edit(request, pk: int):
    staff = gate.staff_member(request.user, pk, include_archived=True)
    gate.require(request.user, "staff.edit", staff)
    memberships = list(staff.team_memberships.all())
    initial = {
        "email": staff.user.email,
        "full_name": staff.user.full_name,
        "subjects": ", ".join(s.name for s in staff.subjects.all()),
        "teams": [tm.team_id for tm in memberships],
        "led_teams": [tm.team_id for tm in memberships if tm.is_leader],
        "mentor": staff.mentor_id,
        **{k: getattr(staff, k) for k in services.STAFF_FIELDS if k != "mentor_id"},
    }
    form = StaffForm(request.POST or None, initial=initial, school=staff.school, editing=staff)
    if request.method == "POST" and form.is_valid():
        data = _staff_form_values(form)
        try:
            services.update_staff(
                request.user,
                staff,
                teams=list(data.pop("teams")),
                led_teams=list(data.pop("led_teams")),
                **data,
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("people:staff_detail", staff.pk)
    return render(
        request,
        "people/staff_form.html",
        {
            "form": form,
            "school": staff.school,
            "staff": staff,
            "title": f"Edit {staff.user.get_full_name()}",
        },
    )


@login_required
@require_POST
def staff_archive(request, pk: int):
    staff = gate.staff_member(request.user, pk, include_archived=True)
    gate.require(request.user, "staff.edit", staff)
    try:
        if request.POST.get("restore"):
            services.restore_staff(request.user, staff)
            messages.success(request, f"{staff.user.get_full_name()} was restored.")
        else:
            services.archive_staff(request.user, staff)
            messages.success(request, f"{staff.user.get_full_name()} was archived.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("people:staff_detail", staff.pk)


@login_required
def team_list(request, school_pk: int):
    school = gate.school(request.user, school_pk)
    gate.require(request.user, "school.manage_staff", school)
    form = TeamForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_team(
                request.user,
                school,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                leaders=list(form.cleaned_data["leaders"]),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"The team {form.cleaned_data['name']} was created.")
            return redirect("people:team_list", school.pk)
    teams = (
        school.teams.filter(archived_at__isnull=True)
        .prefetch_related("memberships__staff__user")
        .order_by("name")
    )
    return render(
        request, "people/team_list.html", {"school": school, "teams": teams, "form": form}
    )


@login_required
def team_edit(request, pk: int):
    team = gate.team(request.user, pk)
    gate.require(request.user, "team.edit", team)
    leaders = [tm.staff_id for tm in team.memberships.filter(is_leader=True)]
    form = TeamForm(
        request.POST or None,
        school=team.school,
        initial={"name": team.name, "kind": team.kind, "leaders": leaders},
    )
    if request.method == "POST":
        if request.POST.get("archive"):
            services.archive_team(request.user, team)
            messages.success(request, f"The team {team.name} was archived.")
            return redirect("people:team_list", team.school_id)
        if form.is_valid():
            try:
                services.update_team(
                    request.user,
                    team,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    leaders=list(form.cleaned_data["leaders"]),
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect("people:team_list", team.school_id)
    return render(request, "people/team_form.html", {"form": form, "team": team})


@login_required
def profile(request):
    user = request.user
    records = list(
        StaffMember.objects.filter(user=user, archived_at__isnull=True)
        .select_related("school", "mentor__user")
        .prefetch_related("subjects", "team_memberships__team")
    )
    form = ProfileForm(request.POST or None, initial={"full_name": user.full_name})
    if request.method == "POST" and form.is_valid():
        per_school = {}
        for rec in records:
            prefix = f"r{rec.pk}-"
            per_school[rec.pk] = {
                "phase": request.POST.get(prefix + "phase", rec.phase),
                "career_stage": request.POST.get(prefix + "career_stage", rec.career_stage),
                "subjects": [
                    s.strip()
                    for s in request.POST.get(prefix + "subjects", "").split(",")
                    if s.strip()
                ],
            }
            if per_school[rec.pk]["phase"] not in [""] + School.Phase.values:
                per_school[rec.pk]["phase"] = rec.phase
        try:
            services.update_profile(
                user, full_name=form.cleaned_data["full_name"], records=per_school
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect("people:profile")
    return render(
        request,
        "people/profile.html",
        {
            "form": form,
            "records": records,
            "phases": School.Phase.choices,
            "stages": StaffMember.CareerStage.choices,
        },
    )


@login_required
@require_POST
def sign_out_everywhere(request):
    tenancy_services.sign_out_everywhere(request.user)
    logout(request)
    messages.success(request, "You have been signed out on every device.")
    return redirect("login")


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.create_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "people/tokens.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.tokens.order_by("revoked_at", "-created_at"),
        },
    )


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = gate.get_visible(request.user.tokens.all(), pk=pk)
    services.revoke_token(request.user, token)
    messages.success(request, f"The token “{token.name}” was revoked.")
    return redirect("people:tokens")
