"""Catalogue, offer pages, building the offer, proposals, priorities and the booklet.

Each view: find through the gate (404 when not visible), check the permission (403), call one
service, render. Service errors become form errors or messages, never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from offers import booklet as booklets
from offers import queries, services
from offers.forms import (
    DateFormSet,
    OfferForm,
    PriorityForm,
    ProposalForm,
    SessionForm,
    offer_initial,
)
from offers.models import Interest, Offer, Session
from tenancy import gate
from tenancy.errors import DomainError
from tenancy.models import School, StaffMember


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def _known(*ids: Any) -> None:
    if not all(queries.valid_id(i) for i in ids):
        raise Http404("Not found.")


def _offer(request, pk: int) -> Offer:
    _known(pk)
    return gate.get_visible(
        gate.offers(request.user).select_related("school", "network", "provider"), pk=pk
    )


def _managed_offer(request, pk: int) -> Offer:
    offer = _offer(request, pk)
    if not gate.manages_offer(request.user, offer):
        raise PermissionDenied("Only the offer's managers can change it.")
    return offer


def _session(request, pk: int) -> Session:
    _known(pk)
    return gate.get_visible(gate.sessions(request.user).select_related("offer"), pk=pk)


def _staff_school(request, pk: int) -> School:
    """A school the person works in (site administrators: any). Others who can see the
    school are refused; those who cannot see it get 404."""
    _known(pk)
    school = gate.school(request.user, pk)
    a = gate.access(request.user)
    if not (a.is_site_admin or school.pk in a.school_ids):
        raise PermissionDenied("This page is for the school's staff.")
    return school


def _leads_school(request, school: School) -> bool:
    return gate.may_create_offer(request.user, school=school)


# --- Catalogue -------------------------------------------------------------------------


def _options(choices: Any, selected: Any) -> str:
    """The <option> elements of one of the catalogue's filters, the chosen one selected.
    Built here, not looped over in the template: some seventy options on every page cost
    more as template nodes than the rest of the form."""
    chosen = "" if selected is None else str(selected)
    return mark_safe(  # noqa: S308 (every value and label is escaped)
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )


def _result_rows(items: list[Session]) -> list[dict[str, Any]]:
    """What each result shows, worked out once in Python (labels, owner, local date) so
    that the template's loop only places strings."""
    detail = reverse("offers:offer_detail", args=[0])
    head, tail = detail.rsplit("0", 1)
    rows = []
    for s in items:
        offer = s.offer
        when = s.next_starts_at or s.starts_at
        local = timezone.localtime(when) if when else None
        places = s.places_left
        rows.append(
            {
                "url": f"{head}{s.offer_id}{tail}",
                "title": offer.title,
                "label": s.label,
                "owner": offer.owner_label,
                "kind": offer.get_kind_display(),
                "summary": offer.summary,
                "strands": offer.strand_labels,
                "focus": offer.focus_labels,
                "when_iso": local.isoformat() if local else "",
                "when": dateformat.format(local, "D j M Y, H:i") if local else "",
                "mode": offer.get_mode_display(),
                "location": s.location,
                "places": f"{places} place{pluralize(places)} left" if places else "",
            }
        )
    return rows


