from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "werkbrug.meetings"
    label = "meetings"
    verbose_name = "Prettig gesprek"

    def ready(self) -> None:
        from werkbrug.meetings import (  # noqa: F401 - registration on import
            data_export,
            navigation,
            permissions,
            scopes,
        )

        data_export.register()
