"""A PostgreSQL cluster of the test's own, which the test may stop and start.

The shared server (port 5433) is never restarted by a test. ``OwnPostgres``
runs ``initdb`` with the server binaries scripts/stack.sh uses into a fresh
folder, serves it on a free loopback port, restarts it for real
(``pg_ctl restart -m fast``) and removes it at the end. As root the server
runs as the ``postgres`` account (it refuses root), so its folder is made
where that account can reach it.

``python -m tests.deploy.postgres prepare INI`` creates CKAN's tables and
those of this package's enabled plugins (tests/migrations.py) in the database
the config names, then one agency with a public dataset; it prints the
dataset's name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.hardening.services import free_port

BIN_ROOT = Path("/usr/lib/postgresql")
DATABASE = "ckan_nd47_own"


def _server_bin() -> Path:
    """The newest installed server's bin folder (as scripts/stack.sh picks it)."""
    found = sorted(
        (path.parent for path in BIN_ROOT.glob("*/bin/initdb")),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql "
            "(run: scripts/stack.sh system)"
        )
    return found[-1]


class OwnPostgres:
    """initdb, start, restart and remove one throwaway cluster."""

    def __init__(self) -> None:
        self.bin = _server_bin()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="nd47-own-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        done = subprocess.run(
            prefix + list(command), capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            server_log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{Path(command[0]).name} failed ({done.returncode}): "
                f"{done.stdout}{done.stderr}{server_log}"
            )

    def _ctl(self, action: str, *extra: str) -> None:
        # fsync off: a disposable cluster, as the shared test one
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            *extra,
            action,
        )

    def start(self) -> None:
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self._ctl("start")
        self._run(
            str(self.bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-qc",
            f"CREATE DATABASE {DATABASE} ENCODING 'UTF8' TEMPLATE template0",
        )

    def restart(self) -> None:
        """A real stop (fast: open sessions are ended) and start of the server."""
        self._ctl("restart", "-m", "fast")

    def remove(self) -> None:
        """Stop the server if it runs and delete its folder."""
        if (self.data / "postmaster.pid").exists():
            try:
                self._ctl("stop", "-m", "immediate")
            except RuntimeError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


def prepare(ini: str) -> str:
    """Create every table the config's plugins need and one public dataset; its name."""
    import ckan.plugins.toolkit as tk
    from ckan.cli import load_config
    from ckan.cli.db import _run_migrations
    from ckan.config.middleware import make_app

    from tests import factories
    from tests.migrations import migrate_enabled

    config = load_config(ini)
    app = make_app(config)
    _run_migrations(None)
    migrate_enabled(_run_migrations, tk.config.get("ckan.plugins"))
    with app._wsgi_app.test_request_context():
        dataset = factories.Dataset(title="Danh mục trường học")
    return dataset["name"]


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "prepare":
        sys.exit("usage: python -m tests.deploy.postgres prepare INI")
    print(prepare(sys.argv[2]))
