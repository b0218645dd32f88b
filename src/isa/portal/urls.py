from django.urls import path

from isa.portal import views

F = "p/<id:programme_id>/people/<id:participant_id>/portal/"

urlpatterns = [
    path("portal/", views.portal_home, name="portal_home"),
    path("portal/login/", views.portal_login, name="portal_login"),
    path("portal/welcome/", views.portal_welcome, name="portal_welcome"),
    path("portal/pact/", views.portal_pact, name="portal_pact"),
    path("portal/days/", views.portal_days, name="portal_days"),
    path("portal/works/", views.portal_works, name="portal_works"),
    path("portal/images/<id:image_id>/<str:size>/", views.portal_image, name="portal_image"),
    path("portal/journal/", views.portal_journal, name="portal_journal"),
    path("portal/questionnaires/", views.portal_questionnaires, name="portal_questionnaires"),
    path("portal/consents/", views.portal_consents, name="portal_consents"),
    path("portal/corrections/", views.portal_corrections, name="portal_corrections"),
    path("portal/data/", views.portal_data, name="portal_data"),
    path("portal/data/download.<str:fmt>", views.portal_data_download, name="portal_data_download"),
    path("portal/password/", views.portal_password, name="portal_password"),
    path("portal/second-factor/", views.portal_second_factor, name="portal_second_factor"),
    path(F, views.access_manage, name="portal_access"),
    path(F + "create/", views.access_create, name="portal_access_create"),
    path(F + "letter/", views.access_letter, name="portal_access_letter"),
    path(F + "disable/", views.access_disable, name="portal_access_disable"),
    path(
        F + "second-factor/remove/",
        views.access_second_factor_remove,
        name="portal_access_second_factor_remove",
    ),
    path(
        F + "requests/<id:correction_id>/answer/",
        views.correction_answer,
        name="portal_correction_answer",
    ),
    path(F + "data.<str:fmt>", views.subject_access_team, name="portal_subject_access"),
]
