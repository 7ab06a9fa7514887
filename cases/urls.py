from django.urls import path

from cases import views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("<str:reference>/", views.case_detail, name="case-detail"),
]
