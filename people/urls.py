from django.urls import path

from people import views, views_import

app_name = "people"
urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("profile/", views.profile, name="profile"),
    path("profile/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/archive/", views.staff_archive, name="staff_archive"),
    path("schools/<int:school_pk>/staff/new/", views.staff_add, name="staff_add"),
    path("schools/<int:school_pk>/teams/", views.team_list, name="team_list"),
    path("teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("import/", views_import.import_roster, name="import_roster"),
    path("import/<int:pk>/", views_import.import_status, name="import_status"),
]
