from django.urls import path

from .views import duty, network, volunteers

app_name = "stations"

urlpatterns = [
    path("", network.station_list, name="station_list"),
    path("mine/", network.my_station, name="my_station"),
    path("lookup/<slug:kind>/", network.lookup, name="lookup"),
    path("new/", network.station_create, name="station_create"),
    path("<int:pk>/", network.station_detail, name="station_detail"),
    path("<int:pk>/edit/", network.station_edit, name="station_edit"),
    path("<int:pk>/deactivate/", network.station_deactivate, name="station_deactivate"),
    path("<int:pk>/reactivate/", network.station_reactivate, name="station_reactivate"),
    path("<int:pk>/points/new/", network.contactpoint_create, name="contactpoint_create"),
    path("<int:pk>/liaisons/new/", network.liaison_create, name="liaison_create"),
    path("points/<int:pk>/", network.contactpoint_detail, name="contactpoint_detail"),
    path("points/<int:pk>/edit/", network.contactpoint_edit, name="contactpoint_edit"),
    path("points/<int:pk>/deactivate/", network.contactpoint_deactivate, name="contactpoint_deactivate"),
    path("points/<int:pk>/reactivate/", network.contactpoint_reactivate, name="contactpoint_reactivate"),
    path("liaisons/<int:pk>/edit/", network.liaison_edit, name="liaison_edit"),
    path("liaisons/<int:pk>/deactivate/", network.liaison_deactivate, name="liaison_deactivate"),
    path("liaisons/<int:pk>/reactivate/", network.liaison_reactivate, name="liaison_reactivate"),
    path("volunteers/", volunteers.volunteer_list, name="volunteer_list"),
    path("volunteers/new/", volunteers.volunteer_create, name="volunteer_create"),
    path("volunteers/<int:pk>/", volunteers.volunteer_detail, name="volunteer_detail"),
    path("volunteers/<int:pk>/edit/", volunteers.volunteer_edit, name="volunteer_edit"),
    path("volunteers/<int:pk>/deactivate/", volunteers.volunteer_deactivate, name="volunteer_deactivate"),
    path("volunteers/<int:pk>/reactivate/", volunteers.volunteer_reactivate, name="volunteer_reactivate"),
    path("duty/", duty.duty_list, name="duty_list"),
    path("duty/new/", duty.duty_create, name="duty_create"),
    path("duty/<int:pk>/", duty.duty_detail, name="duty_detail"),
    path("duty/<int:pk>/edit/", duty.duty_edit, name="duty_edit"),
]
