"""Navigation by role: the links a person sees follow from the gate. It lives at the top
of the project because it links to every app."""

from __future__ import annotations

from django.urls import reverse

from booking.notify import unread_count
from tenancy import gate


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": []}
    a = gate.access(user)
    links = [("Home", reverse("home"))]
    if a.staff or a.is_site_admin:
        links.append(("Schools", reverse("tenancy:school_list")))
    if a.network_ids or a.is_site_admin:
        links.append(("Networks", reverse("tenancy:network_list")))
    if a.is_site_admin or gate.directory_school_ids(user):
        links.append(("Staff directory", reverse("people:directory")))
    if gate.can(user, "roster.import_any"):
        links.append(("Import", reverse("people:import_roster")))
    if a.staff or a.is_site_admin or user.is_provider:
        links.append(("Catalogue", reverse("offers:catalogue")))
    links.append(("My bookings", reverse("booking:my_bookings")))
    links.append(("Directed time", reverse("booking:directed_time")))
    unread = unread_count(user)
    label = f"Notifications ({unread})" if unread else "Notifications"
    links.append((label, reverse("booking:notifications")))
    links.append(("Profile", reverse("people:profile")))
    return {"nav_links": links, "access": a}
