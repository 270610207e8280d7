from django.urls import path

from offers import views

app_name = "offers"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    path(
        "offers/<int:pk>/publish/",
        views.offer_status,
        {"action": "publish"},
        name="offer_publish",
    ),
    path(
        "offers/<int:pk>/archive/",
        views.offer_status,
        {"action": "archive"},
        name="offer_archive",
    ),
    path("offers/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("offers/<int:pk>/interest/", views.interest, name="interest"),
    path(
        "offers/<int:pk>/approve/",
        views.proposal_decision,
        {"decision": "approve"},
        name="proposal_approve",
    ),
    path(
        "offers/<int:pk>/decline/",
        views.proposal_decision,
        {"decision": "decline"},
        name="proposal_decline",
    ),
    path("schools/<int:school_pk>/offer/", views.our_offer, name="our_offer"),
    path("schools/<int:school_pk>/proposals/", views.proposals, name="proposals"),
    path("schools/<int:school_pk>/priorities/", views.priorities, name="priorities"),
    path("schools/<int:school_pk>/booklet/", views.booklet, name="booklet"),
    path("schools/<int:school_pk>/booklet.pdf", views.booklet_pdf, name="booklet_pdf"),
]
