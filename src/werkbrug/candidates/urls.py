"""Routes of the candidates app: staff pages (views.py), case actions (views_case.py), the
candidate portal and the employer's view of shared candidates (portal.py), and the caseload
import (io_views.py). Each module keeps its own ``urlpatterns``."""

from werkbrug.candidates import io_views, portal, views, views_case

app_name = "candidates"

urlpatterns = [
    *io_views.urlpatterns,
    *views_case.urlpatterns,
    *views.urlpatterns,
    *portal.urlpatterns,
]
