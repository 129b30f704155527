"""Routes of the monitoring app."""

from werkbrug.monitoring import report_views, views

app_name = "monitoring"

urlpatterns = [*report_views.urlpatterns, *views.urlpatterns]
