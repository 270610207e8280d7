"""Site-wide pages: the home page for each role, the health check and the bench floor."""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tenancy import gate
from tenancy.models import NetworkRole, School, StaffMember


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 once the database answers; 503 while it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready", never a 500
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require_GET
def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark floor: one primary-key query, 50 rows rendered. Off unless
    STAFFROOM_BENCH_FLOOR=1, so production never exposes it."""
    if os.environ.get("STAFFROOM_BENCH_FLOOR") != "1":
        raise Http404("Not found.")
    try:
        start = int(request.GET.get("from", "1"))
    except ValueError:
        start = 1
    rows = list(School.objects.filter(pk__gte=start).order_by("pk")[:50])
    return render(request, "floor.html", {"rows": rows})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What this person is, where, and what they can do next."""
    user = request.user
    a = gate.access(user)
    records = list(
        StaffMember.objects.filter(user=user, archived_at__isnull=True)
        .select_related("school", "mentor__user")
        .prefetch_related("team_memberships__team", "mentees__user")
    )
    roles = list(NetworkRole.objects.filter(user=user).select_related("network"))
    school_networks = gate.networks(user).exclude(id__in=[r.network_id for r in roles])
    return render(
        request,
        "home.html",
        {
            "records": records,
            "network_roles": roles,
            "school_networks": school_networks,
            "access": a,
            "is_provider": user.is_provider and not records,
            "school_count": School.objects.count() if a.is_site_admin else None,
        },
    )
