"""Routes of the placements app (the staff pages in views.py, the benefit-data import in
benefit_views.py, the portal pages in portal.py)."""

from werkbrug.placements import benefit_views, portal, views

app_name = "placements"

urlpatterns = [*benefit_views.urlpatterns, *views.urlpatterns, *portal.urlpatterns]
