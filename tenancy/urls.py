from django.urls import path

from tenancy import views

app_name = "tenancy"
urlpatterns = [
    path("schools/", views.school_list, name="school_list"),
    path("schools/new/", views.school_create, name="school_create"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("schools/<int:pk>/edit/", views.school_edit, name="school_edit"),
    path("networks/", views.network_list, name="network_list"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("networks/<int:pk>/edit/", views.network_edit, name="network_edit"),
    path("networks/<int:pk>/schools/", views.network_add_school, name="network_add_school"),
    path(
        "networks/<int:pk>/schools/<int:school_pk>/leave/",
        views.network_remove_school,
        name="network_remove_school",
    ),
]
