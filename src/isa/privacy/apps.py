from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
            register_subject_exporter,
        )
        from isa.people.locks import register_file_lock
        from isa.privacy import audit, files, services, subject_access
        from isa.privacy.demo import seed_privacy
        from isa.privacy.views import programme_panel

        connection_created.connect(files.private_sqlite_file, dispatch_uid="isa-private-sqlite")
        files.private_folder_if_present(files.media_root())
        register_programme_panel(90, programme_panel)
        register_navigation(
            95,
            # The researcher's one link; the head reaches studies and retention from the
            # programme page's panel (the head's navigation stays one row on a desktop).
            programme_link(
                pgettext_lazy("navigation", "Research"), "study_list", roles={Role.RESEARCHER}
            ),
        )
        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
        register_subject_exporter(
            80, "privacy", subject_access.export, covers=subject_access.COVERS
        )
        register_demo_seeder(70, "retention period and a research study", seed_privacy)
        register_file_lock(services.anonymised_file_lock)
