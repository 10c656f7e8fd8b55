"""Fixed personas (healthchecks style) on a small tree:

县委 county (committee)          ← olga: higher-committee officer; victor: supervisor
  └ 城关镇党委 town (committee)
      ├ 东街社区党支部 branch_a  ← sam: secretary; alice: member; petra: probationary
      └ 西街社区党支部 branch_b  ← bob: member of another branch
  └ 河口镇党委 town2
      └ 河口村党支部 branch_c
"""

import datetime as dt
import os
from contextlib import closing
from dataclasses import dataclass

import dj_database_url
import psycopg2
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections
from django.db.backends.postgresql.operations import DatabaseOperations

from branches import services
from branches.models import Member, Organisation
from config import database_roles
from tests.factories import MemberFactory, OrganisationFactory, UserFactory

# --- the database roles ---------------------------------------------------------------------------------
# The test database is created and migrated by the schema's owner; the tests then connect as the portal's
# role, which owns nothing (config/database_roles.py), so every test also proves that the portal's work
# needs no more than that role's grants. With MIGRATION_DATABASE_URL set, it names the owner and
# DATABASE_URL the portal's role, both existing (the owner needs CREATEDB, for `test_<name>`); without it
# DATABASE_URL names a superuser (the machine's `postgres`, trust auth) and the set-up creates both roles.

# Tests that run migrations themselves (or VACUUM) connect as the owner: @pytest.mark.schema_owner.


@dataclass(frozen=True)
class DbRoles:
    owner: dict  # {"USER": …, "PASSWORD": …} of a connection
    app: dict


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "schema_owner: the test connects as the schema's owner (it migrates); transaction=True"
    )


def _params(settings_dict: dict, **override) -> dict:
    """psycopg2.connect() arguments for a Django connection's settings."""
    return {
        "dbname": settings_dict["NAME"],
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "host": settings_dict["HOST"] or None,
        "port": settings_dict["PORT"] or None,
        **override,
    }


def _connect_as(role: dict) -> None:
    """Close this thread's connection and reconnect (lazily) as `role`; new threads follow the settings."""
    connections["default"].close()
    connections["default"].settings_dict.update(role)
    connections.settings["default"].update(role)  # the same dict today; a thread's new connection reads it


def _prepare_roles(settings_dict: dict) -> DbRoles:
    if owner_url := os.environ.get("MIGRATION_DATABASE_URL"):
        owner = dj_database_url.parse(owner_url)
        return DbRoles(
            owner={"USER": owner["USER"], "PASSWORD": owner["PASSWORD"]},
            app={"USER": settings_dict["USER"], "PASSWORD": settings_dict["PASSWORD"]},
        )
    test_database = settings_dict["TEST"]["NAME"] or f"test_{settings_dict['NAME']}"
    with closing(psycopg2.connect(**_params(settings_dict, dbname="postgres"))) as admin:
        with admin.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                raise pytest.UsageError(
                    f"DATABASE_URL's role {settings_dict['USER']} is not a superuser, so the suite cannot create "
                    "its two roles: set MIGRATION_DATABASE_URL to the owner (README: Database roles)."
                )
        database_roles.ensure_roles(admin, owner_creates_databases=True)
        admin.autocommit = True
        with admin.cursor() as cursor:
            handed_over = database_roles.hand_over_database(cursor, test_database)
    if handed_over:  # a test database of the single-role days, kept by --reuse-db
        with closing(psycopg2.connect(**_params(settings_dict, dbname=test_database))) as conn:
            database_roles.adopt_objects(conn)
    return DbRoles(
        owner={"USER": database_roles.OWNER, "PASSWORD": ""}, app={"USER": database_roles.APP, "PASSWORD": ""}
    )


