"""TRUNCATE refused on the frozen disclosure tables: a BEFORE TRUNCATE trigger, once per statement.

The row triggers of 0002 never see a TRUNCATE, which empties a table without touching a row: every published
item and its attachments would go at once. The portal's role cannot TRUNCATE at all (it lacks the privilege:
config/database_roles.py); these triggers refuse it to the owner too, so only a deliberate change of schema
(ALTER TABLE … DISABLE TRIGGER, the owner's alone) could. The test suite empties its tables that way, as the
owner, inside one transaction (tests/conftest.py).
"""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION openness_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'zhibu: TRUNCATE on % refused: a published disclosure is never deleted', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER openness_disclosureitem_no_truncate BEFORE TRUNCATE ON openness_disclosureitem
    FOR EACH STATEMENT EXECUTE FUNCTION openness_refuse_truncate();
CREATE TRIGGER openness_attachment_no_truncate BEFORE TRUNCATE ON openness_attachment
    FOR EACH STATEMENT EXECUTE FUNCTION openness_refuse_truncate();
"""

REVERSE_SQL = r"""
DROP TRIGGER IF EXISTS openness_attachment_no_truncate ON openness_attachment;
DROP TRIGGER IF EXISTS openness_disclosureitem_no_truncate ON openness_disclosureitem;
DROP FUNCTION IF EXISTS openness_refuse_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("openness", "0004_catalogue_key_with_dots")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
