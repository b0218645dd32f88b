from django.urls import path

from isa.presence.views import kiosk, month, register, setup, symbols

P = "p/<id:programme_id>/"

urlpatterns = [
    # the register and its kiosk
    path(P + "register/", register.register_today, name="register_today"),
    path(P + "register/<id:session_id>/", register.register_session, name="register_session"),
    path(P + "register/<id:session_id>/tap/", register.register_tap, name="register_tap"),
    path(P + "kiosk/", kiosk.kiosk, name="kiosk"),
    path(P + "kiosk/tap/", kiosk.kiosk_tap, name="kiosk_tap"),
    path(P + "kiosk/exit/", kiosk.kiosk_exit, name="kiosk_exit"),
    path(
        P + "people/<id:participant_id>/symbol/",
        symbols.checkin_symbol,
        name="checkin_symbol",
    ),
    # month view and attendance sheets
    path(P + "presence/<int:year>/<int:month>/", month.presence_month, name="presence_month"),
    path(
        P + "presence/<int:year>/<int:month>/sheet.<str:fmt>",
        month.presence_sheet,
        name="presence_sheet",
    ),
    # set-up: workshops, closure days, media
    path(P + "workshops/", setup.workshop_list, name="workshop_list"),
    path(P + "workshops/new/", setup.workshop_create, name="workshop_create"),
    path(P + "workshops/<id:workshop_id>/", setup.workshop_edit, name="workshop_edit"),
    path(P + "workshops/generate/", setup.sessions_generate_view, name="sessions_generate"),
    path(P + "closures/", setup.closure_list, name="closure_list"),
    path(P + "closures/<id:closure_id>/delete/", setup.closure_delete, name="closure_delete"),
    path(P + "media/", setup.medium_list, name="medium_list"),
]
