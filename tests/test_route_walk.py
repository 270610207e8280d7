"""Every URL pattern and every API operation, as every persona, inside and outside the
owning school and network. A route added without a rule fails here."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.route_walk import EVERYONE, NOT_ELSEWHERE, OK, Route

SKIPPED_NAMESPACES = {"admin", "api"}


def _rule_modules():
    for info in pkgutil.iter_modules(tests.__path__):
        if info.name.startswith("route_rules_"):
            yield importlib.import_module(f"tests.{info.name}")


PAGE_RULES: dict[str, Route] = {}
API_RULES: dict[str, Route] = {}
for _module in _rule_modules():
    for _rule in getattr(_module, "RULES", []):
        assert _rule.id not in PAGE_RULES, f"two rules for {_rule.id}"
        PAGE_RULES[_rule.id] = _rule
    for _rule in getattr(_module, "API_RULES", []):
        assert _rule.id not in API_RULES, f"two rules for {_rule.id}"
        API_RULES[_rule.id] = _rule
PAGE_KEYS = {r.key for r in PAGE_RULES.values()}
API_KEYS = {r.key for r in API_RULES.values()}


def _url_names(patterns=None, namespace=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _url_names(entry.url_patterns, ns)
        elif isinstance(entry, URLPattern):
            name = entry.name or str(entry.pattern)
            yield f"{namespace}:{name}" if namespace else name


def _api_operations():
    from staffroom.api import api

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}"


def test_every_url_pattern_has_a_rule():
    missing = sorted(set(_url_names()) - PAGE_KEYS)
    assert not missing, f"URL patterns without a route-walk rule: {missing}"


def test_every_rule_names_a_real_url_pattern():
    stale = sorted(PAGE_KEYS - set(_url_names()))
    assert not stale, f"rules for URL patterns that no longer exist: {stale}"


def test_every_api_operation_has_a_rule():
    missing = sorted(set(_api_operations()) - API_KEYS)
    assert not missing, f"API operations without a route-walk rule: {missing}"


def test_every_api_rule_names_a_real_operation():
    stale = sorted(API_KEYS - set(_api_operations()))
    assert not stale, f"rules for API operations that no longer exist: {stale}"


def _order(rule: Route) -> list[str]:
    """Refused personas first, so that a persona allowed to change state goes last."""
    return sorted(EVERYONE, key=lambda p: (rule.expected(p) == OK, p))


def _check(persona: str, expected, response, where: str) -> str | None:
    status = response.status_code
    if expected == OK:
        good = status < 400 and not (
            status == 302 and "/accounts/login/" in response.get("Location", "")
        )
    elif expected == "login":
        good = status == 302 and "/accounts/login/" in response.get("Location", "")
    else:
        good = status == expected
    if not good:
        return f"{persona} {where}: expected {expected}, got {status}"
    return None


def _query(rule: Route, world) -> str:
    return rule.query(world) if callable(rule.query) else rule.query


def _page_call(client: Client, rule: Route, kwargs: dict, world):
    url = reverse(rule.key, kwargs=kwargs) + _query(rule, world)
    data = rule.data(world) if rule.data else {}
    if rule.method == "POST":
        return client.post(url, data)
    return client.get(url, data)


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(PAGE_RULES))
def test_page_route_answers_each_persona_as_its_rule_says(key, world):
    rule = PAGE_RULES[key]
    failures = []
    for persona in _order(rule):
        client = Client()
        if persona != "anonymous":
            client.force_login(world.people[persona])
        response = _page_call(client, rule, rule.kwargs(world), world)
        failures.append(_check(persona, rule.expected(persona), response, "inside"))
        if rule.outside and persona in NOT_ELSEWHERE:
            response = _page_call(client, rule, rule.outside(world), world)
            failures.append(_check(persona, 404, response, "outside"))
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures)


def _api_call(client: Client, rule: Route, kwargs: dict, world, headers: dict):
    method, path = rule.key.split(" ", 1)
    url = path.format(**kwargs) + _query(rule, world)
    if method == "GET":
        return client.get(url, headers=headers)
    if rule.multipart:
        return client.post(url, rule.data(world) if rule.data else {}, headers=headers)
    body = json.dumps(rule.data(world)) if rule.data else None
    return client.generic(
        method, url, data=body or "", content_type="application/json", headers=headers
    )


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(API_RULES))
def test_api_route_answers_each_persona_as_its_rule_says(key, world):
    from tenancy.models import ApiToken

    rule = API_RULES[key]
    failures = []
    for persona in _order(rule):
        headers = {}
        if persona != "anonymous":
            _token, raw = ApiToken.issue(world.people[persona], "walk")
            headers = {"Authorization": f"Bearer {raw}"}
        client = Client()
        response = _api_call(client, rule, rule.kwargs(world), world, headers)
        failures.append(_check(persona, rule.expected(persona), response, "inside"))
        if response.status_code >= 400:
            payload = response.json()
            if "detail" not in payload or "errors" not in payload:
                failures.append(f"{persona}: error body not in the shared shape: {payload}")
        if rule.outside and persona in NOT_ELSEWHERE:
            response = _api_call(client, rule, rule.outside(world), world, headers)
            failures.append(_check(persona, 404, response, "outside"))
    failures = [f for f in failures if f]
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_django_admin_is_for_site_administrators_only(world):
    for persona, user in world.people.items():
        client = Client()
        client.force_login(user)
        response = client.get("/admin/")
        if persona == "site_admin":
            assert response.status_code == 200
        else:
            assert response.status_code == 302, persona
