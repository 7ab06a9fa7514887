from django.urls import path

from alerts import views

urlpatterns = [
    path("", views.alert_list, name="alert-list"),
    path("act/", views.alert_bulk, name="alert-bulk"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("<int:pk>/resolve/", views.alert_resolve, name="alert-resolve"),
]
