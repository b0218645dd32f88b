from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from isa.core import views as core_views

urlpatterns = [
    path("", include("isa.core.urls")),
    path("", include("isa.people.urls")),
    path("", include("isa.presence.urls")),
    path("", include("isa.journal.urls")),
    path("", include("isa.works.urls")),
    path("", include("isa.evaluation.urls")),
    path("", include("isa.watch.urls")),
    path("", include("isa.reports.urls")),
    path("", include("isa.api.urls")),
    path("", include("isa.privacy.urls")),
    path("", include("isa.portal.urls")),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
]


def _admin_login(request, extra_context=None):  # type: ignore[no-untyped-def]
    """The technical admin signs in through ISA's own page (lockout, two-factor, audit)."""
    return redirect_to_login(request.get_full_path())


admin.site.login = _admin_login
admin.site.site_header = _("ISA — technical administration")
admin.site.site_title = _("ISA administration")

handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
