"""Routes of the monitoring app."""

from werkbrug.monitoring import programme_views, report_views, views

app_name = "monitoring"

urlpatterns = [
    *report_views.urlpatterns,
    *programme_views.urlpatterns,
    *views.urlpatterns,
]
