"""Changes to schools and networks. Each writes its history row in the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from history.services import diff, record, snapshot
from tenancy.errors import Conflict, DomainError
from tenancy.models import Network, NetworkMembership, NetworkRole, School, User

SCHOOL_FIELDS = [
    "urn",
    "name",
    "phase",
    "school_type",
    "local_authority",
    "region",
    "postcode",
    "pupils",
    "approver",
]
NETWORK_FIELDS = ["name", "kind", "description"]


def _validated(obj, exclude: list[str] | None = None) -> None:
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        first_field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=first_field) from exc


@transaction.atomic
def create_school(actor: User | None, **values: Any) -> School:
    school = School(**values)
    _validated(school)
    try:
        school.save()
    except IntegrityError as exc:
        raise Conflict("A school with that URN already exists.", field="urn") from exc
    record(actor, "school.created", school, snapshot(school, SCHOOL_FIELDS), school_id=school.pk)
    return school


@transaction.atomic
def update_school(actor: User | None, school: School, **values: Any) -> School:
    before = snapshot(school, SCHOOL_FIELDS)
    for name, value in values.items():
        if name not in SCHOOL_FIELDS:
            raise DomainError(f"{name} cannot be changed here.", field=name)
        setattr(school, name, value)
    _validated(school, exclude=["urn"] if "urn" not in values else None)
    changes = diff(before, snapshot(school, SCHOOL_FIELDS))
    if changes:
        try:
            school.save()
        except IntegrityError as exc:
            raise Conflict("A school with that URN already exists.", field="urn") from exc
        record(actor, "school.updated", school, changes, school_id=school.pk)
    return school


@transaction.atomic
def create_network(actor: User | None, **values: Any) -> Network:
    network = Network(**values)
    _validated(network)
    network.save()
    record(
        actor, "network.created", network, snapshot(network, NETWORK_FIELDS), network_id=network.pk
    )
    return network


@transaction.atomic
def update_network(actor: User | None, network: Network, **values: Any) -> Network:
    before = snapshot(network, NETWORK_FIELDS)
    for name, value in values.items():
        if name not in NETWORK_FIELDS:
            raise DomainError(f"{name} cannot be changed here.", field=name)
        setattr(network, name, value)
    _validated(network)
    changes = diff(before, snapshot(network, NETWORK_FIELDS))
    if changes:
        network.save()
        record(actor, "network.updated", network, changes, network_id=network.pk)
    return network


@transaction.atomic
def add_school_to_network(
    actor: User | None, network: Network, school: School, joined_on: datetime.date | None = None
) -> NetworkMembership:
    """Join a school to a network; joining again while a member changes nothing."""
    current = NetworkMembership.objects.filter(
        network=network, school=school, left_on__isnull=True
    ).first()
    if current:
        return current
    membership = NetworkMembership.objects.create(
        network=network, school=school, joined_on=joined_on or timezone.localdate()
    )
    record(
        actor,
        "network.school_joined",
        membership,
        {"school": school.pk},
        school_id=school.pk,
        network_id=network.pk,
    )
    return membership


@transaction.atomic
def remove_school_from_network(
    actor: User | None, network: Network, school: School, left_on: datetime.date | None = None
) -> None:
    current = (
        NetworkMembership.objects.select_for_update()
        .filter(network=network, school=school, left_on__isnull=True)
        .first()
    )
    if current is None:
        raise DomainError(f"{school} is not a current member of {network}.")
    left_on = left_on or timezone.localdate()
    if left_on < current.joined_on:
        raise DomainError("A school cannot leave before it joined.", field="left_on")
    current.left_on = left_on
    current.save(update_fields=["left_on"])
    record(
        actor,
        "network.school_left",
        current,
        {"left_on": left_on},
        school_id=school.pk,
        network_id=network.pk,
    )


@transaction.atomic
def set_network_role(actor: User | None, network: Network, user: User, role: str) -> NetworkRole:
    if role not in NetworkRole.Role.values:
        raise DomainError("The role must be 'lead' or 'member'.", field="role")
    obj, created = NetworkRole.objects.get_or_create(
        network=network, user=user, defaults={"role": role}
    )
    if not created and obj.role != role:
        old = obj.role
        obj.role = role
        obj.save(update_fields=["role"])
        record(actor, "network.role_changed", obj, {"role": [old, role]}, network_id=network.pk)
    elif created:
        record(
            actor, "network.role_added", obj, {"role": role, "user": user.pk}, network_id=network.pk
        )
    return obj


@transaction.atomic
def sign_out_everywhere(user: User) -> None:
    """End every session of this person, on every device, by moving their epoch on."""
    User.objects.filter(pk=user.pk).update(session_epoch=user.session_epoch + 1)
    user.session_epoch += 1
    record(user, "account.signed_out_everywhere", user)
