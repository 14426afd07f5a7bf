"""Demo policy library: the alliance's standard policies and protocols, adopted by practices.

Six alliance policies (chaperone, infection prevention and control, safeguarding adults,
information governance, business continuity, lone working) and the first PCN's home visiting
protocol. The first PCN's practices adopt them; the first practice runs the chaperone policy
with a local variation approved by its practice manager. Safeguarding adults has a significant
second version, adopted by the first practice, so its staff must acknowledge it again; lone
working is past its review date, so it shows as out of date. Most of the first practice's staff
have acknowledged what applies to them. Dates are relative to today.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from openpcn.policies import actions, queries
from openpcn.policies.models import PolicyVersion
from openpcn.workforce.models import JobRole, StaffMember

CHAPERONE = """# Purpose
Every patient may ask for a chaperone for any consultation, examination or procedure. Intimate
examinations are always offered with a chaperone.

# Who may act as a chaperone
- A clinician, or a member of staff who has completed chaperone training
- Family members and friends are not formal chaperones

# Recording
Record in the patient's notes that a chaperone was offered, whether it was accepted or declined,
and the name and role of the chaperone.
"""

INFECTION_CONTROL = """# Purpose
To keep patients and staff safe from healthcare-associated infection, following the national
infection prevention and control manual.

# Standard precautions
- Hand hygiene before and after every patient contact
- Personal protective equipment chosen for the task
- Sharps disposed of at the point of use
- Clinical rooms cleaned to the practice's cleaning schedule

# Audit
The infection prevention and control lead audits each site every year and reports to the
practice meeting.
"""

SAFEGUARDING_V1 = """# Purpose
To protect adults at risk from abuse and neglect, under the Care Act 2014.

# Raising a concern
- Speak to the practice safeguarding lead the same day
- If someone is in immediate danger, call 999
- Record the concern and the action taken

# Training
All staff complete safeguarding adults training at the level their role requires.
"""

SAFEGUARDING_V2 = """# Purpose
To protect adults at risk from abuse and neglect, under the Care Act 2014.

# Raising a concern
- Speak to the practice safeguarding lead the same day
- If someone is in immediate danger, call 999
- Make a referral to the local authority safeguarding team within 24 hours
- Record the concern, the referral and the action taken

# Domestic abuse
Ask about domestic abuse when there are indicators, and offer the local independent domestic
violence adviser service.

# Training
All staff complete safeguarding adults training at the level their role requires, refreshed
every three years.
"""

INFORMATION_GOVERNANCE = """# Purpose
To keep patients' and staff's information confidential, accurate and available, under UK GDPR
and the Data Protection Act 2018, and to meet the Data Security and Protection Toolkit.

# Everyone's duties
- Look at records only when you need to for your work
- Lock your screen when you leave it; never share smartcards or passwords
- Report a suspected data breach to the data protection officer at once

# Sharing
Share information for direct care under the practice's data sharing agreements; ask the data
protection officer before sharing for any other purpose.
"""

BUSINESS_CONTINUITY = """# Purpose
To keep essential services running when a site, system or team is lost.

# Incidents covered
- Loss of the clinical system or telephones
- Loss of a building (fire, flood, power)
- Staff shortage, including a pandemic

# First hour
1. The senior person on site takes charge and informs the practice manager
2. Divert telephones to the buddy practice in the PCN
3. Use the paper contingency forms kept in reception
"""

LONE_WORKING = """# Purpose
To keep staff safe when they work alone or visit patients at home.

# Before a visit
- Check the record for any warning about risk
- Tell a colleague where you are going and when you expect to be back

# During and after
- Keep your phone charged and with you
- Ring in when the visit ends; if you do not, the practice calls you, then the police
"""

HOME_VISITING = """# Purpose
How the PCN's visiting service triages and carries out home visits for housebound patients.

# Triage
The duty clinician triages every visit request by 11:00; urgent requests are seen the same day.

