from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "tenancy"
    verbose_name = "Schools and networks"

    def ready(self) -> None:
        from tenancy import signals  # noqa: F401
