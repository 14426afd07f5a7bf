"""The funding streams, rates and ARRS role maxima every alliance starts with (2023/24, 2024/25).

Figures from ../shared/domain/nhs-rules.md §1 (which names the LMC, BMA, NHS England and trade
press sources). Seeded by a data migration; a finance officer adds later years in the app.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

Y2023 = dt.date(2023, 4, 1)
Y2024 = dt.date(2024, 4, 1)
Y2025 = dt.date(2025, 4, 1)
Y2026 = dt.date(2026, 4, 1)

_BMA = "BMA / NHS England Network Contract DES 2023/24 (nhs-rules.md §1)"
_SPEC24 = "Network Contract DES 2024/25, March 2024 specification (nhs-rules.md §1)"

# (code, name, is_arrs, description)
STREAMS = [
    ("core", "Core PCN funding", False, "From 2024/25 includes Clinical Director and L&M"),
    ("clinical-director", "Clinical Director", False, "Merged into Core from 2024/25"),
    ("leadership-management", "Leadership and management", False, "Merged into Core from 2024/25"),
    ("enhanced-access", "Enhanced Access", False, "60 min per 1,000 adjusted population a week"),
    ("care-home-premium", "Care home premium", False, "Per bed in aligned care homes"),
    ("capacity-access", "Capacity and access", False, "CASP (unconditional) and CAIP (earned)"),
    ("arrs", "Additional Roles Reimbursement Scheme", True, "Claimed monthly, up to role maxima"),
]

# (stream, basis, valid_from, valid_to, rate, unit note, source)
RATES = [
    ("core", "registered", Y2023, Y2024, "1.50", "£ per registered patient", _BMA),
    ("core", "registered", Y2024, Y2025, "2.218", "£ per registered patient", _SPEC24),
    ("core", "adjusted", Y2024, Y2025, "0.698", "£ per adjusted patient", _SPEC24),
    ("clinical-director", "registered", Y2023, Y2024, "0.72963", "£ per registered patient", _BMA),
    ("leadership-management", "adjusted", Y2023, Y2024, "0.684", "£ per adjusted patient", _BMA),
    ("enhanced-access", "adjusted", Y2023, Y2024, "7.578", "£ per adjusted patient", _BMA),
    ("enhanced-access", "adjusted", Y2024, Y2025, "7.674", "£ per adjusted patient", _SPEC24),
    ("care-home-premium", "beds", Y2023, Y2024, "120", "£ per bed a year", _BMA),
    ("care-home-premium", "beds", Y2024, Y2025, "120", "£ per bed a year (£10 a month)", _SPEC24),
    ("capacity-access", "adjusted", Y2023, Y2024, "2.765", "CASP, £ per adjusted patient", _BMA),
    (
        "capacity-access",
        "registered",
        Y2023,
        Y2024,
        "1.185",
        "CAIP, £ per registered patient",
        _BMA,
    ),
    (
        "capacity-access",
        "adjusted",
        Y2024,
        Y2025,
        "3.248",
        "£ per patient",
        "Pulse, 'PCN funding remains flat for 2024/25': basis unclear (verify against the spec)",
    ),
    ("arrs", "weighted", Y2023, Y2024, "22.671", "£ per weighted patient", _BMA),
    ("arrs", "weighted", Y2024, Y2025, "22.894", "£ per weighted patient", _SPEC24),
]

# (job role code, valid_from, valid_to, annual maximum per WTE incl. on-costs, source)
ARRS_MAXIMA = [
    (
        "clinical-pharmacist",
        dt.date(2022, 10, 1),
        dt.date(2024, 10, 1),
        "59312",
        "chemistanddruggist.co.uk, October 2022 uplift (latest captured before Oct 2024; verify)",
    ),
    ("clinical-pharmacist", dt.date(2024, 10, 1), Y2025, "65838", "thepharmacist.co.uk, Oct 2024"),
    ("clinical-pharmacist", Y2025, Y2026, "66972", "pharmaceutical-journal.com, 2025/26"),
    ("advanced-practitioner", dt.date(2024, 10, 1), Y2025, "72141", "nhs-rules.md §1, Oct 2024"),
    ("pharmacy-technician", dt.date(2024, 10, 1), Y2025, "42437", "nhs-rules.md §1, Oct 2024"),
    (
        "arrs-practice-nurse",
        Y2024,
        Y2025,
        "60401",
        "Enhanced practice nurse, band 7 (managementinpractice.com, 2024/25)",
    ),
    ("arrs-practice-nurse", Y2025, Y2026, "64907", "Enhanced practice nurse, 2025/26"),
    ("arrs-gp", dt.date(2024, 10, 1), Y2025, "92462", "GP ARRS FAQ, newly qualified GP, Oct 2024"),
    ("arrs-gp", Y2025, Y2026, "105882", "pulsetoday.co.uk 2025/26 contract"),
]


def ensure_reference_data(
    stream_model: Any = None,
    rate_model: Any = None,
    maximum_model: Any = None,
    job_role_model: Any = None,
) -> None:
    """Create any missing streams, rates and role maxima (idempotent; never overwrites edits).

    The data migration calls it with historical models; the demo and tests call it too, because
    tests that commit for real empty every table, reference data included.
    """
    if stream_model is None:
        from openpcn.finance.models import ArrsRoleMaximum, FundingRate, FundingStream
        from openpcn.workforce.models import JobRole

        stream_model, rate_model = FundingStream, FundingRate
        maximum_model, job_role_model = ArrsRoleMaximum, JobRole
    streams = {}
    for order, (code, name, is_arrs, description) in enumerate(STREAMS):
        streams[code], _ = stream_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "is_arrs": is_arrs, "description": description, "order": order},
        )
    for stream, basis, start, end, rate, unit, source in RATES:
        rate_model.objects.get_or_create(
            stream=streams[stream],
            basis=basis,
            valid_from=start,
            defaults={"valid_to": end, "rate": Decimal(rate), "unit_note": unit, "source": source},
        )
    roles = {r.code: r for r in job_role_model.objects.all()}
    for code, start, end, maximum, source in ARRS_MAXIMA:
        if code not in roles:
            continue  # job roles are reference data too; a renamed one is skipped, not invented
        maximum_model.objects.get_or_create(
            job_role=roles[code],
            valid_from=start,
            defaults={"valid_to": end, "annual_maximum": Decimal(maximum), "source": source},
        )
