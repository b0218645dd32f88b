from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "isa.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from isa.core.models import Role
        from isa.core.registry import (
            programme_link,
            register_demo_seeder,
            register_navigation,
            register_programme_panel,
        )
        from isa.evaluation.demo import seed_evaluation
        from isa.evaluation.timeline import evaluation_items
        from isa.evaluation.views.results import file_panel, programme_panel
        from isa.people.panels import register_file_panel
        from isa.people.timeline import register_source

        register_source(evaluation_items)
        register_file_panel(6, file_panel)
        register_programme_panel(40, programme_panel)
        register_navigation(
            70,
            programme_link(
                _("Evaluation"), "evaluation_group", roles={Role.HEAD, Role.SOCIAL_WORKER}
            ),
        )
        register_demo_seeder(
            60, "questionnaires, effects grid and health indicators", seed_evaluation
        )
        from isa.core.registry import register_subject_exporter
        from isa.evaluation import subject_access

        register_subject_exporter(
            50, "evaluation", subject_access.export, covers=subject_access.COVERS
        )
