from django.urls import path

from openpcn.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/preview/", views.survey_preview, name="preview"),
    path("<int:pk>/sections/", views.section_add, name="section_add"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("<int:pk>/audiences/", views.audience_add, name="audience_add"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results.csv", views.survey_export, name="export"),
    path("<int:pk>/<str:step>/", views.survey_step, name="step"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
