from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "werkbrug.candidates"
    label = "candidates"
    verbose_name = "Kandidaten"

    def ready(self) -> None:
        from werkbrug.candidates import (  # noqa: F401 - registration on import
            navigation,
            panels,
            permissions,
            scopes,
        )

        panels.register()
