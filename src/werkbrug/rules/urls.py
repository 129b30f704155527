"""Routes of the rules app: the rule sets (views.py) and the calculator (calculator_views.py).
Each module keeps its own ``urlpatterns``."""

from werkbrug.rules import calculator_views, views

app_name = "rules"
urlpatterns = [*views.urlpatterns, *calculator_views.urlpatterns]
