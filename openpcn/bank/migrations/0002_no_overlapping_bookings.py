"""PostgreSQL refuses to book one person into two overlapping sessions (an exclusion constraint).

SQLite has no exclusion constraints; there the claim's row lock and checks in Python are the guard,
which is enough for a single-server embedded install (SQLite serialises writers anyway).
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE bank_booking ADD CONSTRAINT bank_booking_no_overlap_per_person
  EXCLUDE USING gist (
    staff_id WITH =,
    tstzrange(starts_at, ends_at, '[)') WITH &&
  ) WHERE (status IN ('booked', 'worked'));
"""
BACKWARD = "ALTER TABLE bank_booking DROP CONSTRAINT IF EXISTS bank_booking_no_overlap_per_person;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("bank", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