@login_required
def catalogue(request):
    params = request.GET
    qs = queries.catalogue(request.user, params)
    items, after = queries.page_of(qs, params.get("after"))
    next_params = request.GET.copy()
    if after:
        next_params["after"] = after
    context = {
        "items": items,
        "rows": _result_rows(items),
        "next_query": next_params.urlencode() if after else "",
        "params": params,
        "fitted": not queries.has_filters(params),
    }
    if request.headers.get("HX-Request"):
        return render(request, "offers/catalogue.html#results", context)
    # The filter form and the links above it: only on the whole page (htmx swaps results).
    a = gate.access(request.user)
    # The staff records carry their schools (gate.access loads them): no query.
    my_schools = sorted((rec.school for rec in a.staff.values()), key=lambda s: (s.name, s.pk))
    choices = queries.filter_choices()
    networks = choices["networks"]
    if not a.is_site_admin:
        networks = [n for n in networks if n[0] in a.network_ids]
    context.update(
        {
            "options": {
                "strand": _options(queries.STRAND_CHOICES, params.get("strand")),
                "focus": _options(
                    queries.focus_choices(choices["focus"], a.school_ids), params.get("focus")
                ),
                "subject": _options(choices["subjects"], params.get("subject")),
                "phase": _options(School.Phase.choices, params.get("phase")),
                "career_stage": _options(
                    StaffMember.CareerStage.choices, params.get("career_stage")
                ),
                "kind": _options(Offer.Kind.choices, params.get("kind")),
                "mode": _options(Offer.Mode.choices, params.get("mode")),
                "network": _options(networks[:100], params.get("network")),
            },
            "networks": networks[:100],
            "my_schools": [{"school": s, "leads": _leads_school(request, s)} for s in my_schools],
            "led_networks": [n for n in choices["networks"] if n[0] in a.led_network_ids],
            "is_provider": request.user.is_provider,
        }
    )
    return render(request, "offers/catalogue.html", context)


@login_required
def offer_detail(request, pk: int):
    offer = _offer(request, pk)
    manages = gate.manages_offer(request.user, offer)
    sessions = queries.offer_sessions(offer, include_past=manages)
    return render(
        request,
        "offers/offer_detail.html",
        {
            "offer": offer,
            "sessions": sessions,
            "manages": manages,
            "focus": offer.focus.all(),
            "subjects": offer.subjects.all(),
            "facilitators": offer.facilitators.all(),
            "can_book": offer.status == Offer.Status.PUBLISHED,
        },
    )


# --- Building the offer ----------------------------------------------------------------


def _owner_from_query(request) -> dict[str, Any]:
    school_pk, network_pk = request.GET.get("school"), request.GET.get("network")
    _known(*(i for i in (school_pk, network_pk) if i))
    if school_pk:
        school = gate.school(request.user, school_pk)
        if not gate.may_create_offer(request.user, school=school):
            raise PermissionDenied("Only the school's CPD lead can add to its offer.")
        return {"school": school}
    if network_pk:
        network = gate.network(request.user, network_pk)
        if not gate.may_create_offer(request.user, network=network):
            raise PermissionDenied("Only the network's leads can add network events.")
        return {"network": network}
    if request.user.is_provider:
        return {"provider": request.user}
    a = gate.access(request.user)
    for school in School.objects.filter(pk__in=a.school_ids).order_by("name"):
        if gate.may_create_offer(request.user, school=school):
            return {"school": school}
    raise PermissionDenied("Only CPD leads, network leads and providers build offers.")


@login_required
def offer_create(request):
    owner = _owner_from_query(request)
    draft = Offer(**owner)
    if "network" in owner:
        draft.kind = Offer.Kind.NETWORK_EVENT
    form = OfferForm(request.POST or None, offer=draft, initial={"kind": draft.kind})
    if request.method == "POST" and form.is_valid():
        values = form.values()
        status = Offer.Status.PUBLISHED if form.cleaned_data.get("publish") else Offer.Status.DRAFT
        try:
            offer = services.create_offer(request.user, status=status, **owner, **values)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"“{offer.title}” was added. Now add its sessions.")
            return redirect("offers:session_create", offer.pk)
    owner_label = next(iter(owner.values()))
    return render(
        request,
        "offers/offer_form.html",
        {"form": form, "title": f"New offer for {owner_label}", "offer": None},
    )


@login_required
def offer_edit(request, pk: int):
    offer = _managed_offer(request, pk)
    form = OfferForm(request.POST or None, offer=offer, editing=True, initial=offer_initial(offer))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_offer(request.user, offer, **form.values())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("offers:offer_detail", offer.pk)
    return render(
        request, "offers/offer_form.html", {"form": form, "title": f"Edit {offer}", "offer": offer}
    )


