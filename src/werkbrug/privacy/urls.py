"""Routes of the privacy app (views.py)."""

from werkbrug.privacy import views

app_name = "privacy"

urlpatterns = views.urlpatterns
