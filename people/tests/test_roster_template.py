"""The plain staff template (CSV or XLSX) for schools without OneRoster."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from people.roster import RosterError, import_roster
from people.tests.rosterfiles import TEMPLATE_HEADER, template_csv
from tenancy.models import StaffMember, TeamMembership

pytestmark = pytest.mark.django_db


def jo(**more) -> dict:
    return {
        "email": "Jo.Bloggs@Riverside.example",
        "full_name": "Jo Bloggs",
        "school_urn": "100001",
        "job_title": "Head of Maths",
        "roles": "teacher;mentor;cpd_lead",
        "career_stage": "middle_leader",
        "phase": "secondary",
        "subjects": "Mathematics;Computing",
        "fte": "0.8",
        "teams": "Maths;Science",
        "leads_teams": "Maths",
        **more,
    }


def sam(**more) -> dict:
    return {
        "email": "sam.new@riverside.example",
        "full_name": "Sam New",
        "school_urn": "100001",
        "roles": "ect",
        "ect_year": "2",
        "mentor_email": "jo.bloggs@riverside.example",
        **more,
    }


def test_a_row_adds_a_member_of_staff_with_roles_subjects_and_teams(tmp_path, world):
    import_roster(template_csv(tmp_path, [jo()]))
    staff = StaffMember.objects.get(user__email="jo.bloggs@riverside.example", school=world.school)
    assert staff.job_title == "Head of Maths"
    assert staff.is_teacher and staff.is_mentor and staff.is_cpd_lead
    assert not staff.is_school_admin
    assert staff.fte == Decimal("0.800")
    assert staff.career_stage == "middle_leader"
    assert sorted(s.name for s in staff.subjects.all()) == ["Computing", "Mathematics"]
    memberships = {tm.team.name: tm.is_leader for tm in staff.team_memberships.all()}
    assert memberships == {"Maths": True, "Science": False}
    assert memberships and TeamMembership.objects.get(staff=staff, team=world.team).is_leader


def test_an_early_career_teacher_gets_their_year_and_mentor_from_the_same_file(tmp_path, world):
    import_roster(template_csv(tmp_path, [sam(), jo()]))
    ect = StaffMember.objects.get(user__email="sam.new@riverside.example")
    assert ect.ect_year == 2
    assert ect.career_stage == "ect"
    assert ect.mentor.user.email == "jo.bloggs@riverside.example"


def test_a_mentor_already_on_the_staff_may_be_named(tmp_path, world):
    import_roster(template_csv(tmp_path, [sam(mentor_email="mentor@riverside.example")]))
    ect = StaffMember.objects.get(user__email="sam.new@riverside.example")
    assert ect.mentor == world.staff["mentor"]


def test_a_mentor_who_is_not_on_the_staff_is_refused(tmp_path, world):
    with pytest.raises(RosterError) as caught:
        import_roster(template_csv(tmp_path, [sam(mentor_email="nobody@riverside.example")]))
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "mentor_email")]


def test_an_existing_member_of_staff_is_updated_in_place(tmp_path, world):
    teacher = world.staff["teacher"]
    import_roster(
        template_csv(
            tmp_path,
            [
                {
                    "email": "teacher@riverside.example",
                    "full_name": "Terry Teacher",
                    "school_urn": "100001",
                    "job_title": "Teacher of English",
                    "roles": "teacher",
                }
            ],
        )
    )
    teacher.refresh_from_db()
    assert teacher.job_title == "Teacher of English"
    assert teacher.user.full_name == "Terry Teacher"
    assert StaffMember.objects.filter(user=teacher.user).count() == 1


def test_the_same_template_twice_changes_nothing_the_second_time(tmp_path, world):
    path = template_csv(tmp_path, [jo(), sam()])
    first = import_roster(path)
    second = import_roster(path)
    assert first.changes > 0
    assert second.changes == 0


def test_an_xlsx_workbook_imports_like_the_csv(tmp_path, world):
    book = Workbook()
    sheet = book.active
    columns = TEMPLATE_HEADER.split(",")
    sheet.append(columns)
    row = jo()
    sheet.append(
        [
            float(row[c]) if c == "fte" else int(row[c]) if c == "school_urn" else row.get(c)
            for c in columns
        ]
    )
    path = tmp_path / "staff.xlsx"
    book.save(path)
    import_roster(path)
    staff = StaffMember.objects.get(user__email="jo.bloggs@riverside.example")
    assert staff.fte == Decimal("0.800")


def test_a_school_administrator_may_only_import_into_their_own_school(tmp_path, world):
    path = template_csv(tmp_path, [jo(school_urn=world.elsewhere.urn)])
    with pytest.raises(RosterError) as caught:
        import_roster(path, school=world.school)
    assert [(e.line, e.column) for e in caught.value.errors] == [(2, "school_urn")]


def test_the_downloadable_template_is_itself_a_valid_import(world):
    from django.contrib.staticfiles import finders

    path = finders.find("people/staff-template.csv")
    summary = import_roster(path, dry_run=True)
    assert summary.created["staff"] == 2
