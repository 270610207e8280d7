"""Roster import pages (being built: see people/roster)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tenancy import gate


@login_required
def import_roster(request):
    gate.require(request.user, "roster.import_any")
    return render(request, "people/import.html", {})


@login_required
def import_status(request, pk: int):
    raise Http404("Not found.")
