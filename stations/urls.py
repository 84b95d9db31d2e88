from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("mine/", views.my_station, name="my_station"),
    path("lookup/<slug:kind>/", views.lookup, name="lookup"),
    path("new/", views.station_create, name="station_create"),
    path("<int:pk>/", views.station_detail, name="station_detail"),
    path("<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("<int:pk>/deactivate/", views.station_deactivate, name="station_deactivate"),
    path("<int:pk>/reactivate/", views.station_reactivate, name="station_reactivate"),
    path("<int:pk>/points/new/", views.contactpoint_create, name="contactpoint_create"),
    path("<int:pk>/liaisons/new/", views.liaison_create, name="liaison_create"),
    path("points/<int:pk>/", views.contactpoint_detail, name="contactpoint_detail"),
    path("points/<int:pk>/edit/", views.contactpoint_edit, name="contactpoint_edit"),
    path("points/<int:pk>/deactivate/", views.contactpoint_deactivate, name="contactpoint_deactivate"),
    path("points/<int:pk>/reactivate/", views.contactpoint_reactivate, name="contactpoint_reactivate"),
    path("liaisons/<int:pk>/edit/", views.liaison_edit, name="liaison_edit"),
    path("liaisons/<int:pk>/deactivate/", views.liaison_deactivate, name="liaison_deactivate"),
    path("liaisons/<int:pk>/reactivate/", views.liaison_reactivate, name="liaison_reactivate"),
    path("volunteers/", views.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", views.volunteer_create, name="volunteer_create"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:pk>/deactivate/", views.volunteer_deactivate, name="volunteer_deactivate"),
    path("volunteers/<int:pk>/reactivate/", views.volunteer_reactivate, name="volunteer_reactivate"),
    path("duty/", views.duty_list, name="duty_list"),
    path("duty/new/", views.duty_create, name="duty_create"),
    path("duty/<int:pk>/", views.duty_detail, name="duty_detail"),
    path("duty/<int:pk>/edit/", views.duty_edit, name="duty_edit"),
]
