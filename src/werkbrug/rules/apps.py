from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "werkbrug.rules"
    label = "rules"
    verbose_name = "Regels en instrumenten"

    def ready(self) -> None:
        from werkbrug.rules import navigation, permissions, scopes  # noqa: F401 - registration on import
