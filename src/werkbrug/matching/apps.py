from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "werkbrug.matching"
    label = "matching"
    verbose_name = "Matching"

    def ready(self) -> None:
        from werkbrug.matching import (  # noqa: F401 - registration on import
            navigation,
            permissions,
            scopes,
            signals,
        )
