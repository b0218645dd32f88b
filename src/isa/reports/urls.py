from django.urls import path

from isa.reports import views

P = "p/<id:programme_id>/reports/"
V = P + "<id:version_id>/"

urlpatterns = [
    path(P, views.report_list, name="report_list"),
    path(P + "draft/", views.report_draft, name="report_draft"),
    path(P + "proxies/", views.report_proxies, name="report_proxies"),
    path(
        P + "proxies/<slug:code>/remove/",
        views.report_proxy_remove,
        name="report_proxy_remove",
    ),
    path(V, views.report_version, name="report_version"),
    path(V + "publish/", views.report_publish, name="report_publish"),
    path(V + "correct/", views.report_correct, name="report_correct"),
    path(V + "download.<slug:fmt>", views.report_download, name="report_download"),
    path(V + "tables/<slug:table>.csv", views.report_table_csv, name="report_table_csv"),
    path("reports/funded/", views.funded_reports, name="funded_reports"),
    path("reports/funded/<int:year>/", views.funded_combined, name="funded_combined"),
    path(
        "reports/funded/<int:year>/download.<slug:fmt>",
        views.funded_combined_download,
        name="funded_combined_download",
    ),
]
