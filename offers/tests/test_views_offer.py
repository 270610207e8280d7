from django.urls import reverse

from offers import services
from offers.tests.conftest import at


def test_offer_page_shows_sessions_with_dates_place_and_facilitators(
    world, school_offer, client_for
):
    offer, session = school_offer("Coaching", location="Library")
    services.update_session(
        world.people["cpd_lead"], session, facilitators=[world.people["facilitator"]]
    )
    body = (
        client_for(world.people["teacher"])
        .get(reverse("offers:offer_detail", args=[offer.pk]))
        .content.decode()
    )
    assert "Coaching" in body and "Library" in body
    assert str(world.people["facilitator"]) in body
    assert "20 of 20 places left" in body


def test_offer_page_works_before_the_booking_view_exists(world, school_offer, client_for):
    offer, _ = school_offer()
    response = client_for(world.people["teacher"]).get(
        reverse("offers:offer_detail", args=[offer.pk])
    )
    assert response.status_code == 200


def test_a_programme_lists_all_its_dates(world, client_for):
    lead = world.people["cpd_lead"]
    offer = services.create_offer(lead, title="Programme", kind="programme", school=world.school)
    services.add_session(
        lead, offer, dates=[(at(7), at(7, 17), "Unit 1"), (at(14), at(14, 17), "Unit 2")]
    )
    body = (
        client_for(world.people["teacher"])
        .get(reverse("offers:offer_detail", args=[offer.pk]))
        .content.decode()
    )
    assert "Unit 1" in body and "Unit 2" in body


def test_managers_see_edit_and_cancel_teachers_do_not(world, school_offer, client_for):
    offer, _ = school_offer()
    url = reverse("offers:offer_detail", args=[offer.pk])
    lead_body = client_for(world.people["cpd_lead"]).get(url).content.decode()
    assert "Cancel session" in lead_body and "Edit offer" in lead_body
    teacher_body = client_for(world.people["teacher"]).get(url).content.decode()
    assert "Cancel session" not in teacher_body
