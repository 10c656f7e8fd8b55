"""`manage.py grant_app_role`: the portal's database role may read and write the rows of every table.

Run as the schema's owner right after `migrate` (both with ZHIBU_MIGRATE=1, README "Database roles"):

    ZHIBU_MIGRATE=1 manage.py migrate && ZHIBU_MIGRATE=1 manage.py grant_app_role

It grants the row privileges of config/database_roles.py on every table and sequence that exists and, as
default privileges of the owner, on every one a later migration creates; it takes back TRUNCATE, REFERENCES
and TRIGGER should anyone have granted them. Idempotent, in one transaction. It refuses to run as the
portal's role itself (one role for everything grants nothing) and names any table the owner does not own,
which its GRANT could not reach.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from config.database_roles import grant_statements


class Command(BaseCommand):
    help = "Grant the portal's database role (DATABASE_URL's user) its row privileges; run as the owner."

    def add_arguments(self, parser):
        parser.add_argument(
            "--role",
            default=settings.ZHIBU_DATABASE_APP_ROLE,
            help="the portal's role (default: the user of DATABASE_URL, %(default)s)",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the connection of the owner")

    def handle(self, *, role: str, database: str, **options) -> None:
        with transaction.atomic(using=database), connections[database].cursor() as cursor:
            cursor.execute("SELECT current_user")
            owner = cursor.fetchone()[0]
            if owner == role:
                raise CommandError(
                    f"Connected as {role}, the portal's own role: there is nobody to grant to. Run with "
                    "ZHIBU_MIGRATE=1 and MIGRATION_DATABASE_URL naming the owner (README: Database roles)."
                )
            cursor.execute(
                "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> "
                "(SELECT oid FROM pg_roles WHERE rolname = current_user) ORDER BY 1"
            )
            foreign = cursor.fetchall()
            if foreign:
                listed = ", ".join(f"{table} ({who})" for table, who in foreign[:10])
                raise CommandError(
                    f"{len(foreign)} table(s) of the schema are not {owner}'s: {listed}. Hand them to the "
                    f"owner first (README: Database roles)."
                )
            for statement in grant_statements(owner=owner, app=role):
                cursor.execute(statement)
        if options["verbosity"]:
            self.stdout.write(f"{role} may read and write the rows of every table of {owner}, now and later.")
