from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorksConfig(AppConfig):
    name = "isa.works"
    label = "works"
    verbose_name = _("Works and exhibitions")

    def ready(self) -> None:
        from isa.core.models import TEAM_ROLES
        from isa.core.registry import (
            programme_link,
            register_demo_seeder,
            register_navigation,
            register_programme_panel,
        )
        from isa.people.panels import register_file_panel
        from isa.people.timeline import register_source
        from isa.works.demo import seed_works
        from isa.works.views import file_panel, programme_panel, work_items

        register_source(work_items)
        register_programme_panel(25, programme_panel)
        register_navigation(
            40,
            programme_link(
                _("Works"),
                "work_list",
                roles=TEAM_ROLES,
                also_active={"work_detail", "exhibition_list", "exhibition_detail"},
            ),
        )
        register_file_panel(7, file_panel)
        register_demo_seeder(50, "works and exhibitions", seed_works)
        from isa.core.registry import register_subject_exporter
        from isa.works import subject_access

        register_subject_exporter(40, "works", subject_access.export, covers=subject_access.COVERS)
