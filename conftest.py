"""Shared pytest fixtures for every app's tests live in tests/fixtures.py."""

pytest_plugins = ["tests.fixtures"]
