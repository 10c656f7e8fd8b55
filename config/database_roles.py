"""The portal's two PostgreSQL roles, and the SQL that makes them (README: "Database roles").

- The **owner** (`zhibu_owner`) owns the database and every table, sequence and trigger function in it.
  Migrations run as it (`ZHIBU_MIGRATE=1`, which connects through MIGRATION_DATABASE_URL), followed by
  `manage.py grant_app_role`; nothing else does.
- The **portal's role** (`zhibu_app`, DATABASE_URL) owns nothing and holds only the row privileges of
  `grant_statements()`. It cannot TRUNCATE, ALTER or DROP a table, create, drop or disable a trigger, create
  anything in the schema, or set `session_replication_role` (a superuser's parameter): the append-only
  triggers hold whatever runs on the portal's connection. The BEFORE TRUNCATE triggers (ballots/0003,
  openness/0005) refuse TRUNCATE to the owner as well; only a deliberate schema change lifts them.

`make run` (scripts/run.py) and the test suite (tests/conftest.py) create both roles on a server where they
connect as a superuser; in production a database administrator runs the README's SQL instead. Plain DB-API
(psycopg2) connections and cursors only: scripts/run.py calls this before Django is set up.
"""

from __future__ import annotations

import re

OWNER = "zhibu_owner"
APP = "zhibu_app"

_ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")

# What the portal's role may do to rows: read and write them (the triggers decide which writes stand) and
# draw ids. Not TRUNCATE (it bypasses the row triggers), not REFERENCES or TRIGGER (a trigger of its own
# on our tables), and nothing on the schema beyond USAGE.
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE, SELECT, UPDATE"


def quoted(role: str) -> str:
    """A role name as an SQL identifier; only plain lower-case names, so no quoting rules to get wrong."""
    if not _ROLE_NAME.fullmatch(role):
        raise ValueError(f"not a plain PostgreSQL role name: {role!r}")
    return f'"{role}"'


def _database(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_roles(connection, *, owner: str = OWNER, app: str = APP, owner_creates_databases: bool = False):
    """Create the two login roles if missing and reset their attributes (idempotent; commits).

    `connection` is a psycopg2 connection of a superuser, not in autocommit. Both roles log in without a
    password here (the local servers trust their clients); production roles get theirs from the README's
    SQL. `owner_creates_databases`: the test suite's owner creates `test_<name>` itself (CREATEDB)."""
    with connection.cursor() as cursor:
        # Two set-ups at once (two test runs, xdist workers) would otherwise race on CREATE and ALTER ROLE.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('zhibu database roles'))")
        for role, createdb in ((owner, owner_creates_databases), (app, False)):
            cursor.execute(
                f"DO $$ BEGIN CREATE ROLE {quoted(role)}; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
            attribute = "CREATEDB" if createdb else "NOCREATEDB"
            cursor.execute(
                f"ALTER ROLE {quoted(role)} LOGIN NOSUPERUSER NOCREATEROLE {attribute} NOREPLICATION NOBYPASSRLS"
            )
    connection.commit()


def hand_over_database(cursor, name: str, *, owner: str = OWNER) -> bool | None:
    """Make `owner` the owner of the database `name` (autocommit cursor of a superuser).

    Returns None when there is no such database, False when the owner has it already, True when it was
    another role's: a database of the single-role days, whose objects adopt_objects() then hands over."""
    cursor.execute("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [name])
    row = cursor.fetchone()
    if row is None:
        return None
    if row[0] == owner:
        return False
    cursor.execute(f"ALTER DATABASE {_database(name)} OWNER TO {quoted(owner)}")
    return True


def create_database(cursor, name: str, *, owner: str = OWNER) -> None:
    cursor.execute(f"CREATE DATABASE {_database(name)} OWNER {quoted(owner)}")


def adopt_objects(connection, *, owner: str = OWNER) -> int:
    """Hand every table, view, sequence and function of the schema `public` to `owner`; how many moved.

    `connection`: a superuser's, to the database concerned. A table takes its indexes and the sequences of
    its columns along; a function is handed over by its signature. Commits."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT format('ALTER %%s %%s OWNER TO %%I', kind, name, %(owner)s) FROM (
                SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                      WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind,
                       c.oid::regclass::text AS name
                  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
                   AND pg_get_userbyid(c.relowner) <> %(owner)s
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d  -- a column's sequence follows its table
                                    WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                      AND d.deptype IN ('a', 'i', 'e'))
                UNION ALL
                SELECT 'FUNCTION', p.oid::regprocedure::text
                  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = 'public' AND p.prokind = 'f' AND pg_get_userbyid(p.proowner) <> %(owner)s
                   AND NOT EXISTS (SELECT 1 FROM pg_depend d  -- an extension's functions stay its own
                                    WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            ) AS objects
            """,
            {"owner": owner},
        )
        statements = [row[0] for row in cursor.fetchall()]
        for statement in statements:
            cursor.execute(statement)
    connection.commit()
    return len(statements)


def grant_statements(*, owner: str, app: str) -> list[str]:
    """The SQL (run by the owner) that gives the portal's role its privileges on what exists and, through
    default privileges, on every table and sequence the owner creates later. Idempotent.

    Trigger functions need no grant: a trigger runs its function whoever fired it (and PUBLIC may EXECUTE
    functions by default anyway). UPDATE and DELETE stay granted on the append-only tables: their triggers
    refuse them with the domain's message (tests/ballots/test_states.py), and a privilege error would not
    say which rule was broken."""
    o, a = quoted(owner), quoted(app)
    return [
        f"GRANT USAGE ON SCHEMA public TO {a}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA public TO {a}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {a}",
        f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA public TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT {TABLE_PRIVILEGES} ON TABLES TO {a}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public GRANT {SEQUENCE_PRIVILEGES} ON SEQUENCES TO {a}",
    ]
