"""Uploads in the people app's tests (personas come from tests/fixtures.py), plus uploads
kept out of the real media folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(params=["loaded", "queried"])
def lookups(request, monkeypatch):
    """Run a roster test both ways an import finds existing rows: all read up front (a
    small database) and queried chunk by chunk (a big one)."""
    from people.roster import existing

    if request.param == "queried":
        monkeypatch.setattr(existing, "LOAD_LIMIT", -1)
    return request.param
