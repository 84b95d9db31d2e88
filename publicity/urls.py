from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("photos/<int:pk>/", views.event_photo, name="event_photo"),
    path("photos/<int:pk>/remove/", views.photo_remove, name="photo_remove"),
    path("media/", views.media_list, name="media_list"),
    path("media/new/", views.media_create, name="media_create"),
    path("media/<int:pk>/", views.media_detail, name="media_detail"),
    path("media/<int:pk>/edit/", views.media_edit, name="media_edit"),
]
