"""Append-only, enforced by PostgreSQL whatever the application does (domain.md §2).

django-pgtrigger declares support up to Django 6.0, not 6.1, so the triggers are plain PL/pgSQL here.

- ballots and has-voted rows: never updated or deleted; inserted only while their poll is open;
- counted ballots, named votes and results: never updated or deleted;
- a published poll never changes and is never deleted; a poll that left the draft state is never deleted;
- options change only while their poll is a draft.
TRUNCATE is not guarded: it needs the table owner's privilege, and the test runner empties tables with it.
"""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION elections_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'zhibu: % on % refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION elections_insert_only_while_open() RETURNS trigger AS $$
DECLARE
    poll_status text;
BEGIN
    SELECT status INTO poll_status FROM elections_poll WHERE id = NEW.poll_id;
    IF poll_status IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'zhibu: % into % refused: the poll is %', TG_OP, TG_TABLE_NAME, poll_status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION elections_poll_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'zhibu: a poll that left the draft state is never deleted'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'published' THEN
        RAISE EXCEPTION 'zhibu: a published poll is never changed'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION elections_option_guard() RETURNS trigger AS $$
DECLARE
    poll_status text;
BEGIN
    SELECT status INTO poll_status FROM elections_poll
        WHERE id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.poll_id ELSE NEW.poll_id END);
    IF poll_status IS NOT NULL AND poll_status <> 'draft' THEN
        RAISE EXCEPTION 'zhibu: the options of a % poll do not change', poll_status
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER elections_ballot_append_only BEFORE UPDATE OR DELETE ON elections_ballot
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
CREATE TRIGGER elections_ballot_while_open BEFORE INSERT ON elections_ballot
    FOR EACH ROW EXECUTE FUNCTION elections_insert_only_while_open();
CREATE TRIGGER elections_hasvoted_append_only BEFORE UPDATE OR DELETE ON elections_hasvoted
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
CREATE TRIGGER elections_hasvoted_while_open BEFORE INSERT ON elections_hasvoted
    FOR EACH ROW EXECUTE FUNCTION elections_insert_only_while_open();
CREATE TRIGGER elections_countedballot_append_only BEFORE UPDATE OR DELETE ON elections_countedballot
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
CREATE TRIGGER elections_namedvote_append_only BEFORE UPDATE OR DELETE ON elections_namedvote
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
CREATE TRIGGER elections_pollresult_append_only BEFORE UPDATE OR DELETE ON elections_pollresult
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
CREATE TRIGGER elections_rollentry_append_only BEFORE UPDATE OR DELETE ON elections_rollentry
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
CREATE TRIGGER elections_signature_append_only BEFORE UPDATE OR DELETE ON elections_signature
    FOR EACH ROW EXECUTE FUNCTION elections_refuse_change();
CREATE TRIGGER elections_poll_guard BEFORE UPDATE OR DELETE ON elections_poll
    FOR EACH ROW EXECUTE FUNCTION elections_poll_guard();
CREATE TRIGGER elections_option_guard BEFORE INSERT OR UPDATE OR DELETE ON elections_polloption
    FOR EACH ROW EXECUTE FUNCTION elections_option_guard();
"""

REVERSE_SQL = r"""
DROP TRIGGER IF EXISTS elections_ballot_append_only ON elections_ballot;
DROP TRIGGER IF EXISTS elections_ballot_while_open ON elections_ballot;
DROP TRIGGER IF EXISTS elections_hasvoted_append_only ON elections_hasvoted;
DROP TRIGGER IF EXISTS elections_hasvoted_while_open ON elections_hasvoted;
DROP TRIGGER IF EXISTS elections_countedballot_append_only ON elections_countedballot;
DROP TRIGGER IF EXISTS elections_namedvote_append_only ON elections_namedvote;
DROP TRIGGER IF EXISTS elections_pollresult_append_only ON elections_pollresult;
DROP TRIGGER IF EXISTS elections_rollentry_append_only ON elections_rollentry;
DROP TRIGGER IF EXISTS elections_signature_append_only ON elections_signature;
DROP TRIGGER IF EXISTS elections_poll_guard ON elections_poll;
DROP TRIGGER IF EXISTS elections_option_guard ON elections_polloption;
DROP FUNCTION IF EXISTS elections_refuse_change();
DROP FUNCTION IF EXISTS elections_insert_only_while_open();
DROP FUNCTION IF EXISTS elections_poll_guard();
DROP FUNCTION IF EXISTS elections_option_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("elections", "0001_ballot_engine")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
