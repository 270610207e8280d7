from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from staffroom import views
from staffroom.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bench/floor", views.floor, name="floor"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("tenancy.urls")),
    path("people/", include("people.urls")),
    path("cpd/", include("offers.urls")),
    path("", include("booking.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler404 = "staffroom.errors.not_found"
handler403 = "staffroom.errors.forbidden"
handler400 = "staffroom.errors.bad_request"
handler500 = "staffroom.errors.server_error"
