"""Routes of the monitoring app."""

from werkbrug.monitoring import observation_views, programme_views, report_views, views

app_name = "monitoring"

urlpatterns = [
    *observation_views.urlpatterns,
    *report_views.urlpatterns,
    *programme_views.urlpatterns,
    *views.urlpatterns,
]
