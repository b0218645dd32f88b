from django.urls import path

from isa.evaluation.views import questionnaires, records, results, tablet

P = "p/<id:programme_id>/evaluation/"
F = "p/<id:programme_id>/people/<id:participant_id>/evaluation/"
T = P + "tablet/<id:administration_id>/"

urlpatterns = [
    # a person
    path(F, results.evaluation_person, name="evaluation_person"),
    path(F + "start/", questionnaires.questionnaire_start, name="questionnaire_start"),
    path(F + "paper/", questionnaires.questionnaire_paper, name="questionnaire_paper"),
    path(F + "decline/", questionnaires.questionnaire_decline, name="questionnaire_decline"),
    path(F + "effects/", records.effects_grid, name="effects_grid"),
    path(F + "effects/new/", records.effects_record, name="effects_record"),
    path(F + "health/", records.health_indicators, name="health_indicators"),
    path(P + "health/<id:period_id>/delete/", records.health_delete, name="health_delete"),
    path(
        P + "administrations/<id:administration_id>/",
        questionnaires.administration_detail,
        name="administration_detail",
    ),
    path(
        P + "administrations/<id:administration_id>/close/",
        questionnaires.questionnaire_close,
        name="questionnaire_close",
    ),
    # the tablet, locked to one questionnaire
    path(T, tablet.questionnaire_intro, name="questionnaire_intro"),
    path(T + "item/<int:number>/", tablet.questionnaire_item, name="questionnaire_item"),
    path(T + "stop/", tablet.questionnaire_stop, name="questionnaire_stop"),
    path(T + "done/", tablet.questionnaire_done, name="questionnaire_done"),
    path(T + "unlock/", tablet.questionnaire_unlock, name="questionnaire_unlock"),
    # the programme
    path(P + "results/", results.evaluation_group, name="evaluation_group"),
    path(
        P + "results/<slug:instrument>/<int:loaded>/<slug:kind>.svg",
        results.evaluation_group_chart,
        name="evaluation_group_chart",
    ),
    path(P + "instruments/", records.instrument_list, name="instrument_list"),
    path(P + "instruments/upload/", records.instrument_upload, name="instrument_upload"),
]
