"""The databases a backup holds: how to read one consistently, dump it, restore it, and
compute the manifest's row counts and checksums.

A database is described by a :class:`Database` (its engine and connection settings), taken
from a Django alias (``default``, ``audit``) or from a URL (``isa restore --database-url``).

- **SQLite**: the file is copied with SQLite's online backup API (``sqlite3.Connection.backup``),
  safe while the application writes; the manifest is computed on the copy.
- **PostgreSQL**: ``pg_dump --format=custom`` (the binary of the server's major version,
  found by :func:`pg_binary`), run on a snapshot exported by a ``REPEATABLE READ``
  transaction in which the manifest is computed too, so both see the same rows.  Restored
  with ``pg_restore --no-owner --no-acl --exit-on-error``: the restoring role owns what it
  restores; the application role's grants are given again afterwards (docs/operations.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from isa.privacy.files import private_file


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why."""


@dataclass(frozen=True)
class Database:
    vendor: str  # "sqlite" | "postgresql"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = field(default="", repr=False)

    @classmethod
    def from_settings(cls, config: dict[str, Any]) -> Database:
        engine = str(config["ENGINE"])
        vendor = "sqlite" if engine.endswith("sqlite3") else "postgresql"
        return cls(
            vendor=vendor,
            name=str(config["NAME"]),
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
        )

    @classmethod
    def from_alias(cls, alias: str) -> Database:
        from django.db import connections

        return cls.from_settings(connections[alias].settings_dict)

    @classmethod
    def from_url(cls, url: str) -> Database:
        import dj_database_url

        try:
            config = dj_database_url.parse(url)
        except Exception as exc:  # dj-database-url raises plain ValueErrors
            raise BackupError(f"not a database URL: {exc}") from None
        if not str(config.get("ENGINE", "")).endswith(("sqlite3", "postgresql")):
            raise BackupError("only sqlite:/// and postgres:// databases are supported")
        return cls.from_settings(config)

    def named(self, name: str) -> Database:
        """The same server, another database (a scratch one, for ``--verify``)."""
        return Database(self.vendor, name, self.host, self.port, self.user, self.password)

    @property
    def label(self) -> str:
        if self.vendor == "sqlite":
            return f"sqlite:{self.name}"
        return f"postgresql:{self.host or 'local'}/{self.name}"

    # -- PostgreSQL connections ---------------------------------------------------------

    def pg_params(self, dbname: str | None = None) -> dict[str, str]:
        params = {"dbname": dbname or self.name}
        for key, value in (
            ("host", self.host),
            ("port", self.port),
            ("user", self.user),
            ("password", self.password),
        ):
            if value:
                params[key] = value
        return params

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, value in (
            ("PGHOST", self.host),
            ("PGPORT", self.port),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
        ):
            if value:
                env[key] = value
        env["PGDATABASE"] = self.name
        return env

    def pg_connect(self, dbname: str | None = None, *, autocommit: bool = False) -> Any:
        import psycopg

        try:
            return psycopg.connect(**self.pg_params(dbname), autocommit=autocommit)
        except psycopg.OperationalError as exc:
            raise BackupError(f"cannot connect to {self.label}: {exc}") from None


# -- reading --------------------------------------------------------------------------------


def _user_tables(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = 'public'")
    return sorted(row[0] for row in cursor.fetchall())


def _cell(value: Any) -> Any:
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def table_digests(cursor: Any, vendor: str) -> dict[str, dict[str, Any]]:
    """Every table's row count and checksum: the SHA-256 of its rows, each written as a JSON
    array and the lines sorted, so that the order in which the database returns them does
    not matter.  Compared only between databases of the same engine."""
    digests: dict[str, dict[str, Any]] = {}
    for table in _user_tables(cursor, vendor):
        cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the catalogue
        lines = sorted(
            json.dumps([_cell(v) for v in row], ensure_ascii=False, default=str)
            for row in cursor.fetchall()
        )
        checksum = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
        digests[table] = {"rows": len(lines), "sha256": checksum}
    return digests


def digests_of(database: Database) -> dict[str, dict[str, Any]]:
    if database.vendor == "sqlite":
        with _sqlite(database.name) as conn:
            return table_digests(conn.cursor(), "sqlite")
    with database.pg_connect() as conn, conn.cursor() as cursor:
        return table_digests(cursor, "postgresql")


@contextmanager
def _sqlite(path: str) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path)
    try:
        yield conn
    finally:
        conn.close()


def is_empty(database: Database) -> bool:
    """No table at all: a database created for the restore, not yet migrated."""
    if database.vendor == "sqlite":
        path = Path(database.name)
        if not path.exists() or path.stat().st_size == 0:
            return True
        with _sqlite(database.name) as conn:
            return not _user_tables(conn.cursor(), "sqlite")
    with database.pg_connect() as conn, conn.cursor() as cursor:
        return not _user_tables(cursor, "postgresql")


# -- PostgreSQL binaries ----------------------------------------------------------------


def pg_binary(name: str, database: Database) -> str:
    """``pg_dump`` or ``pg_restore`` of the server's major version: in ``ISA_PG_BIN_DIR``
    when set, else Debian's ``/usr/lib/postgresql/<major>/bin``, else the PATH's."""
    configured = getattr(settings, "ISA_PG_BIN_DIR", "")
    if configured:
        path = Path(configured) / name
        if not path.exists():
            raise BackupError(f"ISA_PG_BIN_DIR has no {name}: {path}")
        return str(path)
    with database.pg_connect() as conn:
        major = conn.info.server_version // 10000
    debian = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if debian.exists():
        return str(debian)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL {major} client tools")
    return found


def _run(args: list[str], database: Database) -> None:
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from our settings
        args, env=database.pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(f"{Path(args[0]).name} failed: {' '.join(message[-3:])}")


# -- dump and restore ---------------------------------------------------------------------


def dump(database: Database, destination: Path) -> dict[str, dict[str, Any]]:
    """Write a consistent copy of ``database`` to ``destination``; its tables' digests."""
    if database.vendor == "sqlite":
        if not Path(database.name).exists():
            raise BackupError(f"no database file at {database.name}")
        with _sqlite(database.name) as source:
            target = sqlite3.connect(destination)
            try:
                source.backup(target)
            finally:
                target.close()
        private_file(destination)
        with _sqlite(str(destination)) as copy:
            return table_digests(copy.cursor(), "sqlite")
    pg_dump = pg_binary("pg_dump", database)
    with database.pg_connect() as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            _run(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", "-f", str(destination)],
                database,
            )
            digests = table_digests(cursor, "postgresql")
        conn.rollback()
    private_file(destination)
    return digests


def restore(database: Database, dumped: Path) -> None:
    """Load ``dumped`` (made by :func:`dump`) into the empty ``database``."""
    if database.vendor == "sqlite":
        target_path = Path(database.name)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        with _sqlite(str(dumped)) as source:
            target = sqlite3.connect(target_path)
            try:
                source.backup(target)
            finally:
                target.close()
        private_file(target_path)
        return
    pg_restore = pg_binary("pg_restore", database)
    _run(
        [pg_restore, "--no-owner", "--no-acl", "--exit-on-error", "-d", database.name, str(dumped)],
        database,
    )


def create_scratch(database: Database, name: str) -> Database:
    """A new, empty database beside ``database`` (PostgreSQL), for ``--verify``."""
    scratch = database.named(name)
    with database.pg_connect("postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return scratch


def drop_scratch(database: Database) -> None:
    with database.pg_connect("postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')
