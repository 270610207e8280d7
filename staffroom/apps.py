from django.apps import AppConfig


class StaffroomConfig(AppConfig):
    name = "staffroom"
    verbose_name = "Staffroom"
