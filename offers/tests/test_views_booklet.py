import datetime

from django.urls import reverse
from django.utils import timezone

from offers import booklet, services


def aware(y, m, d, h=16):
    return timezone.make_aware(datetime.datetime(y, m, d, h))


def test_terms_follow_the_documented_rule(settings):
    assert booklet.term_span(2025, "autumn") == (aware(2025, 9, 1, 0), aware(2026, 1, 1, 0))
    assert booklet.term_span(2025, "spring") == (aware(2026, 1, 1, 0), aware(2026, 4, 1, 0))
    assert booklet.term_span(2025, "summer") == (aware(2026, 4, 1, 0), aware(2026, 9, 1, 0))
    assert booklet.current_year(datetime.date(2026, 2, 3)) == 2025


def test_term_starts_are_configurable(settings):
    settings.ACADEMIC_TERM_STARTS = (("autumn", (9, 1)), ("spring", (1, 1)), ("summer", (4, 20)))
    assert booklet.term_span(2025, "spring")[1] == aware(2026, 4, 20, 0)


def make_year(world):
    lead = world.people["cpd_lead"]
    ours = services.create_offer(lead, title="Coaching", school=world.school, for_teams=True)
    services.add_session(lead, ours, dates=[(aware(2025, 10, 7), aware(2025, 10, 7, 17))])
    spring = services.create_offer(lead, title="Spring thing", school=world.school)
    services.add_session(lead, spring, dates=[(aware(2026, 2, 3), aware(2026, 2, 3, 17))])
    event = services.create_offer(
        world.people["network_lead"], title="Trust day", kind="network_event", network=world.network
    )
    services.add_session(None, event, dates=[(aware(2025, 11, 3), aware(2025, 11, 3, 17))])
    other = services.create_offer(None, title="Faraway", school=world.elsewhere)
    services.add_session(None, other, dates=[(aware(2025, 10, 8), aware(2025, 10, 8, 17))])


def test_booklet_groups_the_terms_offer_by_strand(world):
    make_year(world)
    b = booklet.build(world.school, year=2025, term="autumn")
    by_strand = {s.code: [o.title for o in s.offers] for s in b.strands}
    assert by_strand["whole_school"] == ["Coaching", "Trust day"]
    assert by_strand["team"] == ["Coaching"]
    assert "Spring thing" not in str(by_strand) and "Faraway" not in str(by_strand)


def test_booklet_page_is_printable(world, client_for):
    make_year(world)
    response = client_for(world.people["teacher"]).get(
        reverse("offers:booklet", args=[world.school.pk]), {"year": "2025"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Coaching" in body and "Spring thing" in body and "booklet.css" in body


def test_booklet_downloads_as_a_pdf(world, client_for):
    make_year(world)
    response = client_for(world.people["teacher"]).get(
        reverse("offers:booklet_pdf", args=[world.school.pk]), {"year": "2025", "term": "autumn"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_outsider_gets_404_for_another_schools_booklet(world, client_for):
    response = client_for(world.people["outsider"]).get(
        reverse("offers:booklet", args=[world.school.pk])
    )
    assert response.status_code == 404
