"""Routes of the meetings app: the staff pages (views.py) and the public answer page and
printouts (public.py). Each module keeps its own ``urlpatterns``."""

from werkbrug.meetings import public, views

app_name = "meetings"

urlpatterns = [*views.urlpatterns, *public.urlpatterns]
