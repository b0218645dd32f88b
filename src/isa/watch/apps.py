from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WatchConfig(AppConfig):
    name = "isa.watch"
    label = "watch"
    verbose_name = _("The watch")

    def ready(self) -> None:
        from isa.core.models import Role
        from isa.core.registry import (
            programme_link,
            register_demo_seeder,
            register_navigation,
            register_programme_panel,
        )
        from isa.people.panels import register_file_panel
        from isa.watch import rules
        from isa.watch.demo import seed_watch
        from isa.watch.views import file_panel, programme_panel

        rules.register_builtin_rules()
        from isa.evaluation.signals import questionnaire_scored
        from isa.watch import evaluation_rule

        evaluation_rule.register()
        questionnaire_scored.connect(
            evaluation_rule.on_questionnaire_scored, dispatch_uid="watch_low_score"
        )
        register_programme_panel(30, programme_panel)
        register_navigation(
            50,
            programme_link(
                _("Watch"),
                "watch_board",
                roles={Role.HEAD, Role.SOCIAL_WORKER, Role.WATCHER},
                also_active={"watch_alert"},
            ),
        )
        register_file_panel(3, file_panel)
        register_demo_seeder(40, "the watch: rules run once, a few alerts and outreach", seed_watch)
        from isa.core.registry import register_subject_exporter
        from isa.watch import subject_access

        register_subject_exporter(60, "watch", subject_access.export, covers=subject_access.COVERS)
