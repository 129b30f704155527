"""Routes of the monitoring app."""

from werkbrug.monitoring import views

app_name = "monitoring"

urlpatterns = [*views.urlpatterns]