@login_required
@require_POST
def offer_status(request, pk: int, action: str):
    offer = _managed_offer(request, pk)
    try:
        if action == "publish":
            services.publish_offer(request.user, offer)
            messages.success(request, "Published in the catalogue.")
        else:
            services.archive_offer(request.user, offer)
            messages.success(request, "Archived: it no longer shows in the catalogue.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("offers:offer_detail", offer.pk)


def _dates(formset) -> list[tuple]:
    return [
        (f.cleaned_data["starts_at"], f.cleaned_data["ends_at"], f.cleaned_data.get("title", ""))
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("starts_at")
    ]


def _session_page(request, *, offer: Offer, session: Session | None):
    if session is None:
        initial, date_initial = {"location": offer.location, "meeting_link": offer.meeting_link}, []
    else:
        initial = {
            "label": session.label,
            "capacity": session.capacity,
            "location": session.location,
            "meeting_link": session.meeting_link,
            "booking_opens_at": session.booking_opens_at,
            "booking_closes_at": session.booking_closes_at,
            "facilitators": list(session.facilitators.values_list("pk", flat=True)),
        }
        date_initial = [
            {"starts_at": d.starts_at, "ends_at": d.ends_at, "title": d.title}
            for d in session.dates.all()
        ]
    form = SessionForm(request.POST or None, offer=offer, initial=initial)
    dates = DateFormSet(request.POST or None, initial=date_initial, prefix="dates")
    if request.method == "POST" and form.is_valid() and dates.is_valid():
        values = dict(form.cleaned_data)
        values["facilitators"] = list(values["facilitators"])
        try:
            if session is None:
                session = services.add_session(request.user, offer, dates=_dates(dates), **values)
                messages.success(request, "The session was added.")
            else:
                services.update_session(request.user, session, dates=_dates(dates), **values)
                messages.success(request, "The session was saved.")
        except DomainError as exc:
            if (
                exc.field
                and (exc.field.startswith("dates") or exc.field.endswith("_at"))
                and (exc.field not in form.fields)
            ):
                dates._non_form_errors = dates.error_class([exc.message])
            else:
                _form_error(form, exc)
        else:
            return redirect("offers:offer_detail", offer.pk)
    return render(
        request,
        "offers/session_form.html",
        {"form": form, "dates": dates, "offer": offer, "session": session},
    )


@login_required
def session_create(request, pk: int):
    offer = _managed_offer(request, pk)
    return _session_page(request, offer=offer, session=None)


@login_required
def session_edit(request, pk: int):
    session = _session(request, pk)
    if not gate.manages_offer(request.user, session.offer):
        raise PermissionDenied("Only the offer's managers can change its sessions.")
    return _session_page(request, offer=session.offer, session=session)


@login_required
@require_POST
def session_cancel(request, pk: int):
    session = _session(request, pk)
    if not gate.manages_offer(request.user, session.offer):
        raise PermissionDenied("Only the offer's managers can cancel its sessions.")
    try:
        services.cancel_session(request.user, session, reason=request.POST.get("reason", "")[:300])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "The session was cancelled; the people booked will be told.")
    return redirect("offers:offer_detail", session.offer_id)


# --- The school's offer ----------------------------------------------------------------


def _year(request) -> int:
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return booklets.current_year()


@login_required
def our_offer(request, school_pk: int):
    _known(school_pk)
    school = gate.school(request.user, school_pk)
    if not _leads_school(request, school):
        raise PermissionDenied("The school's offer overview is for its CPD lead.")
    year = _year(request)
    sessions = list(queries.school_offer(school, year=year))
    chart = {
        "labels": [f"{s.offer.title[:40]}{' — ' + s.label if s.label else ''}" for s in sessions],
        "confirmed": [s.confirmed_count for s in sessions],
        "capacity": [s.capacity for s in sessions],
        "waiting": [s.waiting_count for s in sessions],
    }
    return render(
        request,
        "offers/our_offer.html",
        {
            "school": school,
            "year": year,
            "sessions": sessions,
            "chart": chart,
            "years": [year - 1, year, year + 1],
            "drafts": Offer.objects.filter(school=school, status=Offer.Status.DRAFT),
        },
    )


