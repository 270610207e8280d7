import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from offers import queries, services
from offers.models import Session
from offers.tests.conftest import at
from tenancy.models import Subject


def titles(user, params=None):
    items, _ = queries.page_of(queries.catalogue(user, params or {}), None, size=50)
    return [s.offer.title for s in items]


def test_teacher_sees_their_schools_upcoming_published_sessions(world, school_offer):
    school_offer("Questioning")
    school_offer("Last year", days=-30)
    lead = world.people["cpd_lead"]
    draft = services.create_offer(lead, title="Draft", school=world.school, status="draft")
    services.add_session(lead, draft, dates=[(at(3), at(3, 17))])
    assert titles(world.people["teacher"]) == ["Questioning"]


def test_outsider_never_sees_another_schools_offers(world, school_offer):
    school_offer("Questioning")
    assert titles(world.people["outsider"]) == []
    assert titles(world.people["sister_teacher"]) == []


def test_network_event_is_visible_to_member_schools_only(world, network_event):
    network_event("Trust conference")
    assert titles(world.people["teacher"]) == ["Trust conference"]
    assert titles(world.people["sister_teacher"]) == ["Trust conference"]
    assert titles(world.people["outsider"]) == []


def test_cancelled_sessions_are_not_in_the_catalogue(world, school_offer):
    _, session = school_offer("Questioning")
    services.cancel_session(None, session)
    assert titles(world.people["teacher"]) == []


def test_filters_by_kind_mode_strand_phase_and_stage(world, school_offer):
    school_offer("For ECTs", career_stages=["ect"], for_individuals=True)
    school_offer("Online", mode="online", phases=["secondary"])
    school_offer("Programme", kind="programme", for_teams=True)
    teacher = world.people["teacher"]
    assert titles(teacher, {"career_stage": "ect"}) == ["For ECTs"]
    assert titles(teacher, {"mode": "online"}) == ["Online"]
    assert titles(teacher, {"phase": "secondary"}) == ["Online"]
    assert titles(teacher, {"kind": "programme"}) == ["Programme"]
    assert titles(teacher, {"strand": "team"}) == ["Programme"]
    assert titles(teacher, {"strand": "individual"}) == ["For ECTs"]


def test_filters_by_focus_subject_network_and_provider(world, school_offer, network_event):
    school_offer("Modelling", focus=["M08"], subjects=["Maths"])
    network_event("Conference")
    provider = world.people["provider"]
    course = services.create_offer(provider, title="Coaching", kind="external")
    services.add_session(provider, course, dates=[(at(5), at(5, 17))])
    teacher = world.people["teacher"]
    assert titles(teacher, {"focus": "M08"}) == ["Modelling"]
    assert titles(teacher, {"subject": "Maths"}) == ["Modelling"]
    assert titles(teacher, {"network": str(world.network.pk)}) == ["Conference"]
    assert titles(teacher, {"provider": "courses"}) == ["Coaching"]


def test_full_text_search_finds_words_in_the_description(world, school_offer):
    school_offer("Session A", description="Practising retrieval with low-stakes quizzes")
    school_offer("Session B", description="Behaviour routines")
    assert titles(world.people["teacher"], {"q": "retrieval"}) == ["Session A"]


def test_date_range_filters_on_session_dates(world, school_offer):
    school_offer("Soon", days=3)
    school_offer("Later", days=40)
    frm = at(30).date().isoformat()
    to = at(50).date().isoformat()
    assert titles(world.people["teacher"], {"from": frm, "to": to}) == ["Later"]


def test_places_left_filter_hides_full_sessions(world, school_offer):
    _, full = school_offer("Full", capacity=2)
    school_offer("Open")
    Session.objects.filter(pk=full.pk).update(confirmed_count=2)
    assert titles(world.people["teacher"], {"places": "1"}) == ["Open"]


def test_with_no_filters_what_fits_the_teacher_comes_first(world, school_offer):
    ect = world.staff["ect"]
    ect.subjects.add(Subject.objects.create(name="Science"))
    school_offer("Generic, soonest", days=2)
    school_offer("For ECTs, later", days=20, career_stages=["ect"])
    school_offer("Science, latest", days=30, subjects=["Science"])
    assert titles(world.people["ect"]) == [
        "For ECTs, later",
        "Science, latest",
        "Generic, soonest",
    ]
    # With a filter the order is by date.
    assert titles(world.people["ect"], {"mode": "in_person"})[0] == "Generic, soonest"


def test_school_priorities_lift_an_offer(world, school_offer):
    priority = services.create_priority(None, world.school, name="Oracy")
    school_offer("Soonest", days=2)
    school_offer("Oracy", days=9, focus=[priority.pk])
    assert titles(world.people["teacher"])[0] == "Oracy"


def test_keyset_pages_walk_every_session_once(world, school_offer):
    for i in range(7):
        school_offer(f"Offer {i}", days=i + 1)
    qs = queries.catalogue(world.people["teacher"], {})
    seen, cursor = [], None
    while True:
        items, cursor = queries.page_of(qs, cursor, size=3)
        seen += [s.pk for s in items]
        if not cursor:
            break
    assert len(seen) == 7 and len(set(seen)) == 7


def test_a_garbled_cursor_gives_an_empty_page(world, school_offer):
    school_offer()
    items, cursor = queries.page_of(queries.catalogue(world.people["teacher"], {}), "%%%")
    assert items == [] and cursor is None


def test_catalogue_page_query_count_does_not_grow_with_results(
    world, school_offer, django_assert_max_num_queries
):
    school_offer("One", focus=["TS1"])
    user = world.people["teacher"]

    def run():
        user.__dict__.pop("_staffroom_access", None)
        with CaptureQueriesContext(connection) as ctx:
            items, _ = queries.page_of(queries.catalogue(user, {}), None)
            for s in items:
                _ = (s.offer.focus_labels, s.offer.owner_label, s.places_left, s.next_starts_at)
        return len(ctx.captured_queries)

    few = run()
    for i in range(15):
        school_offer(f"More {i}", focus=["TS2", "M01"])
    assert run() == few
    user.__dict__.pop("_staffroom_access", None)
    # The gate (two), the offers ranked by fit (one per scope), the sessions (scored, then
    # by date), the page's offers with their owners, their focus tags.
    with django_assert_max_num_queries(8):
        items, _ = queries.page_of(queries.catalogue(user, {}), None)
        for s in items:
            _ = (s.offer.focus_labels, s.offer.owner_label)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text index")
def test_full_text_search_uses_the_gin_index(world, school_offer):
    school_offer("Retrieval", description="retrieval practice")
    sql, params = queries.text_matches("retrieval").values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "offer_search_idx" in plan
