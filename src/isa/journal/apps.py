from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JournalConfig(AppConfig):
    name = "isa.journal"
    label = "journal"
    verbose_name = _("Journal")

    def ready(self) -> None:
        from isa.core.models import TEAM_ROLES
        from isa.core.registry import (
            programme_link,
            register_audit_describer,
            register_audit_person_finder,
            register_demo_seeder,
            register_navigation,
        )
        from isa.journal import audit
        from isa.journal.demo import seed_journal
        from isa.journal.timeline import journal_items
        from isa.journal.views import file_panel
        from isa.people.panels import register_file_panel
        from isa.people.timeline import register_source

        register_source(journal_items)
        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
        register_audit_person_finder(audit.find_person)
        register_file_panel(5, file_panel)
        register_navigation(
            20,
            programme_link(
                pgettext_lazy("navigation", "Journal"),
                "journal_list",
                roles=TEAM_ROLES,
                also_active={"journal_entry"},
            ),
        )
        register_demo_seeder(30, "journal of small steps", seed_journal)
        from isa.core.registry import register_subject_exporter
        from isa.journal import subject_access

        register_subject_exporter(
            30, "journal", subject_access.export, covers=subject_access.COVERS
        )
