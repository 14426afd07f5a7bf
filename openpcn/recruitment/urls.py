from django.urls import path

from openpcn.recruitment.views import manage, panel, public, reports

app_name = "recruitment"

urlpatterns = [
    path("", manage.vacancy_list, name="list"),
    path("new/", manage.vacancy_new, name="new"),
    path("reports/", reports.hiring, name="reports"),
    path("equality/", reports.equality_report, name="equality"),
    path("<int:pk>/", manage.vacancy_detail, name="detail"),
    path("<int:pk>/criteria/", manage.criterion_add, name="criterion_add"),
    path("<int:pk>/panel/add/", manage.panel_add, name="panel_add"),
    path("<int:pk>/sites/", manage.sites_set, name="sites_set"),
    path("<int:pk>/shortlist/", manage.shortlist, name="shortlist"),
    path("<int:pk>/interviews/", manage.interview_add, name="interview_add"),
    path("<int:pk>/offer/", manage.offer_make, name="offer_make"),
    path("<int:pk>/offer/checks/", manage.offer_checks, name="offer_checks"),
    path("<int:pk>/offer/response/", manage.offer_response, name="offer_response"),
    path("<int:pk>/offer/hire/", manage.hire, name="hire"),
    path("<int:pk>/applications.csv", manage.applications_export, name="export"),
    path(
        "<int:pk>/applications/<int:application>/<str:kind>/",
        manage.document,
        name="document",
    ),
    path("<int:pk>/panel/", panel.panel, name="panel"),
    path("<int:pk>/panel/<int:application>/score/", panel.score, name="score"),
    path("interviews/<int:pk>/outcome/", manage.interview_outcome, name="interview_outcome"),
    path("interviews/<int:pk>/invite.ics", manage.interview_invite, name="interview_invite"),
    path("jobs/<int:alliance>/", public.jobs, name="jobs"),
    path("jobs/<int:alliance>/<int:pk>/", public.job, name="job"),
    path("jobs/<int:alliance>/<int:pk>/jobposting.json", public.job_posting, name="job_posting"),
    path("jobs/<int:alliance>/<int:pk>/apply/", public.apply, name="apply"),
    path("jobs/application/<str:token>/", public.application, name="application"),
    path("jobs/equality/<str:token>/", public.equality, name="equality_form"),
    path("<int:pk>/<str:step>/", manage.vacancy_step, name="step"),
]
