from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PresenceConfig(AppConfig):
    name = "isa.presence"
    label = "presence"
    verbose_name = _("Workshops and presence")

    def ready(self) -> None:
        from isa.core.models import TEAM_ROLES
        from isa.core.registry import (
            programme_link,
            register_audit_describer,
            register_demo_seeder,
            register_navigation,
            register_programme_panel,
        )
        from isa.people.panels import register_file_panel
        from isa.people.timeline import register_source
        from isa.presence import audit
        from isa.presence.demo import seed_presence
        from isa.presence.timeline import presence_items
        from isa.presence.views import file_panel, programme_panel

        register_source(presence_items)
        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
        register_programme_panel(20, programme_panel)
        register_navigation(
            10,
            programme_link(
                _("Register"), "register_today", roles=TEAM_ROLES, also_active={"register_session"}
            ),
        )
        register_file_panel(10, file_panel)
        register_demo_seeder(20, "workshops, sessions and two years of presence", seed_presence)
        from isa.core.registry import register_subject_exporter
        from isa.presence import subject_access

        register_subject_exporter(
            20, "presence", subject_access.export, covers=subject_access.COVERS
        )
