from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from offers.models import Session
from tenancy.models import Subject


def test_teacher_sees_the_catalogue_with_places_and_next_date(world, school_offer, client_for):
    offer, session = school_offer("Retrieval practice", focus=["M02"])
    response = client_for(world.people["teacher"]).get(reverse("offers:catalogue"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Retrieval practice" in body
    assert "20 places left" in body and "M02" in body and "Whole school" in body
    assert "Riverside Primary" in body


def test_a_full_session_shows_the_waiting_list(world, school_offer, client_for):
    _, session = school_offer("Popular", capacity=1)
    Session.objects.filter(pk=session.pk).update(confirmed_count=1)
    body = client_for(world.people["teacher"]).get(reverse("offers:catalogue")).content.decode()
    assert "waiting list" in body


def test_htmx_search_returns_only_the_results(world, school_offer, client_for):
    school_offer("Retrieval practice")
    school_offer("Behaviour")
    response = client_for(world.people["teacher"]).get(
        reverse("offers:catalogue"), {"q": "Behaviour"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Behaviour" in body and "Retrieval practice" not in body


def test_bad_filter_values_never_break_the_page(world, school_offer, client_for):
    school_offer()
    response = client_for(world.people["teacher"]).get(
        reverse("offers:catalogue"),
        {"from": "not-a-date", "network": "abc", "after": "zzz", "subject": "99999"},
    )
    assert response.status_code == 200


def test_later_results_link_pages_on(world, school_offer, client_for):
    for i in range(22):
        school_offer(f"Offer {i:02d}", days=i + 1)
    client = client_for(world.people["teacher"])
    first = client.get(reverse("offers:catalogue"))
    assert "Later results" in first.content.decode()
    after = first.context["next_query"]
    second = client.get(reverse("offers:catalogue") + "?" + after)
    assert [s.offer.title for s in second.context["items"]] == ["Offer 20", "Offer 21"]


def test_the_catalogue_link_is_in_the_menu(world, client_for):
    body = client_for(world.people["teacher"]).get(reverse("home")).content.decode()
    assert reverse("offers:catalogue") in body


def test_catalogue_page_query_count_is_pinned(
    world, school_offer, client_for, django_assert_max_num_queries
):
    for i in range(12):
        school_offer(f"Offer {i}", focus=["TS1"])
    client = client_for(world.people["teacher"])
    with django_assert_max_num_queries(15):  # and the filter's lists, once, into the cache
        client.get(reverse("offers:catalogue"))
    # Session and user, the gate (two), the catalogue (ranked offers per scope, sessions
    # scored then by date, the page's offers, their focus tags), the unread count.
    with django_assert_max_num_queries(11):
        client.get(reverse("offers:catalogue"))


def test_catalogue_query_count_does_not_grow_with_the_results(
    world, school_offer, network_event, client_for, django_assert_num_queries
):
    school_offer("First", focus=["TS1"])
    client = client_for(world.people["teacher"])
    client.get(reverse("offers:catalogue"))  # the filter's reference lists are cached
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("offers:catalogue"))
    for i in range(15):
        school_offer(f"Offer {i}", focus=["TS1", "M02"])
        network_event(f"Event {i}")
    with django_assert_num_queries(len(one)):
        client.get(reverse("offers:catalogue"))


def test_a_new_subject_is_in_the_subject_filter_at_once(world, school_offer, client_for):
    school_offer()
    client = client_for(world.people["teacher"])
    assert "Astronomy" not in client.get(reverse("offers:catalogue")).content.decode()
    Subject.objects.create(name="Astronomy")
    body = client.get(reverse("offers:catalogue")).content.decode()
    assert '<option value="Astronomy">Astronomy</option>' in body


def test_the_chosen_filters_stay_selected(world, school_offer, client_for):
    school_offer()
    body = (
        client_for(world.people["teacher"])
        .get(reverse("offers:catalogue"), {"mode": "online", "strand": "team"})
        .content.decode()
    )
    assert '<option value="online" selected>' in body
    assert '<option value="team" selected>Team</option>' in body
    assert '<option value="whole_school">Whole school</option>' in body


def test_filter_labels_are_escaped(world, school_offer, client_for):
    school_offer()
    Subject.objects.create(name="<b>Art</b> & design")
    body = client_for(world.people["teacher"]).get(reverse("offers:catalogue")).content.decode()
    assert "&lt;b&gt;Art&lt;/b&gt; &amp; design" in body and "<b>Art</b>" not in body


def test_a_new_school_priority_is_in_the_focus_filter_at_once(world, school_offer, client_for):
    from offers.models import FocusTag

    school_offer()
    client = client_for(world.people["teacher"])
    assert "Oracy for all" not in client.get(reverse("offers:catalogue")).content.decode()
    FocusTag.objects.create(kind="priority", code="P9", name="Oracy for all", school=world.school)
    body = client.get(reverse("offers:catalogue")).content.decode()
    assert '<option value="P9">Oracy for all</option>' in body
    other = client_for(world.people["outsider"]).get(reverse("offers:catalogue"))
    assert "Oracy for all" not in other.content.decode()
