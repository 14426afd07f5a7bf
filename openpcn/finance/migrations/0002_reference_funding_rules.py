from django.db import migrations


def seed(apps, schema_editor):
    from openpcn.finance.reference import ensure_reference_data

    ensure_reference_data(
        apps.get_model("finance", "FundingStream"),
        apps.get_model("finance", "FundingRate"),
        apps.get_model("finance", "ArrsRoleMaximum"),
        apps.get_model("workforce", "JobRole"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0001_initial"),
        ("workforce", "0002_reference_skills_and_roles"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