# Handover
The visiting clinician writes the consultation into the practice's record the same day.
"""


def _days_ago(days: int) -> dt.date:
    return dt.date.today() - dt.timedelta(days=days)


def _published(draft: PolicyVersion, days_ago: int) -> PolicyVersion:
    actions.approve_version(by=None, version=draft, today=_days_ago(days_ago + 7))
    return actions.publish_version(by=None, version=draft, today=_days_ago(days_ago))


def build_policies(demo: Any, *, seed: int = 2026) -> None:
    rng = random.Random(seed + 9)
    today = dt.date.today()
    network = demo.networks[0]
    practices = [p for p in demo.practices if demo.network_of[p.pk] == network]
    first = practices[0]
    lead_gp = demo.clinical_directors[0]
    chief = demo.chief_executive
    manager = demo.practice_managers[first.pk]
    home_visitors = list(
        JobRole.objects.filter(
            code__in=["paramedic", "care-coordinator", "social-prescriber", "health-coach"]
        )
    )

    def write(title: str, category: str, body: str, owner: Any, **details: Any) -> PolicyVersion:
        return actions.create_policy(
            by=None,
            organisation=details.pop("organisation", demo.alliance),
            title=title,
            category=category,
            owner=owner,
            approver=details.pop("approver", lead_gp),
            review_date=details.pop("review_date", today + dt.timedelta(days=300)),
            body=body,
            **details,
        )

    chaperone = _published(
        write("Chaperone policy", "clinical", CHAPERONE, lead_gp, approver=chief), 120
    )
    infection = _published(
        write(
            "Infection prevention and control",
            "infection_control",
            INFECTION_CONTROL,
            lead_gp,
            audience="clinical",
        ),
        90,
    )
    safeguarding_v1 = _published(
        write(
            "Safeguarding adults",
            "safeguarding",
            SAFEGUARDING_V1,
            lead_gp,
            review_date=today + dt.timedelta(days=40),
        ),
        330,
    )
    governance = _published(
        write(
            "Information governance and data protection",
            "information_governance",
            INFORMATION_GOVERNANCE,
            chief,
            approver=chief,
        ),
        200,
    )
    continuity = _published(
        write(
            "Business continuity plan",
            "business_continuity",
            BUSINESS_CONTINUITY,
            chief,
            approver=chief,
            review_date=today + dt.timedelta(days=25),
        ),
        340,
    )
    lone = _published(
        write(
            "Lone working policy",
            "health_and_safety",
            LONE_WORKING,
            chief,
            audience="roles",
            job_roles=home_visitors,
            # Past its review date: shown as out of date until it is reviewed.
            review_date=today - dt.timedelta(days=14),
        ),
        380,
    )
    visiting = _published(
        write(
            "Home visiting protocol",
            "clinical",
            HOME_VISITING,
            lead_gp,
            organisation=network,
            audience="clinical",
        ),
        60,
    )
    adopted_first = [infection, safeguarding_v1, governance, continuity, lone, visiting]
    for practice in practices:
        for version in adopted_first if practice == first else adopted_first[:4]:
            actions.adopt_version(by=None, practice=practice, version=version, today=_days_ago(50))
    actions.adopt_version(
        by=None,
        practice=first,
        version=chaperone,
        local_variation="At the branch surgery, chaperones are booked through reception when the "
        "appointment is made, as no second clinician works there in the afternoons.",
        variation_approved_by=manager,
        today=_days_ago(100),
    )
    for practice in practices[1:]:
        actions.adopt_version(by=None, practice=practice, version=chaperone, today=_days_ago(95))

    # Staff of the first practice acknowledge most of what applies to them.
    staff = list(StaffMember.objects.filter(home_practice=first, is_active=True).order_by("pk"))
    for member in staff:
        for due in queries.outstanding_for(member):
            if rng.random() < 0.85:
                actions.acknowledge(
                    by=None,
                    staff=member,
                    version=due.version,
                    at=timezone.now() - dt.timedelta(days=rng.randint(2, 45)),
                )

    # Safeguarding adults: a significant second version, adopted by the first practice, so its
    # staff are asked to acknowledge it again.
    safeguarding_v2 = _published(
        actions.draft_version(
            by=None,
            policy=safeguarding_v1.policy,
            changes="Referral to the local authority within 24 hours; a section on domestic "
            "abuse; training refreshed every three years.",
            significant=True,
            review_date=today + dt.timedelta(days=365),
            body=SAFEGUARDING_V2,
        ),
        10,
    )
    actions.adopt_version(by=None, practice=first, version=safeguarding_v2, today=_days_ago(8))
    # The demo clinician login (demo.logins) is left with it to acknowledge.
    clinician = next(p for p, org in demo.clinicians if org == first and p != lead_gp)
    for member in [m for m in staff if m.person_id != clinician.pk][: len(staff) // 3]:
        actions.acknowledge(
            by=None,
            staff=member,
            version=safeguarding_v2,
            at=timezone.now() - dt.timedelta(days=rng.randint(1, 7)),
        )
