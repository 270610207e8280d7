"""Uploads in the people app's tests (personas come from tests/fixtures.py), plus uploads
kept out of the real media folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
