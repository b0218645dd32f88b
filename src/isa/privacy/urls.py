from django.urls import path

from isa.privacy import views

urlpatterns = [
    path("p/<id:programme_id>/retention/", views.retention_page, name="privacy_retention"),
    path(
        "p/<id:programme_id>/people/<id:participant_id>/anonymise/",
        views.participant_anonymise,
        name="participant_anonymise",
    ),
    path("p/<id:programme_id>/studies/", views.study_list, name="study_list"),
    path(
        "p/<id:programme_id>/studies/<id:study_id>/export.zip",
        views.study_export,
        name="study_export",
    ),
]
