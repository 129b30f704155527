from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "werkbrug.regions"
    label = "regions"
    verbose_name = "Regio's en organisaties"

    def ready(self) -> None:
        from werkbrug.regions import navigation, scopes  # noqa: F401 - registers rules
