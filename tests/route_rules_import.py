"""Route rules: roster import pages."""

from __future__ import annotations

from tests.route_walk import SIGNED_IN, Route

IMPORTERS = {"school_admin", "network_lead", "site_admin", "outsider_admin"}

RULES = [
    Route("people:import_roster", ok=IMPORTERS, forbidden=SIGNED_IN - IMPORTERS),
    Route("people:import_status", lambda w: {"pk": 999999}, default=404),
]
