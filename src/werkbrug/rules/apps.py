from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "werkbrug.rules"
    label = "rules"
    verbose_name = "Regels en instrumenten"
