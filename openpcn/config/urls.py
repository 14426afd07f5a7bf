from django.urls import include, path

from openpcn.bank.api import api as bank_api

urlpatterns = [
    path("", include("openpcn.core.urls")),
    path("accounts/", include("openpcn.accounts.urls")),
    path("organisations/", include("openpcn.organisations.urls")),
    path("staff/", include("openpcn.workforce.urls")),
    path("rotas/", include("openpcn.rostering.urls")),
    path("bank/", include("openpcn.bank.urls")),
    path("population/", include("openpcn.population.urls")),
    path("finance/", include("openpcn.finance.urls")),
    path("ledger/", include("openpcn.ledger.urls")),
    path("contracts/", include("openpcn.contracts.urls")),
    path("governance/", include("openpcn.governance.urls")),
    path("boards/", include("openpcn.boards.urls")),
    path("surveys/", include("openpcn.surveys.urls")),
    path("development/", include("openpcn.development.urls")),
    path("policies/", include("openpcn.policies.urls")),
    path("education/", include("openpcn.education.urls")),
    path("directory/", include("openpcn.directory.urls")),
    path("recruitment/", include("openpcn.recruitment.urls")),
    path("appointments/", include("openpcn.appointments.urls")),
    path("api/v1/", bank_api.urls),
]
