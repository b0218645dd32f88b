from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "isa.people"
    label = "people"
    verbose_name = _("Participants")

    def ready(self) -> None:
        from isa.core.models import TEAM_ROLES, Role
        from isa.core.registry import (
            programme_link,
            register_audit_describer,
            register_audit_person_finder,
            register_demo_seeder,
            register_navigation,
            register_occupancy,
            register_programme_panel,
        )
        from isa.people import audit, timeline
        from isa.people.demo import seed_people
        from isa.people.models import occupancy_by_programme
        from isa.people.views import programme_panel

        register_occupancy(occupancy_by_programme)
        register_programme_panel(10, programme_panel)
        register_navigation(
            30,
            programme_link(
                _("Participants"), "participant_list", roles=TEAM_ROLES, also_active={"participant"}
            ),
        )
        register_navigation(
            60,
            programme_link(
                _("Waiting list"), "waiting_list", roles={Role.HEAD, Role.SOCIAL_WORKER}
            ),
        )
        register_navigation(
            80, programme_link(_("My referrals"), "referral_list", roles={Role.REFERRER})
        )
        timeline.register_source(timeline.people_items)
        register_audit_describer(["*"], audit.name_people)
        register_audit_describer(audit.OBJECT_TYPES, audit.describe)
        register_audit_person_finder(audit.find_person)
        register_demo_seeder(10, "participants, referrals, stays, pacts and consents", seed_people)
        from isa.core.registry import register_subject_exporter
        from isa.people import subject_access

        register_subject_exporter(10, "people", subject_access.export, covers=subject_access.COVERS)
