"""Routes of the employers app: staff pages (views.py), the employer portal (portal.py) and
import/export (io_views.py). Each module keeps its own ``urlpatterns``."""

from werkbrug.employers import io_views, portal, views

app_name = "employers"

urlpatterns = [*io_views.urlpatterns, *views.urlpatterns, *portal.urlpatterns]
