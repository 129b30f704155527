"""Routes of the placements app (the staff pages in views.py)."""

from werkbrug.placements import views

app_name = "placements"

urlpatterns = [*views.urlpatterns]
