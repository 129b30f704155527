from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "werkbrug.evaluation"
    label = "evaluation"
    verbose_name = "Evaluatie en effectmeting"

    def ready(self) -> None:
        from werkbrug.evaluation import (  # noqa: F401 - registration on import
            navigation,
            permissions,
            scopes,
        )
