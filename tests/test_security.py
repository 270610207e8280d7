"""Security headers and the production deployment check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_pages_carry_a_csp_without_unsafe_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        **os.environ,
        "STAFFROOM_PRODUCTION": "1",
        "STAFFROOM_SECRET_KEY": "x" * 30 + "-production-secret-key-with-enough-entropy-0123456789",
        "STAFFROOM_ALLOWED_HOSTS": "cpd.example.org",
        "STAFFROOM_VAR_DIR": str(tmp_path),
    }
    env.pop("STAFFROOM_DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    env = {**os.environ, "STAFFROOM_PRODUCTION": "1", "STAFFROOM_VAR_DIR": str(tmp_path)}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='staffroom.settings';"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


@pytest.mark.django_db
def test_a_nul_character_in_input_is_a_clear_400_not_a_database_error(client, world):
    client.force_login(world.people["teacher"])
    assert client.get("/cpd/?q=a%00b").status_code == 400
    response = client.post(
        "/api/v1/me/tokens", data='{"name": "a\\u0000b"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
