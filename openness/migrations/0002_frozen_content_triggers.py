"""A published item is never edited in place — enforced by PostgreSQL whatever the application does.

- the content of an item (organisation, category, title, body, scope, timing, period, notice period, display
  end, the version chain) changes only while it is a draft or returned; from the secrecy review on it is
  frozen, so what was reviewed is what is published, and a correction is a new row;
- an item that was ever published is never deleted;
- attachments are added, changed or removed only while their item is a draft or returned.
TRUNCATE is not guarded: the test runner empties tables with it.
"""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION openness_item_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.published_at IS NOT NULL OR OLD.status NOT IN ('draft', 'returned') THEN
            RAISE EXCEPTION 'zhibu: a disclosure in status % is never deleted', OLD.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status NOT IN ('draft', 'returned') AND (
        NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
        OR NEW.category IS DISTINCT FROM OLD.category
        OR NEW.title IS DISTINCT FROM OLD.title
        OR NEW.body IS DISTINCT FROM OLD.body
        OR NEW.scope IS DISTINCT FROM OLD.scope
        OR NEW.timing IS DISTINCT FROM OLD.timing
        OR NEW.period IS DISTINCT FROM OLD.period
        OR NEW.notice_working_days IS DISTINCT FROM OLD.notice_working_days
        OR NEW.expires_on IS DISTINCT FROM OLD.expires_on
        OR NEW.version IS DISTINCT FROM OLD.version
        OR NEW.root_id IS DISTINCT FROM OLD.root_id
        OR NEW.supersedes_id IS DISTINCT FROM OLD.supersedes_id
        OR NEW.correction_note IS DISTINCT FROM OLD.correction_note
    ) THEN
        RAISE EXCEPTION 'zhibu: the content of a disclosure in status % is frozen; publish a correction', OLD.status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION openness_attachment_guard() RETURNS trigger AS $$
DECLARE
    item_status text;
BEGIN
    SELECT status INTO item_status FROM openness_disclosureitem
        WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.item_id ELSE NEW.item_id END;
    IF item_status IS NOT NULL AND item_status NOT IN ('draft', 'returned') THEN
        RAISE EXCEPTION 'zhibu: % of an attachment refused: its disclosure is %', TG_OP, item_status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER openness_item_guard BEFORE UPDATE OR DELETE ON openness_disclosureitem
    FOR EACH ROW EXECUTE FUNCTION openness_item_guard();
CREATE TRIGGER openness_attachment_guard BEFORE INSERT OR UPDATE OR DELETE ON openness_attachment
    FOR EACH ROW EXECUTE FUNCTION openness_attachment_guard();
"""

REVERSE_SQL = r"""
DROP TRIGGER IF EXISTS openness_attachment_guard ON openness_attachment;
DROP TRIGGER IF EXISTS openness_item_guard ON openness_disclosureitem;
DROP FUNCTION IF EXISTS openness_attachment_guard();
DROP FUNCTION IF EXISTS openness_item_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("openness", "0001_disclosure")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
