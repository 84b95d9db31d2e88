from django.urls import path

from . import views

app_name = "applicants"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("new/", views.person_create, name="person_create"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/merge/", views.person_merge, name="person_merge"),
    path("registry/", views.registry_list, name="registry_list"),
    path("registry/new/", views.registry_edit, name="registry_create"),
    path("registry/<int:pk>/", views.registry_edit, name="registry_edit"),
]
