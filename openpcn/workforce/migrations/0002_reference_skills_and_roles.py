from django.db import migrations


def seed(apps, schema_editor):
    from openpcn.workforce.reference import JOB_ROLES, SKILLS

    Skill = apps.get_model("workforce", "Skill")
    JobRole = apps.get_model("workforce", "JobRole")
    skills = {}
    for code, name, is_role in SKILLS:
        skills[code], _ = Skill.objects.get_or_create(
            code=code, defaults={"name": name, "is_role": is_role}
        )
    for code, name, is_arrs, is_clinical, body, skill in JOB_ROLES:
        JobRole.objects.get_or_create(
            code=code,
            defaults={
                "name": name, "is_arrs": is_arrs, "is_clinical": is_clinical,
                "professional_body": body, "rota_skill": skills[skill],
            },
        )


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
