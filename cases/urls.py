from django.urls import path

from cases import views
from contacts.views import checkin_create

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<str:reference>/", views.case_detail, name="case-detail"),
    path("<str:reference>/contacts/new/", checkin_create, name="checkin-create"),
    path("<str:reference>/status/", views.case_status, name="case-status"),
]
