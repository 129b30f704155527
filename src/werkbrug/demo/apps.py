from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "werkbrug.demo"
    label = "demo"
    verbose_name = "Demo-regio"
