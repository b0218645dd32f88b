from django.urls import path

from isa.watch import views

P = "p/<id:programme_id>/watch/"
A = P + "alerts/<id:alert_id>/"

urlpatterns = [
    path(P, views.board, name="watch_board"),
    path(P + "rules/", views.rules_settings, name="watch_rules"),
    path(A, views.alert_detail, name="watch_alert"),
    path(A + "outreach/", views.outreach_add, name="watch_outreach"),
    path(A + "resolve/", views.alert_resolve, name="watch_resolve"),
    path(A + "take/", views.alert_take, name="watch_take"),
]
