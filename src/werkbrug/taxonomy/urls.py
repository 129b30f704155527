"""Routes of the taxonomy app (the look-ups live in views.py, with their own urlpatterns)."""

from werkbrug.taxonomy import views

app_name = "taxonomy"

urlpatterns = [*views.urlpatterns]
