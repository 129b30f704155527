"""Root URL configuration. Every route carries an access rule (see core/views_base.py); the
access-matrix test enforces it."""

from django.urls import include, path
from django.views.i18n import set_language

from werkbrug.core import views as core_views
from werkbrug.core.views_base import public

handler403 = "werkbrug.core.errors.permission_denied"
handler404 = "werkbrug.core.errors.page_not_found"
handler500 = "werkbrug.core.errors.server_error"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health", core_views.health, name="health"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("", include("werkbrug.accounts.urls")),
    path("", include("werkbrug.core.urls")),
    path("", include("werkbrug.regions.urls")),
    path("", include("werkbrug.employers.urls")),
    path("", include("werkbrug.candidates.urls")),
    path("", include("werkbrug.taxonomy.urls")),
    path("", include("werkbrug.matching.urls")),
    path("", include("werkbrug.meetings.urls")),
    path("", include("werkbrug.rules.urls")),
    path("", include("werkbrug.placements.urls")),
    path("", include("werkbrug.monitoring.urls")),
    path("", include("werkbrug.evaluation.urls")),
    path("", include("werkbrug.privacy.urls")),
    path("api/v1/", include("werkbrug.api.urls")),
]