# --- Proposals -------------------------------------------------------------------------


@login_required
def proposals(request, school_pk: int):
    school = _staff_school(request, school_pk)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.propose_session(request.user, school, **form.cleaned_data)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, f"Thank you: “{offer.title}” is open for colleagues' interest."
            )
            return redirect("offers:proposals", school.pk)
    return render(
        request,
        "offers/proposals.html",
        {
            "school": school,
            "form": form,
            "proposals": queries.proposals(request.user, school),
            "leads": _leads_school(request, school),
        },
    )


@login_required
@require_POST
def interest(request, pk: int):
    offer = _offer(request, pk)
    if (
        offer.status != Offer.Status.PROPOSED
        or offer.school_id not in gate.access(request.user).school_ids
    ):
        raise Http404("Not found.")
    try:
        if Interest.objects.filter(offer=offer, user=request.user).exists():
            services.withdraw_interest(request.user, offer)
        else:
            services.register_interest(request.user, offer)
    except DomainError as exc:
        messages.error(request, exc.message)
    item = queries.proposals(request.user, offer.school).get(pk=offer.pk)
    if request.headers.get("HX-Request"):
        return render(request, "offers/proposals.html#interest", {"p": item})
    return redirect("offers:proposals", offer.school_id)


@login_required
@require_POST
def proposal_decision(request, pk: int, decision: str):
    offer = _offer(request, pk)
    if offer.school_id is None or not _leads_school(request, offer.school):
        raise PermissionDenied("Only the school's CPD lead decides on proposals.")
    try:
        if decision == "approve":
            services.approve_proposal(request.user, offer)
            messages.success(request, f"“{offer.title}” is in the catalogue; add its sessions.")
        else:
            services.decline_proposal(request.user, offer, reason=request.POST.get("reason", ""))
            messages.success(request, f"“{offer.title}” was not taken forward.")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("offers:proposals", offer.school_id)


# --- Priorities ------------------------------------------------------------------------


@login_required
def priorities(request, school_pk: int):
    school = _staff_school(request, school_pk)
    leads = _leads_school(request, school)
    form = PriorityForm(request.POST or None)
    if request.method == "POST":
        if not leads:
            raise PermissionDenied("Only the CPD lead sets the school's priorities.")
        if "remove" in request.POST:
            _known(request.POST.get("remove"))
            tag = gate.get_visible(queries.priorities(school), pk=request.POST.get("remove"))
            services.remove_priority(request.user, tag)
            messages.success(request, f"“{tag.name}” was removed.")
            return redirect("offers:priorities", school.pk)
        if form.is_valid():
            try:
                services.create_priority(request.user, school, **form.cleaned_data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "The priority was added.")
                return redirect("offers:priorities", school.pk)
    return render(
        request,
        "offers/priorities.html",
        {"school": school, "form": form, "priorities": queries.priorities(school), "leads": leads},
    )


# --- Booklet ---------------------------------------------------------------------------


def _booklet(request, school_pk: int) -> booklets.Booklet:
    school = _staff_school(request, school_pk)
    term = request.GET.get("term", "")
    if term not in {name for name, _ in booklets.term_starts()}:
        term = ""
    return booklets.build(school, year=_year(request), term=term)


@login_required
def booklet(request, school_pk: int):
    b = _booklet(request, school_pk)
    return render(
        request,
        "offers/booklet.html",
        {
            "booklet": b,
            "periods": booklets.periods(b.year),
            "years": [b.year - 1, b.year, b.year + 1],
        },
    )


@login_required
def booklet_pdf(request, school_pk: int):
    b = _booklet(request, school_pk)
    pdf = booklets.render_pdf(b, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"professional-learning-{b.year}{'-' + b.term if b.term else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
