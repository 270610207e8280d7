"""Roster import pages: upload a file, then watch the import's progress and read its errors.

The page saves the upload and queues the task; the status page polls a fragment every
second (htmx) until the job is done. Scopes and visibility come from the gate, through
people.roster.jobs, which the API uses too.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from people.roster.jobs import import_scopes, resolve_scope, start_import, visible_jobs
from tenancy import gate
from tenancy.errors import DomainError


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Roster file",
        help_text="A OneRoster 1.1 or 1.2 CSV export (.zip), or the staff template "
        "(.csv or .xlsx).",
    )
    scope = forms.ChoiceField(label="Import into")
    dry_run = forms.BooleanField(
        label="Dry run: check the file and count the changes, but write nothing",
        required=False,
    )

    def __init__(self, *args, schools=(), networks=(), anywhere=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if anywhere:
            choices.append(("", "Anywhere the file says (site administrator)"))
        choices += [(f"school:{s.pk}", f"School: {s.name} ({s.urn})") for s in schools]
        choices += [(f"network:{n.pk}", f"Network: {n.name}") for n in networks]
        self.fields["scope"].choices = choices
        self.fields["scope"].required = not anywhere

    def scope_ids(self) -> tuple[int | None, int | None]:
        value = self.cleaned_data.get("scope") or ""
        kind, _, pk = value.partition(":")
        return (int(pk) if kind == "school" else None, int(pk) if kind == "network" else None)


@login_required
def import_roster(request: HttpRequest) -> HttpResponse:
    gate.require(request.user, "roster.import_any")
    schools, networks, anywhere = import_scopes(request.user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        schools=schools[:200],
        networks=networks[:200],
        anywhere=anywhere,
    )
    if request.method == "POST" and form.is_valid():
        school_id, network_id = form.scope_ids()
        try:
            scope = resolve_scope(request.user, school_id, network_id)
            job = start_import(
                request.user,
                form.cleaned_data["file"],
                scope,
                dry_run=form.cleaned_data["dry_run"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("people:import_status", pk=job.pk)
    jobs = visible_jobs(request.user).select_related("school", "network")[:10]
    return render(request, "people/import.html", {"form": form, "jobs": jobs})


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = gate.get_visible(
        visible_jobs(request.user).select_related("school", "network", "created_by"), pk=pk
    )
    done, total = job.live_progress()
    context = {"job": job, "done": done, "total": total}
    if request.headers.get("HX-Request"):
        return render(request, "people/import_status.html#progress", context)
    return render(request, "people/import_status.html", context)
