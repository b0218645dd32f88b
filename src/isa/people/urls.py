from django.urls import path

from isa.people import views

P = "p/<id:programme_id>/"
F = P + "people/<id:participant_id>/"

urlpatterns = [
    path(P + "people/", views.participant_list, name="participant_list"),
    path(P + "people/import/", views.participant_import, name="participant_import"),
    path(
        P + "people/import/template.<str:fmt>",
        views.import_template,
        name="participant_import_template",
    ),
    path(F, views.participant_detail, name="participant"),
    path(F + "edit/", views.participant_edit, name="participant_edit"),
    path(F + "admit/", views.participant_admit, name="participant_admit"),
    path(F + "pause/", views.participant_pause, name="participant_pause"),
    path(F + "resume/", views.participant_resume, name="participant_resume"),
    path(F + "exit/", views.participant_exit, name="participant_exit"),
    path(F + "pact/", views.pact_edit, name="pact_edit"),
    path(F + "milestones/", views.milestone_add, name="milestone_add"),
    path(F + "consents/", views.consent_edit, name="consent_edit"),
    path(P + "referrals/", views.referral_list, name="referral_list"),
    path(P + "referrals/new/", views.referral_create, name="referral_create"),
    path(P + "waiting/", views.waiting_list, name="waiting_list"),
    path(
        P + "referrals/<id:referral_id>/status/",
        views.referral_status,
        name="referral_status",
    ),
]
