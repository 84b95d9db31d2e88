from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("read-all/", views.notifications_read_all, name="read_all"),
    path("preferences/", views.preferences, name="preferences"),
]
