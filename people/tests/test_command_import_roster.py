"""`staffroom import-roster PATH`: imports, prints a summary, or lists errors and fails."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from history.models import HistoryEntry
from people.tests.rosterfiles import trust_export, user11
from tenancy.models import School, StaffMember

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_roster", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_a_summary(tmp_path):
    out, _ = run(str(trust_export(tmp_path)), "--no-progress")
    assert "Imported" in out
    assert "staff" in out
    assert StaffMember.objects.count() == 4


def test_the_command_records_the_actor_in_history(tmp_path, world):
    run(str(trust_export(tmp_path)), "--actor", "root@staffroom.example", "--no-progress")
    actors = set(HistoryEntry.objects.values_list("actor__email", flat=True))
    assert actors == {"root@staffroom.example"}


def test_a_dry_run_writes_nothing(tmp_path):
    out, _ = run(str(trust_export(tmp_path)), "--dry-run", "--no-progress")
    assert "Dry run" in out
    assert not School.objects.exists()


def test_errors_print_as_file_line_column_and_the_command_fails(tmp_path):
    users = [user11("t1", "s1", "teacher", "a@riverbend.example", enabledUser="nope")]
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_roster", str(trust_export(tmp_path, users=users)), stderr=err)
    assert caught.value.returncode == 1
    assert "users.csv:2:enabledUser: enabledUser must be true or false" in err.getvalue()
    assert not School.objects.exists()


def test_the_command_line_exits_non_zero_on_errors(tmp_path):
    import subprocess
    import sys

    users = [user11("t1", "s1", "teacher", "a@riverbend.example", dateLastModified="today")]
    path = trust_export(tmp_path, users=users)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from staffroom.cli import main; main()",
            "import-roster",
            str(path),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path}/cli.sqlite3"},
        check=False,
    )
    assert result.returncode == 1
    assert "users.csv:2:dateLastModified:" in result.stderr