def _flush_as_owner(owner: dict):
    def execute_sql_flush(self, sql_list):
        """A transactional test ends with Django's flush: TRUNCATE of every table, which the portal's role
        may not do and the append-only tables refuse even to their owner (BEFORE TRUNCATE triggers). The
        harness flushes as the owner, with those triggers off inside its one transaction (ALTER TABLE is
        transactional: every other session only ever sees them on)."""
        params = _params({**self.connection.settings_dict, **owner}, options="-c lock_timeout=60s")
        with closing(psycopg2.connect(**params)) as conn, conn, conn.cursor() as cursor:
            cursor.execute(
                "SELECT tgrelid::regclass::text, quote_ident(tgname) FROM pg_trigger "
                "WHERE NOT tgisinternal AND tgtype & 32 <> 0"  # TRIGGER_TYPE_TRUNCATE
            )
            guards = cursor.fetchall()
            for table, trigger in guards:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            for sql in sql_list:
                cursor.execute(sql)
            for table, trigger in guards:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")

    return execute_sql_flush


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> DbRoles:
    """Before pytest-django creates and migrates the test database: the roles, and the owner connected."""
    roles = _prepare_roles(connections["default"].settings_dict)
    _connect_as(roles.owner)
    return roles


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_modify_db_settings, django_db_blocker):
    """pytest-django's set-up (as the owner), the grants, then every test as the portal's role."""
    roles: DbRoles = django_db_modify_db_settings
    with django_db_blocker.unblock():
        call_command("grant_app_role", role=roles.app["USER"], verbosity=0)
    _connect_as(roles.app)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", _flush_as_owner(roles.owner))
        yield roles
    _connect_as(roles.owner)  # without --reuse-db the test database is dropped next: the owner's right


@pytest.fixture
def db_roles(django_db_setup) -> DbRoles:
    return django_db_setup


@pytest.fixture(autouse=True)
def _schema_owner(request):
    """A test marked schema_owner (it migrates) connects as the owner, and its successors as the portal."""
    if request.node.get_closest_marker("schema_owner") is None:
        yield
        return
    roles: DbRoles = request.getfixturevalue("django_db_setup")
    if connection.in_atomic_block:
        raise pytest.UsageError(f"{request.node.nodeid}: schema_owner needs django_db(transaction=True)")
    _connect_as(roles.owner)
    yield
    _connect_as(roles.app)


def clear_cache() -> None:
    """Empty this run's part of the cache (its key prefix), not the whole Redis database: another test run
    on the machine keeps its keys."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_cache()
    yield


@pytest.fixture(autouse=True, scope="session")
def _leave_no_cache_keys_behind():
    yield
    clear_cache()  # the run's prefix is its own: nobody else would ever clear these keys


@pytest.fixture
def tree(db):
    county = OrganisationFactory(name="示范县委", kind="committee", unit_type="organ")
    town = OrganisationFactory(name="城关镇党委", kind="committee", unit_type="organ", parent=county)
    town2 = OrganisationFactory(name="河口镇党委", kind="committee", unit_type="organ", parent=county)
    branch_a = OrganisationFactory(name="东街社区党支部", parent=town, unit_type="community")
    branch_b = OrganisationFactory(name="西街社区党支部", parent=town, unit_type="community")
    branch_c = OrganisationFactory(name="河口村党支部", parent=town2, unit_type="village")
    return type("Tree", (), dict(county=county, town=town, town2=town2, a=branch_a, b=branch_b, c=branch_c))


def _persona(username, org, *, category="full", role=None, role_org=None, name=None, phone=None):
    user = UserFactory(username=username)
    member = MemberFactory(organisation=org, category=category, user=user, name=name or username, phone=phone)
    if role:
        services.assign_role(
            actor=None, member=member, organisation=role_org or org, kind=role, starts_on=dt.date(2024, 1, 1)
        )
    return user


@pytest.fixture
def alice(tree):
    return _persona("alice", tree.a, name="艾丽斯", phone="13800000001")


@pytest.fixture
def sam(tree):
    return _persona("sam", tree.a, role="secretary", name="孙书记", phone="13800000002")


@pytest.fixture
def petra(tree):
    return _persona("petra", tree.a, category="probationary", name="裴预备")


@pytest.fixture
def bob(tree):
    return _persona("bob", tree.b, name="鲍勃")


@pytest.fixture
def olga(tree):
    """An officer of the town committee: acts on branches a and b, not c."""
    return _persona("olga", tree.town, role="officer", name="欧干部")


@pytest.fixture
def victor(tree):
    """A supervisor of the town committee's jurisdiction."""
    return _persona("victor", tree.town, role="supervisor", name="魏监督")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def member_of(user) -> Member:
    return Member.objects.get(user=user)


__all__ = ["Organisation", "member_of"]
