from django.urls import path

from booking import views, views_registers

app_name = "booking"

urlpatterns = [
    path("bookings/", views.my_bookings, name="my_bookings"),
    path("bookings/session/<int:pk>/book/", views.book, name="book"),
    path("bookings/session/<int:pk>/invite/", views.invite, name="invite"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/accept/", views.accept, name="accept"),
    path("bookings/<int:pk>/decline-place/", views.decline_place, name="decline_place"),
    path("bookings/<int:pk>/booking.ics", views.booking_ics, name="booking_ics"),
    path("bookings/<int:pk>/certificate.pdf", views_registers.certificate, name="certificate"),
    path("bookings/<int:pk>/evaluation/", views_registers.evaluate, name="evaluate"),
    path("bookings/approvals/", views.approvals, name="approvals"),
    path("bookings/<int:pk>/approve/", views.decide, {"decision": "approve"}, name="approve"),
    path("bookings/<int:pk>/decline/", views.decide, {"decision": "decline"}, name="decline"),
    path("bookings/invitations/", views.invitations, name="invitations"),
    path("bookings/invitations/<int:pk>/answer/", views.answer, name="answer_invitation"),
    path("registers/session/<int:pk>/", views_registers.register, name="register"),
    path(
        "registers/session/<int:pk>/date/<int:date_pk>/",
        views_registers.register_date,
        name="register_date",
    ),
    path("registers/session/<int:pk>/display/", views_registers.room_display, name="room_display"),
    path("registers/session/<int:pk>/qr.svg", views_registers.qr, name="qr"),
    path(
        "registers/session/<int:pk>/evaluations/",
        views_registers.evaluation_summary,
        name="evaluation_summary",
    ),
    path("check-in/", views_registers.check_in_list, name="check_in_list"),
    path("check-in/<int:pk>/", views_registers.check_in, name="check_in"),
    path("directed-time/", views_registers.my_directed_time, name="directed_time"),
    path(
        "directed-time/school/<int:pk>/",
        views_registers.school_directed_time,
        name="school_directed_time",
    ),
    path("calendar/", views.calendar_feeds, name="calendar_feeds"),
    path("calendar/<int:pk>/revoke/", views.revoke_feed, name="revoke_feed"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
]
