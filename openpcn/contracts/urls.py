from django.urls import path

from openpcn.contracts.views import agreement, obligations, overview, premises, register

app_name = "contracts"

urlpatterns = [
    path("", register.register, name="register"),
    path("new/", register.new, name="new"),
    path("<int:pk>/", register.detail, name="detail"),
    path("<int:pk>/documents/", register.add_document, name="add_document"),
    path("<int:pk>/obligations/", obligations.add, name="add_obligation"),
    path("<int:pk>/delegations/", obligations.delegate, name="delegate"),
    path("documents/<int:pk>/", register.download, name="download"),
    path("obligations/<int:pk>/", obligations.breach, name="breach"),
    path("obligations/<int:pk>/report/", obligations.report, name="report"),
    path("accountability/", overview.accountability_map, name="map"),
    path("premises/", overview.premises, name="premises"),
    path("premises/record/", premises.record, name="premises_record"),
    path("due/", overview.due, name="due"),
    path("agreements/", agreement.agreement_list, name="agreements"),
    path("agreements/networks/<int:pk>/", agreement.network_agreement, name="agreement"),
    path("agreements/networks/<int:pk>/draft/", agreement.draft, name="agreement_draft"),
    path("agreements/<int:pk>/sign/", agreement.sign, name="agreement_sign"),
    path("agreements/<int:pk>/export.pdf", agreement.export, name="agreement_export"),
]
