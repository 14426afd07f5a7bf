"""The skills and job roles every alliance starts with (seeded by a data migration; editable later)."""

# (code, name, is_role)
SKILLS = [
    ("gp", "GP", True),
    ("nurse", "Practice nurse", True),
    ("hca", "Healthcare assistant", True),
    ("pharmacist", "Clinical pharmacist", True),
    ("pharmacy-technician", "Pharmacy technician", True),
    ("advanced-practitioner", "Advanced practitioner", True),
    ("physician-associate", "Physician associate", True),
    ("physio", "First contact physiotherapist", True),
    ("paramedic", "Paramedic", True),
    ("social-prescriber", "Social prescribing link worker", True),
    ("care-coordinator", "Care coordinator", True),
    ("health-coach", "Health and wellbeing coach", True),
    ("mental-health", "Mental health practitioner", True),
    ("minor-surgery", "Minor surgery", False),
    ("coil-fitting", "Contraceptive coil fitting", False),
    ("diabetes-review", "Diabetes annual review", False),
    ("spirometry", "Spirometry", False),
    ("phlebotomy", "Phlebotomy", False),
    ("childhood-immunisation", "Childhood immunisations", False),
    ("cervical-screening", "Cervical screening", False),
    ("independent-prescriber", "Independent prescriber", False),
]

# (code, name, is_arrs, is_clinical, professional body, rota skill)
JOB_ROLES = [
    ("gp-partner", "GP partner", False, True, "GMC", "gp"),
    ("salaried-gp", "Salaried GP", False, True, "GMC", "gp"),
    ("arrs-gp", "Newly qualified GP (ARRS)", True, True, "GMC", "gp"),
    ("practice-nurse", "Practice nurse", False, True, "NMC", "nurse"),
    ("arrs-practice-nurse", "General practice nurse (ARRS)", True, True, "NMC", "nurse"),
    ("healthcare-assistant", "Healthcare assistant", False, True, "", "hca"),
    ("clinical-pharmacist", "Clinical pharmacist", True, True, "GPhC", "pharmacist"),
    ("pharmacy-technician", "Pharmacy technician", True, True, "GPhC", "pharmacy-technician"),
    ("advanced-practitioner", "Advanced practitioner", True, True, "NMC", "advanced-practitioner"),
    ("physician-associate", "Physician associate", True, True, "", "physician-associate"),
    ("first-contact-physio", "First contact physiotherapist", True, True, "HCPC", "physio"),
    ("paramedic", "Paramedic", True, True, "HCPC", "paramedic"),
    ("social-prescriber", "Social prescribing link worker", True, False, "", "social-prescriber"),
    ("care-coordinator", "Care coordinator", True, False, "", "care-coordinator"),
    ("health-coach", "Health and wellbeing coach", True, False, "", "health-coach"),
    ("mental-health-practitioner", "Mental health practitioner", True, True, "", "mental-health"),
]


def ensure_reference_data(skill_model=None, job_role_model=None) -> None:  # type: ignore[no-untyped-def]
    """Create any missing skills and job roles (idempotent).

    The data migration calls it with historical models; the demo calls it too, because tests that
    commit for real empty every table, reference data included.
    """
    if skill_model is None or job_role_model is None:
        from openpcn.workforce.models import JobRole, Skill

        skill_model, job_role_model = Skill, JobRole
    skills = {}
    for code, name, is_role in SKILLS:
        skills[code], _ = skill_model.objects.get_or_create(
            code=code, defaults={"name": name, "is_role": is_role}
        )
    for code, name, is_arrs, is_clinical, body, skill in JOB_ROLES:
        job_role_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "is_arrs": is_arrs,
                "is_clinical": is_clinical,
                "professional_body": body,
                "rota_skill": skills[skill],
            },
        )
