"""Routes of the matching app: staff pages for suggestions and shortlists (views.py), work for
a candidate and the fairness report (views_work.py), and the portal pieces (portal.py). Each
module keeps its own ``urlpatterns``."""

from werkbrug.matching import portal, views, views_work

app_name = "matching"

urlpatterns = [*views.urlpatterns, *views_work.urlpatterns, *portal.urlpatterns]
