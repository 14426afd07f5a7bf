"""The database itself refuses to change journals and postings (and, on PostgreSQL, to delete them).

SQLite gets no DELETE trigger because test teardown empties tables with DELETE; PostgreSQL's
TRUNCATE does not fire row triggers (as for core_auditevent).

On PostgreSQL a deferred constraint trigger also checks, at commit, that every journal a
transaction posted to sums to zero for each organisation it touches.
"""

from django.db import migrations

TABLES = ("ledger_journal", "ledger_posting")

FORWARD_PG = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ledger journals and postings are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_journal_append_only
  BEFORE UPDATE OR DELETE ON ledger_journal
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_posting_append_only
  BEFORE UPDATE OR DELETE ON ledger_posting
  FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE OR REPLACE FUNCTION ledger_journal_balances() RETURNS trigger AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM ledger_posting p JOIN ledger_account a ON a.id = p.account_id
    WHERE p.journal_id = NEW.journal_id
    GROUP BY a.organisation_id HAVING SUM(p.amount) <> 0
  ) THEN
    RAISE EXCEPTION USING MESSAGE = 'ledger journal ' || NEW.journal_id || ' does not balance';
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER ledger_posting_balanced
  AFTER INSERT ON ledger_posting DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_journal_balances();
"""

BACKWARD_PG = """
DROP TRIGGER IF EXISTS ledger_posting_balanced ON ledger_posting;
DROP FUNCTION IF EXISTS ledger_journal_balances();
DROP TRIGGER IF EXISTS ledger_posting_append_only ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_journal_append_only ON ledger_journal;
DROP FUNCTION IF EXISTS ledger_append_only();
"""


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(FORWARD_PG)
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'ledger journals and postings are append-only'); END;"
            )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(BACKWARD_PG)
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
