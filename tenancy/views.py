"""School and network pages. Thin: find through the gate, call a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tenancy import gate, services
from tenancy.errors import DomainError
from tenancy.forms import AddSchoolForm, NetworkForm, NewSchoolForm, SchoolForm
from tenancy.models import NetworkMembership, School


@login_required
def school_list(request):
    qs = gate.schools(request.user).order_by("name")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(urn=q) | Q(postcode__istartswith=q))
    phase = request.GET.get("phase", "")
    if phase in School.Phase.values:
        qs = qs.filter(phase=phase)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tenancy/school_list.html",
        {
            "page": page,
            "q": q,
            "phase": phase,
            "phases": School.Phase.choices,
            "can_create": gate.can(request.user, "site.manage"),
        },
    )


@login_required
def school_create(request):
    gate.require(request.user, "site.manage")
    form = NewSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            school = services.create_school(request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"{school.name} was added.")
            return redirect("tenancy:school_detail", school.pk)
    return render(request, "tenancy/school_form.html", {"form": form, "title": "Add a school"})


@login_required
def school_detail(request, pk: int):
    school = gate.school(request.user, pk)
    a = gate.access(request.user)
    memberships = school.network_memberships.select_related("network").order_by("-joined_on")
    teams = school.teams.filter(archived_at__isnull=True).order_by("name")
    staff_count = school.staff.filter(archived_at__isnull=True).count()
    return render(
        request,
        "tenancy/school_detail.html",
        {
            "school": school,
            "memberships": memberships,
            "teams": teams if a.is_site_admin or school.pk in a.school_ids else [],
            "staff_count": staff_count,
            "can_edit": gate.can(request.user, "school.edit", school),
            "can_directory": gate.can(request.user, "school.view_directory", school),
            "can_manage_staff": gate.can(request.user, "school.manage_staff", school),
        },
    )


@login_required
def school_edit(request, pk: int):
    school = gate.school(request.user, pk)
    gate.require(request.user, "school.edit", school)
    form = SchoolForm(request.POST or None, instance=School.objects.get(pk=school.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_school(request.user, school, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "The school's details were saved.")
            return redirect("tenancy:school_detail", school.pk)
    return render(
        request,
        "tenancy/school_form.html",
        {"form": form, "school": school, "title": f"Edit {school.name}"},
    )


@login_required
def network_list(request):
    qs = gate.networks(request.user).order_by("name")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "tenancy/network_list.html",
        {
            "page": page,
            "q": q,
            "can_create": gate.can(request.user, "site.manage"),
        },
    )


@login_required
def network_create(request):
    gate.require(request.user, "site.manage")
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network = services.create_network(request.user, **form.cleaned_data)
        messages.success(request, f"{network.name} was created.")
        return redirect("tenancy:network_detail", network.pk)
    return render(request, "tenancy/network_form.html", {"form": form, "title": "Create a network"})


@login_required
def network_detail(request, pk: int):
    network = gate.network(request.user, pk)
    memberships = (
        NetworkMembership.objects.filter(network=network)
        .select_related("school")
        .order_by("left_on", "school__name")
    )
    can_manage = gate.can(request.user, "network.manage", network)
    leads = (
        network.roles.filter(role="lead").select_related("user")
        if can_manage or gate.access(request.user).network_roles.get(network.pk)
        else []
    )
    return render(
        request,
        "tenancy/network_detail.html",
        {
            "network": network,
            "current": [m for m in memberships if m.left_on is None],
            "former": [m for m in memberships if m.left_on is not None],
            "leads": leads,
            "can_manage": can_manage,
            "add_form": AddSchoolForm(),
        },
    )


@login_required
def network_edit(request, pk: int):
    network = gate.network(request.user, pk)
    gate.require(request.user, "network.manage", network)
    form = NetworkForm(request.POST or None, instance=type(network).objects.get(pk=network.pk))
    if request.method == "POST" and form.is_valid():
        services.update_network(request.user, network, **form.cleaned_data)
        messages.success(request, "The network's details were saved.")
        return redirect("tenancy:network_detail", network.pk)
    return render(
        request,
        "tenancy/network_form.html",
        {"form": form, "network": network, "title": f"Edit {network.name}"},
    )


@login_required
@require_POST
def network_add_school(request, pk: int):
    network = gate.network(request.user, pk)
    gate.require(request.user, "network.add_school", network)
    form = AddSchoolForm(request.POST)
    if form.is_valid():
        services.add_school_to_network(
            request.user, network, form.school, form.cleaned_data.get("joined_on")
        )
        messages.success(request, f"{form.school.name} is now a member of {network.name}.")
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("tenancy:network_detail", network.pk)


@login_required
@require_POST
def network_remove_school(request, pk: int, school_pk: int):
    network = gate.network(request.user, pk)
    gate.require(request.user, "network.manage", network)
    school = gate.school(request.user, school_pk)
    try:
        services.remove_school_from_network(request.user, network, school)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{school.name} has left {network.name}.")
    return redirect("tenancy:network_detail", network.pk)
