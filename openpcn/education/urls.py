from django.urls import path

from openpcn.education import views

app_name = "education"

urlpatterns = [
    path("", views.events, name="events"),
    path("events/new/", views.event_new, name="event_new"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/event.ics", views.event_ics, name="event_ics"),
    path("events/<int:pk>/book/", views.book, name="book"),
    path("events/<int:pk>/places/", views.capacity, name="capacity"),
    path("events/<int:pk>/register/", views.register, name="register"),
    path("bookings/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("bookings/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("bookings/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("cpd/", views.cpd_log, name="cpd_log"),
    path("report/", views.report, name="report"),
    path("report.csv", views.report_export, name="report_export"),
]
