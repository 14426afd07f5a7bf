from django.db import migrations


def seed(apps, schema_editor):
    from openpcn.workforce.reference import ensure_reference_data

    ensure_reference_data(apps.get_model("workforce", "Skill"), apps.get_model("workforce", "JobRole"))


class Migration(migrations.Migration):
    dependencies = [("workforce", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
