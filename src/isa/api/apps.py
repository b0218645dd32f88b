from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "isa.api"
    label = "api"
    verbose_name = _("HTTP API")

    def ready(self) -> None:
        from isa.api import audit
        from isa.api.views.tokens import account_panel, programme_panel
        from isa.core.registry import (
            register_account_panel,
            register_audit_describer,
            register_programme_panel,
        )

        register_account_panel(10, account_panel)
        register_programme_panel(90, programme_panel)
        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
