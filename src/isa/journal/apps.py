from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "isa.journal"
    label = "journal"
    verbose_name = _("Journal")

    def ready(self) -> None:
        from isa.core.registry import register_demo_seeder
        from isa.journal.demo import seed_journal
        from isa.journal.timeline import journal_items
        from isa.journal.views import file_panel
        from isa.people.panels import register_file_panel
        from isa.people.timeline import register_source

        register_source(journal_items)
        register_file_panel(5, file_panel)
        register_demo_seeder(30, "journal of small steps", seed_journal)
