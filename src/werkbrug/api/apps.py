from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "werkbrug.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from werkbrug.api import schema  # noqa: F401 - registers OpenAPI extensions
