from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/<str:code>/", views.figure, name="figure"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("runs/<int:pk>/submit/", views.run_submit, name="run_submit"),
    path("runs/<int:pk>/download/<str:kind>/", views.run_download, name="run_download"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/<int:pk>/", views.target_edit, name="target_edit"),
]
