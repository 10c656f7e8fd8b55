"""The portal's database role against the append-only guarantees (config/database_roles.py).

The whole suite connects as the portal's role (tests/conftest.py), so every other test shows that it can do
the portal's work. Here: what it cannot do — TRUNCATE, switch a trigger off or replace its function, alter,
drop or create a table, set session_replication_role, become the owner, migrate — and that the owner, who
migrates, is refused TRUNCATE by the append-only tables' own triggers.
"""

import importlib

import psycopg2
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from psycopg2 import errorcodes

from tests.conftest import _params

APPEND_ONLY = [  # ballots/0003 and openness/0005: every table an append-only or frozen-content trigger guards
    *importlib.import_module("ballots.migrations.0003_refuse_truncate").TABLES,
    "openness_disclosureitem",
    "openness_attachment",
]
TRUNCATE_GUARDED_BY = {
    "ballots": importlib.import_module("ballots.migrations.0003_refuse_truncate").Migration,
    "openness": importlib.import_module("openness.migrations.0005_refuse_truncate").Migration,
}


def _refused(sql: str):
    """Run `sql` on the portal's connection (in a savepoint); return the PostgreSQL error it raised."""
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return caught.value.__cause__


def _one(sql: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _truncate_triggers(cursor) -> dict[str, str]:
    """table → the enabled state ('O': on) of its BEFORE TRUNCATE statement trigger."""
    cursor.execute(
        "SELECT tgrelid::regclass::text, tgenabled FROM pg_trigger "
        "WHERE NOT tgisinternal AND tgtype & 32 <> 0 AND tgtype & 2 <> 0 AND tgtype & 1 = 0"  # TRUNCATE, BEFORE
    )
    return dict(cursor.fetchall())


@pytest.fixture
def owner_cursor(db_roles):
    """A cursor of the schema's owner on the test database, in a transaction rolled back afterwards."""
    if connection.in_atomic_block:  # e.g. a package-scoped fixture's transaction: its locks would block us
        pytest.fail(
            "an open transaction on the portal's connection holds locks the owner's TRUNCATE waits on"
        )
    params = _params({**connection.settings_dict, **db_roles.owner}, options="-c lock_timeout=10s")
    conn = psycopg2.connect(**params)
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.rollback()
        conn.close()


# --- the portal's role --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_portal_connects_as_a_role_with_no_power_beyond_its_grants(db_roles):
    row = _one(
        "SELECT current_user, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls "
        "FROM pg_roles WHERE rolname = current_user"
    )
    assert row == (db_roles.app["USER"], False, False, False, False, False)
    assert _one("SELECT pg_has_role(current_user, %s, 'MEMBER')", [db_roles.owner["USER"]]) == (False,)


@pytest.mark.django_db
def test_the_portals_role_owns_no_table_sequence_function_or_database():
    assert _one(
        "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    ) == (0,)
    assert _one(
        "SELECT count(*) FROM pg_proc WHERE proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
    ) == (0,)
    assert _one(
        "SELECT pg_get_userbyid(datdba) <> current_user FROM pg_database WHERE datname = current_database()"
    ) == (True,)


@pytest.mark.django_db
def test_the_portals_role_may_read_and_write_the_rows_of_every_table_and_draw_every_sequence():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT (has_table_privilege(c.oid, 'SELECT') "
            "AND has_table_privilege(c.oid, 'INSERT') AND has_table_privilege(c.oid, 'UPDATE') "
            "AND has_table_privilege(c.oid, 'DELETE'))"
        )
        assert cursor.fetchall() == []
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind = 'S' AND NOT (has_sequence_privilege(c.oid, 'USAGE') "
            "AND has_sequence_privilege(c.oid, 'SELECT') AND has_sequence_privilege(c.oid, 'UPDATE'))"
        )
        assert cursor.fetchall() == []
        cursor.execute(  # any one of the three is too many
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') "
            "AND has_table_privilege(c.oid, 'TRUNCATE, REFERENCES, TRIGGER')"
        )
        assert cursor.fetchall() == []


@pytest.mark.django_db
@pytest.mark.parametrize("table", APPEND_ONLY)
def test_the_portals_role_cannot_truncate_an_append_only_table(table):
    error = _refused(f"TRUNCATE {table} CASCADE")
    assert error.pgcode == errorcodes.INSUFFICIENT_PRIVILEGE, error
    assert f"permission denied for table {table}" in str(error)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE elections_ballot DISABLE TRIGGER elections_ballot_append_only",
        "ALTER TABLE elections_hasvoted DISABLE TRIGGER ALL",
        "ALTER TABLE openness_disclosureitem DISABLE TRIGGER USER",
        "DROP TRIGGER elections_ballot_no_truncate ON elections_ballot",
        "CREATE OR REPLACE FUNCTION elections_refuse_change() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ "
        "LANGUAGE plpgsql",
        "CREATE TRIGGER zhibu_probe AFTER INSERT ON elections_ballot FOR EACH ROW "
        "EXECUTE FUNCTION elections_refuse_change()",
        "SET session_replication_role = replica",
        "SET ROLE zhibu_owner",
        "DROP TABLE elections_ballot",
        "DROP TABLE branches_auditlog",
        "ALTER TABLE elections_ballot RENAME TO elections_ballot_old",
        "ALTER TABLE branches_member ADD COLUMN probe integer",
        "CREATE TABLE zhibu_probe (id integer)",
    ],
    ids=lambda sql: sql[:48],
)
def test_the_portals_role_cannot_switch_the_guards_off_or_change_the_schema(sql):
    error = _refused(sql)
    assert error.pgcode == errorcodes.INSUFFICIENT_PRIVILEGE, error


