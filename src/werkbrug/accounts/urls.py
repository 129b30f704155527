from django.urls import path

from werkbrug.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.login_view, name="login"),
    path("inloggen/verificatie/", views.verify, name="verify"),
    path("inloggen/2fa-instellen/", views.setup_two_factor, name="setup_2fa"),
    path("uitloggen/", views.logout_view, name="logout"),
    path("inloggen/wachtwoord-vergeten/", views.password_reset, name="password_reset"),
    path(
        "inloggen/wachtwoord-vergeten/verstuurd/",
        views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "inloggen/wachtwoord-herstellen/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "inloggen/wachtwoord-herstellen/klaar/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("profiel/", views.profile, name="profile"),
    path("profiel/wachtwoord/", views.password_change, name="password_change"),
]
