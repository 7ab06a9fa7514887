from django.urls import path

from engagement import views

urlpatterns = [
    path("", views.report_page, name="engagement-report"),
    path("engagement.csv", views.report_csv, name="engagement-report-csv"),
]
