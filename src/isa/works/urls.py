from django.urls import path

from isa.works import views

P = "p/<id:programme_id>/"
W = P + "works/"
E = P + "exhibitions/"
F = P + "people/<id:participant_id>/"

urlpatterns = [
    path(W, views.work_list, name="work_list"),
    path(W + "new/", views.work_create, name="work_create"),
    path(W + "<id:work_id>/", views.work_detail, name="work_detail"),
    path(W + "<id:work_id>/edit/", views.work_edit, name="work_edit"),
    path(W + "<id:work_id>/state/", views.work_state, name="work_state"),
    path(W + "<id:work_id>/images/", views.work_image_add, name="work_image_add"),
    path(W + "<id:work_id>/images/<id:image_id>/", views.work_image_edit, name="work_image_edit"),
    path(W + "images/<id:image_id>/<str:size>/", views.work_image, name="work_image"),
    path(E, views.exhibition_list, name="exhibition_list"),
    path(E + "new/", views.exhibition_create, name="exhibition_create"),
    path(E + "<id:exhibition_id>/", views.exhibition_detail, name="exhibition_detail"),
    path(E + "<id:exhibition_id>/edit/", views.exhibition_edit, name="exhibition_edit"),
    path(E + "<id:exhibition_id>/works/", views.exhibition_works, name="exhibition_works"),
    path(E + "<id:exhibition_id>/press/", views.exhibition_press, name="exhibition_press"),
    path(
        E + "<id:exhibition_id>/catalogue.pdf",
        views.exhibition_catalogue,
        name="exhibition_catalogue",
    ),
    path(F + "portfolio/", views.portfolio, name="portfolio"),
    path(F + "portfolio.pdf", views.portfolio_pdf, name="portfolio_pdf"),
    path(F + "credit/", views.credit_edit, name="credit_edit"),
    path(P + "gallery/settings/", views.gallery_settings, name="gallery_settings"),
    # Public, without sign-in: see isa.works.views.gallery.
    path("gallery/<id:programme_id>/", views.gallery, name="gallery"),
    path(
        "gallery/<id:programme_id>/images/<uuid:key>/<str:size>/",
        views.gallery_image,
        name="gallery_image",
    ),
]
