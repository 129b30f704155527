from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "werkbrug.monitoring"
    label = "monitoring"
    verbose_name = "Sturing en rapportage"

    def ready(self) -> None:
        from werkbrug.monitoring import (  # noqa: F401 - registration on import
            navigation,
            panels,
            permissions,
            scopes,
        )

        panels.register()
