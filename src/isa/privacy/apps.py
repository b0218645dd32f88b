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

        from isa.privacy import files

        connection_created.connect(files.private_sqlite_file, dispatch_uid="isa-private-sqlite")
        files.private_folder_if_present(files.media_root())
