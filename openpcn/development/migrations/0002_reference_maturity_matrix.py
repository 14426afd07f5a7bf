from django.db import migrations


def seed(apps, schema_editor):
    from openpcn.development.reference import ensure_reference_data

    ensure_reference_data(
        apps.get_model("development", "MaturityArea"),
        apps.get_model("development", "MaturityStep"),
    )


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
