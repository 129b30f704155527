from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerOauthRedirectView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from werkbrug.api.auth import TokenView
from werkbrug.candidates import api as candidates_api
from werkbrug.core.access import PUBLIC
from werkbrug.core.views_base import declared
from werkbrug.employers import api as employers_api
from werkbrug.evaluation import api as evaluation_api
from werkbrug.matching import api as matching_api
from werkbrug.meetings import api as meetings_api
from werkbrug.monitoring import api as monitoring_api
from werkbrug.placements import api as placements_api
from werkbrug.regions import api as regions_api
from werkbrug.rules import api as rules_api
from werkbrug.rules import calculator_api

router = SimpleRouter(trailing_slash=False)
regions_api.register(router)
employers_api.register(router)
matching_api.register(router)
meetings_api.register(router)
placements_api.register(router)
candidates_api.register(router)
rules_api.register(router)
calculator_api.register(router)
monitoring_api.register(router)
evaluation_api.register(router)

urlpatterns = [
    path("auth/token", declared(PUBLIC, TokenView.as_view()), name="api-token"),
    path("schema", declared(PUBLIC, SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "docs",
        declared(PUBLIC, SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "docs/oauth2-redirect.html",
        declared(PUBLIC, SpectacularSwaggerOauthRedirectView.as_view()),
        name="api-docs-oauth2",
    ),
    path("", include(router.urls)),
]
