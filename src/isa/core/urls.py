from django.contrib.auth import views as auth_views
from django.urls import path

from isa.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("p/<id:programme_id>/", views.programme_detail, name="programme"),
    path("p/<id:programme_id>/team/", views.team, name="team"),
    path(
        "p/<id:programme_id>/team/<id:membership_id>/revoke/",
        views.membership_revoke,
        name="membership_revoke",
    ),
    path(
        "p/<id:programme_id>/break-glass/<id:breakglass_id>/acknowledge/",
        views.breakglass_acknowledge,
        name="breakglass_acknowledge",
    ),
    path("p/<id:programme_id>/audit/", views.audit_log, name="audit_log"),
    path("p/<id:programme_id>/audit/export.csv", views.audit_log_export, name="audit_log_export"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", views.account, name="account"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/2fa/setup/", views.otp_setup, name="otp_setup"),
    path("accounts/2fa/verify/", views.otp_verify, name="otp_verify"),
]
