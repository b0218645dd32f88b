from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "isa.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from isa.core import signals  # audit of authentication, accounts and devices

        signals.connect_device_audit()
        from isa.core.demo import seed_core
        from isa.core.registry import register_demo_seeder

        register_demo_seeder(0, "organisation, programmes and team", seed_core)
