from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "isa.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from isa.core import converters, signals  # signals: audit of sign-ins and accounts

        converters.register()  # <id:…> in the addresses of every app

        signals.connect_device_audit()
        from django.contrib.auth.signals import user_logged_in

        from isa.core.middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="isa.core.session_started")
        from isa.core.demo import seed_core
        from isa.core.models import Role
        from isa.core.registry import programme_link, register_demo_seeder, register_navigation

        register_demo_seeder(0, "organisation, programmes and team", seed_core)
        register_navigation(90, programme_link(_("Team"), "team", roles={Role.HEAD}))
        # Short in the navigation (one row on a desktop); the page's title says it in full.
        register_navigation(
            100,
            programme_link(
                pgettext_lazy("navigation", "Audit log"), "audit_log", roles={Role.HEAD}
            ),
        )
