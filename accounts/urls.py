from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/forgot/", views.password_reset, name="password_reset"),
    path("password/forgot/sent/", views.password_reset_done, name="password_reset_done"),
    path("password/forgot/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password/forgot/done/", views.password_reset_complete, name="password_reset_complete"),
    path("me/", views.profile, name="profile"),
    path("me/two-step/", views.otp_setup, name="otp_setup"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/password/", views.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/password/shown/", views.user_password_shown, name="user_password_shown"),
    path("users/<int:pk>/two-step-reset/", views.user_otp_reset, name="user_otp_reset"),
]
