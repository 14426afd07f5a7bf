from django.urls import path

from openpcn.agreements import views

app_name = "agreements"

urlpatterns = [
    path("networks/<int:pk>/", views.network_agreement, name="network"),
    path("networks/<int:pk>/draft/", views.draft, name="draft"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/export.docx", views.export_docx, name="export_docx"),
]
