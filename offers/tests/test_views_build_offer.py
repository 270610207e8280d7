from django.urls import reverse

from offers.models import FocusTag, Interest, Offer
from offers.tests.conftest import at


def dt(value):
    return value.strftime("%Y-%m-%dT%H:%M")


def offer_form(**extra):
    data = {
        "title": "Metacognition",
        "kind": "one_off",
        "for_whole_school": "on",
        "mode": "in_person",
        "paid_by": "free",
        "counts_as_directed_time": "on",
        "publish": "on",
    }
    data.update(extra)
    return data


def dates_form(*spans, **extra):
    data = {
        "capacity": "15",
        "dates-TOTAL_FORMS": str(len(spans)),
        "dates-INITIAL_FORMS": "0",
        "dates-MIN_NUM_FORMS": "1",
        "dates-MAX_NUM_FORMS": "60",
    }
    for i, (s, e, t) in enumerate(spans):
        data[f"dates-{i}-starts_at"] = dt(s)
        data[f"dates-{i}-ends_at"] = dt(e)
        data[f"dates-{i}-title"] = t
    data.update(extra)
    return data


def test_cpd_lead_builds_an_offer_then_adds_a_session(world, client_for):
    client = client_for(world.people["cpd_lead"])
    url = reverse("offers:offer_create") + f"?school={world.school.pk}"
    assert client.get(url).status_code == 200
    tag = FocusTag.objects.get(code="TS2")
    response = client.post(
        url,
        offer_form(career_stages=["ect"], phases=["primary"], focus=[tag.pk], directed_hours="1.5"),
    )
    offer = Offer.objects.get(title="Metacognition")
    assert response.status_code == 302
    assert response["Location"] == reverse("offers:session_create", args=[offer.pk])
    assert offer.school == world.school and offer.career_stages == ",ect,"
    response = client.post(
        reverse("offers:session_create", args=[offer.pk]),
        dates_form((at(7), at(7, 17), "Part 1"), (at(14), at(14, 17), "Part 2")),
    )
    assert response.status_code == 302
    session = offer.sessions.get()
    assert session.capacity == 15 and session.dates.count() == 2


def test_bad_session_dates_re_render_with_a_message(world, school_offer, client_for):
    offer, _ = school_offer()
    response = client_for(world.people["cpd_lead"]).post(
        reverse("offers:session_create", args=[offer.pk]),
        dates_form((at(7, 17), at(7, 16), "")),
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()


def test_editing_a_session_moves_its_date(world, school_offer, client_for):
    offer, session = school_offer()
    data = dates_form((at(9), at(9, 17), "Moved"))
    data["dates-INITIAL_FORMS"] = "1"
    response = client_for(world.people["cpd_lead"]).post(
        reverse("offers:session_edit", args=[session.pk]), data
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.starts_at == at(9) and session.sequence == 1


def test_cpd_lead_cancels_a_session(world, school_offer, client_for):
    offer, session = school_offer()
    client_for(world.people["cpd_lead"]).post(reverse("offers:session_cancel", args=[session.pk]))
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_network_lead_builds_a_network_event(world, client_for):
    client = client_for(world.people["network_lead"])
    response = client.post(
        reverse("offers:offer_create") + f"?network={world.network.pk}",
        offer_form(kind="network_event"),
    )
    assert response.status_code == 302
    assert Offer.objects.get(title="Metacognition").network == world.network


def test_editing_an_offer_saves_and_bad_input_re_renders(world, school_offer, client_for):
    offer, _ = school_offer()
    client = client_for(world.people["cpd_lead"])
    url = reverse("offers:offer_edit", args=[offer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, offer_form(title="", cost="-5"))
    assert response.status_code == 200
    response = client.post(url, offer_form(title="Renamed", cost="30"))
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Renamed" and offer.needs_approval


def test_our_offer_shows_uptake_as_chart_and_table(world, school_offer, client_for):
    school_offer("Coaching")
    response = client_for(world.people["cpd_lead"]).get(
        reverse("offers:our_offer", args=[world.school.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="uptake-data"' in body and "chart-4.6.1.umd.min.js" in body
    assert "<table>" in body and "Coaching" in body


def test_teacher_proposes_colleague_shows_interest_lead_approves(world, client_for):
    url = reverse("offers:proposals", args=[world.school.pk])
    client = client_for(world.people["teacher"])
    response = client.post(url, {"title": "Visualisers", "summary": "Live modelling"})
    assert response.status_code == 302
    proposal = Offer.objects.get(title="Visualisers")
    client = client_for(world.people["ect"])
    response = client.post(reverse("offers:interest", args=[proposal.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "1 interested" in response.content.decode()
    assert Interest.objects.filter(offer=proposal).count() == 1
    client.post(reverse("offers:interest", args=[proposal.pk]), HTTP_HX_REQUEST="true")
    assert Interest.objects.filter(offer=proposal).count() == 0
    client = client_for(world.people["cpd_lead"])
    assert "Approve" in client.get(url).content.decode()
    client.post(reverse("offers:proposal_approve", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == "published"


def test_cpd_lead_declines_a_proposal(world, client_for):
    client_for(world.people["teacher"]).post(
        reverse("offers:proposals", args=[world.school.pk]), {"title": "Idea"}
    )
    proposal = Offer.objects.get(title="Idea")
    client_for(world.people["cpd_lead"]).post(
        reverse("offers:proposal_decline", args=[proposal.pk])
    )
    proposal.refresh_from_db()
    assert proposal.status == "declined"


def test_cpd_lead_adds_and_removes_a_priority(world, client_for):
    client = client_for(world.people["cpd_lead"])
    url = reverse("offers:priorities", args=[world.school.pk])
    assert client.post(url, {"name": "Oracy"}).status_code == 302
    tag = FocusTag.objects.get(school=world.school)
    assert "Oracy" in client_for(world.people["teacher"]).get(url).content.decode()
    client = client_for(world.people["cpd_lead"])
    client.post(url, {"remove": tag.pk})
    assert not FocusTag.objects.filter(school=world.school).exists()
