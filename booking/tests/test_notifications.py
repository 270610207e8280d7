import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from booking.factories import make_offer, make_session, paid_course
from booking.housekeeping import send_due_reminders
from booking.models import Notification
from booking.receivers import on_session_cancelled, on_session_changed
from booking.services import book_session, cancel_booking
from offers.models import Session
from tenancy.factories import make_staff

pytestmark = pytest.mark.django_db


def test_a_confirmation_is_sent_only_after_commit(
    world, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        book_session(world.people["teacher"], session)
        assert mail.outbox == []  # nothing under the lock
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.people["teacher"].email]
    assert mail.outbox[0].subject.startswith("Booked:")
    assert Notification.objects.get().kind == "confirmed"


def test_with_a_database_queue_the_notification_is_queued_inside_the_booking_transaction(
    world, session, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks() as callbacks:
        booking = book_session(world.people["teacher"], session)
    assert callbacks == []  # no second transaction after commit
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "booking.tasks.deliver"
    assert queued.args_kwargs["kwargs"]["booking_id"] == booking.pk
    assert mail.outbox == []  # the worker sends it once the booking has committed


def test_a_booking_cancelled_before_its_notice_goes_out_gets_no_booked_notice(
    world, session, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        booking = book_session(world.people["teacher"], session)
    cancel_booking(world.people["teacher"], booking)
    for callback in queued:  # the worker reaches the notice only now
        callback()
    assert not Notification.objects.filter(kind="confirmed").exists()
    assert mail.outbox == []


def test_a_booking_rolled_back_leaves_no_notification_queued(world, session, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        book_session(world.people["teacher"], session)
        raise RuntimeError("the caller's transaction fails after the booking")
    assert not DBTaskResult.objects.exists()
    assert not Notification.objects.exists()


def test_a_waiting_place_and_an_offered_place_are_notified(
    world, django_capture_on_commit_callbacks
):
    session = make_session(make_offer(school=world.school), capacity=1)
    first, second = make_staff(world.school).user, make_staff(world.school).user
    with django_capture_on_commit_callbacks(execute=True):
        taken = book_session(first, session)
    with django_capture_on_commit_callbacks(execute=True):
        book_session(second, session)
    assert "number 1 on the waiting list" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(first, taken)
    assert mail.outbox[-1].subject.startswith("A place is free")
    assert "accept it by" in mail.outbox[-1].body


def test_approvers_hear_of_a_request_and_the_teacher_of_the_decision(
    world, django_capture_on_commit_callbacks
):
    from booking.services import approve_booking

    course = make_session(paid_course(world.people["provider"]))
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_session(world.people["teacher"], course)
    to = {m.to[0] for m in mail.outbox}
    assert world.people["cpd_lead"].email in to
    with django_capture_on_commit_callbacks(execute=True):
        approve_booking(world.people["cpd_lead"], booking)
    assert mail.outbox[-1].subject.startswith("Approved")


def test_reminders_go_once_the_day_before(world, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    soon = make_session(
        make_offer(school=world.school), starts_at=timezone.now() + datetime.timedelta(hours=20)
    )
    book_session(world.people["teacher"], soon)
    assert send_due_reminders() == 1
    assert send_due_reminders() == 0
    assert Notification.objects.filter(kind="reminder").count() == 1


def test_people_booked_hear_when_a_session_changes_or_is_cancelled(
    world, session, django_capture_on_commit_callbacks
):
    book_session(world.people["teacher"], session)
    with django_capture_on_commit_callbacks(execute=True):
        on_session_changed(Session, session=session, changes={"dates": [[], []]})
    assert mail.outbox[-1].subject.startswith("Changed")
    Session.objects.filter(pk=session.pk).update(status="cancelled", sequence=1)
    session.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        on_session_cancelled(Session, session=session, reason="Snow")
    assert mail.outbox[-1].subject.startswith("Cancelled")
    assert session.bookings.get().status == "cancelled"
    session.refresh_from_db()
    assert session.confirmed_count == 0


def test_the_offer_side_signals_reach_booking(world, session, django_capture_on_commit_callbacks):
    from offers import services as offer_services

    book_session(world.people["teacher"], session)
    with django_capture_on_commit_callbacks(execute=True):
        offer_services.cancel_session(world.people["cpd_lead"], session, reason="Ofsted")
    assert session.bookings.get().status == "cancelled"
    assert mail.outbox[-1].subject.startswith("Cancelled")


def test_the_notifications_page_shows_the_unread_count_and_marks_read(
    world, session, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book_session(world.people["teacher"], session)
    client = client_for(world.people["teacher"])
    page = client.get(reverse("booking:notifications"))
    assert "Notifications (1)" in page.content.decode()
    note = Notification.objects.get()
    client.post(reverse("booking:mark_read", args=[note.pk]))
    note.refresh_from_db()
    assert note.read_at is not None
    assert "Notifications (1)" not in client.get(reverse("booking:notifications")).content.decode()
