from django.urls import reverse

from offers.models import Session


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
    with django_assert_max_num_queries(20):
        client.get(reverse("offers:catalogue"))
