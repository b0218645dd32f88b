from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Data that leaves and data that ends: encrypted backups that are proven to restore,
    retention and anonymisation, and pseudonymised research exports.

    An app on top of the others (it reads people, journal, works, evaluation…); the lower
    apps learn of it only through core's registries.
    """

    name = "isa.privacy"
    label = "privacy"
    verbose_name = _("Data protection")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from isa.core.models import Role
        from isa.core.registry import (
            programme_link,
            register_audit_describer,
            register_demo_seeder,
            register_navigation,
            register_programme_panel,
        )
        from isa.privacy import audit, files
        from isa.privacy.demo import seed_privacy
        from isa.privacy.views import programme_panel

        connection_created.connect(files.private_sqlite_file, dispatch_uid="isa-private-sqlite")
        files.private_folder_if_present(files.media_root())
        register_programme_panel(90, programme_panel)
        register_navigation(
            95,
            programme_link(_("Research studies"), "study_list", roles={Role.HEAD, Role.RESEARCHER}),
        )
        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
        register_demo_seeder(70, "retention period and a research study", seed_privacy)
