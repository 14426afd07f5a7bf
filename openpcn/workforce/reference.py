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
