from django.apps import AppConfig


class EmployersConfig(AppConfig):
    name = "werkbrug.employers"
    label = "employers"
    verbose_name = "Werkgevers"

    def ready(self) -> None:
        from werkbrug.employers import (  # noqa: F401 - registration on import
            navigation,
            panels,
            permissions,
            portal_panels,
            scopes,
        )

        panels.register()
        portal_panels.register()
