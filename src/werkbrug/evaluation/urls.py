"""Routes of the evaluation app: staff pages (views.py) and the public questionnaire
(public.py)."""

from werkbrug.evaluation import public, views

app_name = "evaluation"

urlpatterns = [*views.urlpatterns, *public.urlpatterns]
