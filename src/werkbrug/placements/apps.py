from django.apps import AppConfig


class PlacementsConfig(AppConfig):
    name = "werkbrug.placements"
    label = "placements"
    verbose_name = "Plaatsingen en nazorg"

    def ready(self) -> None:
        from werkbrug.placements import (  # noqa: F401 - registration on import
            data_export,
            navigation,
            panels,
            permissions,
            scopes,
        )

        panels.register()
        data_export.register()
