from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "isa.portal"
    label = "portal"
    verbose_name = _("Participant's space")

    def ready(self) -> None:
        from isa.core.registry import (
            register_audit_describer,
            register_demo_logins,
            register_demo_seeder,
            register_subject_exporter,
        )
        from isa.people.panels import register_file_panel
        from isa.portal import audit, subject_access
        from isa.portal.demo import demo_portal_logins, seed_portal
        from isa.portal.views import file_panel

        register_file_panel(2, file_panel)
        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
        register_subject_exporter(90, "portal", subject_access.export, covers=subject_access.COVERS)
        register_demo_seeder(80, "two participants' own spaces", seed_portal)
        register_demo_logins(demo_portal_logins)
