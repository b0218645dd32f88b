from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "isa.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from isa.core.models import Role
        from isa.core.registry import (
            programme_link,
            register_audit_describer,
            register_demo_seeder,
            register_navigation,
            register_programme_panel,
        )
        from isa.reports import audit
        from isa.reports.demo import seed_reports
        from isa.reports.views import programme_panel

        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
        # The funders' way in; the team's navigation is full (one row on a desktop): the
        # team reaches the reports from the programme page.
        register_programme_panel(50, programme_panel)
        register_navigation(
            85,
            programme_link(
                _("Reports"),
                "report_list",
                roles={Role.FUNDER},
                also_active=("report_version", "report_draft", "report_proxies"),
            ),
        )
        register_demo_seeder(90, "a published report for the last complete year", seed_reports)
