"""Site-wide pages: the home page for each role, the health check and the bench floor."""

from __future__ import annotations

import os

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.timezone import now
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from booking import directed_time
from booking.models import Booking, Invitation
from booking.queries import approvals_for
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
    ledgers = {e.school.pk: e for e in directed_time.ledger(user) if e.school is not None}
    for rec in records:
        rec.ledger = ledgers.get(rec.school_id)
    upcoming = (
        Booking.objects.filter(user=user, status__in=Booking.ACTIVE, session__ends_at__gte=now())
        .select_related("session__offer")
        .order_by("session__starts_at")[:5]
    )
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
            "upcoming": upcoming,
            "invitations": Invitation.objects.filter(
                user=user, status=Invitation.Status.PENDING
            ).count(),
            "approvals": len(approvals_for(user)) if records or a.is_site_admin else 0,
        },
    )