@pytest.mark.django_db
def test_the_portals_role_cannot_migrate():
    app_label, previous = TRUNCATE_GUARDED_BY["openness"].dependencies[0]
    with pytest.raises(DatabaseError, match="must be owner"):
        call_command("migrate", app_label, previous, verbosity=0)
    with connection.cursor() as cursor:
        assert _truncate_triggers(cursor)["openness_disclosureitem"] == "O"


@pytest.mark.django_db
def test_grant_app_role_refuses_to_run_as_the_portals_role(db_roles):
    with pytest.raises(CommandError, match="nobody to grant"):
        call_command("grant_app_role", role=db_roles.app["USER"], verbosity=0)


# --- the owner ------------------------------------------------------------------------------------------------


def test_every_append_only_table_has_a_truncate_trigger_and_it_is_on(owner_cursor):
    found = _truncate_triggers(owner_cursor)
    assert {table: found.get(table) for table in APPEND_ONLY} == dict.fromkeys(APPEND_ONLY, "O")


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_the_owner_is_refused_truncate_by_the_trigger(owner_cursor, table):
    with pytest.raises(
        psycopg2.errors.IntegrityConstraintViolation, match=f"zhibu: TRUNCATE on {table} refused"
    ):
        owner_cursor.execute(f"TRUNCATE {table} CASCADE")


def test_the_owner_is_no_superuser_either_session_replication_role_is_refused(owner_cursor):
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        owner_cursor.execute("SET session_replication_role = replica")


def test_a_table_the_owner_creates_later_is_granted_to_the_portal_rows_only(owner_cursor, db_roles):
    owner_cursor.execute("CREATE TABLE zhibu_probe (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)")
    app = db_roles.app["USER"]
    owner_cursor.execute(
        "SELECT has_table_privilege(%(app)s, 'zhibu_probe', 'SELECT'), "
        "has_table_privilege(%(app)s, 'zhibu_probe', 'INSERT'), "
        "has_table_privilege(%(app)s, 'zhibu_probe', 'UPDATE'), "
        "has_table_privilege(%(app)s, 'zhibu_probe', 'DELETE'), "
        "has_table_privilege(%(app)s, 'zhibu_probe', 'TRUNCATE, REFERENCES, TRIGGER'), "
        "has_sequence_privilege(%(app)s, pg_get_serial_sequence('zhibu_probe', 'id'), 'USAGE')",
        {"app": app},
    )
    assert owner_cursor.fetchone() == (True, True, True, True, False, True)


@pytest.mark.schema_owner
@pytest.mark.django_db(transaction=True)
def test_the_owner_migrates_the_truncate_triggers_away_and_back(db_roles):
    assert _one("SELECT current_user") == (db_roles.owner["USER"],)
    for app_label, migration in TRUNCATE_GUARDED_BY.items():
        guarded = [
            t
            for t in APPEND_ONLY
            if t.startswith(("openness_",) if app_label == "openness" else ("elections_", "ballots_"))
        ]
        call_command("migrate", *migration.dependencies[0], verbosity=0)
        with connection.cursor() as cursor:
            assert not set(guarded) & set(_truncate_triggers(cursor))
        call_command("migrate", app_label, verbosity=0)
        with connection.cursor() as cursor:
            assert {t: _truncate_triggers(cursor).get(t) for t in guarded} == dict.fromkeys(guarded, "O")
    call_command("migrate", check_unapplied=True, verbosity=0)  # SystemExit if anything were left unapplied
