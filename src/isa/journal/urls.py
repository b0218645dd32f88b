from django.urls import path

from isa.journal import views

P = "p/<id:programme_id>/journal/"

urlpatterns = [
    path(P, views.journal_list, name="journal_list"),
    path(P + "new/", views.entry_create, name="entry_create"),
    path(P + "aid/", views.writing_aid, name="writing_aid"),
    path(P + "<id:entry_id>/", views.entry_detail, name="journal_entry"),
    path(P + "<id:entry_id>/correct/", views.entry_correct, name="entry_correct"),
]
