"""Schools and networks in the JSON API, scoped by the gate like the pages."""

from __future__ import annotations

from django.db.models import Q
from ninja import Router

from tenancy import gate, services
from tenancy.apiutils import page
from tenancy.errors import DomainError
from tenancy.models import Network, NetworkMembership, School
from tenancy.schemas import (
    Error,
    JoinIn,
    MembershipOut,
    NetworkDetail,
    NetworkIn,
    NetworkOut,
    NetworkPage,
    SchoolIn,
    SchoolOut,
    SchoolPage,
    SchoolPatch,
)

router = Router(tags=["schools and networks"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 422: Error}


@router.get("/schools", response={200: SchoolPage, **ERRORS})
def list_schools(request, q: str = "", phase: str = "", urn: str = ""):
    """Schools the caller may see. Filter by `q` (name), `phase` or exact `urn`."""
    qs = gate.schools(request.user)
    if q:
        qs = qs.filter(name__icontains=q)
    if phase:
        qs = qs.filter(phase=phase)
    if urn:
        qs = qs.filter(urn=urn)
    return page(request, qs)


@router.post("/schools", response={201: SchoolOut, **ERRORS})
def create_school(request, payload: SchoolIn):
    gate.require(request.user, "site.manage")
    if payload.phase not in School.Phase.values:
        raise DomainError(
            f"Unknown phase; use one of {', '.join(School.Phase.values)}.", field="phase"
        )
    return 201, services.create_school(request.user, **payload.dict())


@router.get("/schools/{school_id}", response={200: SchoolOut, **ERRORS})
def get_school(request, school_id: int):
    return gate.school(request.user, school_id)


@router.patch("/schools/{school_id}", response={200: SchoolOut, **ERRORS})
def update_school(request, school_id: int, payload: SchoolPatch):
    school = gate.school(request.user, school_id)
    gate.require(request.user, "school.edit", school)
    values = payload.dict(exclude_unset=True)
    if "phase" in values and values["phase"] not in School.Phase.values:
        raise DomainError("Unknown phase.", field="phase")
    if "approver" in values and values["approver"] not in School.Approver.values:
        raise DomainError("approver must be 'cpd_lead' or 'middle_leader'.", field="approver")
    return services.update_school(request.user, school, **values)


@router.get("/networks", response={200: NetworkPage, **ERRORS})
def list_networks(request, q: str = ""):
    qs = gate.networks(request.user)
    if q:
        qs = qs.filter(Q(name__icontains=q))
    return page(request, qs)


@router.post("/networks", response={201: NetworkOut, **ERRORS})
def create_network(request, payload: NetworkIn):
    gate.require(request.user, "site.manage")
    if payload.kind not in Network.Kind.values:
        raise DomainError(
            f"Unknown kind; use one of {', '.join(Network.Kind.values)}.", field="kind"
        )
    return 201, services.create_network(request.user, **payload.dict())


def _detail(network: Network) -> dict:
    members = (
        NetworkMembership.objects.filter(network=network, left_on__isnull=True)
        .select_related("school")
        .order_by("school__name")
    )
    return {
        "id": network.pk,
        "name": network.name,
        "kind": network.kind,
        "description": network.description,
        "schools": [
            MembershipOut(
                school_id=m.school_id,
                school_urn=m.school.urn,
                school_name=m.school.name,
                joined_on=m.joined_on,
                left_on=m.left_on,
            )
            for m in members
        ],
    }


@router.get("/networks/{network_id}", response={200: NetworkDetail, **ERRORS})
def get_network(request, network_id: int):
    return _detail(gate.network(request.user, network_id))


@router.post("/networks/{network_id}/schools", response={201: NetworkDetail, **ERRORS})
def add_school(request, network_id: int, payload: JoinIn):
    network = gate.network(request.user, network_id)
    gate.require(request.user, "network.add_school", network)
    try:
        school = School.objects.get(pk=payload.school)
    except School.DoesNotExist as exc:
        raise DomainError("No such school.", field="school", status=404) from exc
    services.add_school_to_network(request.user, network, school, payload.joined_on)
    return 201, _detail(network)
