"""Backups that restore: the restore drill on the demo, and every refusal of ``isa restore``.

The drill runs on the database the suite runs on (SQLite, or PostgreSQL with
``ISA_DATABASE_URL=postgres://…``): the demo is seeded and committed (a backup reads what is
committed, from outside the test's connection), backed up, restored into a new database and
media folder, and compared table by table.
"""

from __future__ import annotations

import re
import sqlite3
import stat
from io import StringIO
from pathlib import Path

import pyrage
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from isa.core.models import AuditEvent, User
from isa.people.models import Participant
from isa.privacy.backup import BackupError, Database, backup_restore, backup_write
from isa.privacy.backup import databases as dbs


@pytest.fixture
def keys(tmp_path: Path) -> tuple[str, Path]:
    identity = pyrage.x25519.Identity.generate()
    path = tmp_path / "key.txt"
    path.write_text(f"# created by the test\n# public key: {identity.to_public()}\n{identity}\n")
    return str(identity.to_public()), path


def _identities(path: Path) -> list[object]:
    from isa.privacy.backup import read_identity

    return read_identity(path)


def _new_database(tmp_path: Path, suffix: str) -> Database:
    """A new, empty database of the suite's engine."""
    here = Database.from_alias("default")
    if here.vendor == "sqlite":
        return Database("sqlite", str(tmp_path / f"{suffix}.sqlite3"))
    return dbs.create_scratch(here, f"{here.name}_{suffix}")


def _drop(database: Database) -> None:
    if database.vendor == "postgresql":
        dbs.drop_scratch(database)


def _normalised(html: str) -> str:
    """A page without what differs between two renderings: CSRF tokens."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def _builtin_media() -> None:
    """The media a data migration adds: gone if a test before this one flushed the database."""
    import importlib

    from django.apps import apps

    importlib.import_module("isa.presence.migrations.0002_builtin_media").add(apps, None)


@pytest.mark.usefixtures("transactional_db")
def test_restore_drill(tmp_path: Path, keys: tuple[str, Path], settings):
    _builtin_media()
    call_command("seed_demo", stdout=StringIO())
    head = User.objects.get(email="claire.favre@demo.isa.example")
    person = Participant.objects.filter(works__isnull=False).order_by("pk").first() or (
        Participant.objects.order_by("pk").first()
    )
    client = Client()
    client.force_login(head)  # the session is in the backup too
    page = f"/p/{person.programme_id}/people/{person.pk}/"
    before = client.get(person.get_absolute_url())
    assert before.status_code == 200, page

    archive, manifest = backup_write(
        output_dir=tmp_path / "backups", keys=[keys[0]], media_root=Path(settings.MEDIA_ROOT)
    )
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert stat.S_IMODE(archive.parent.stat().st_mode) == 0o700
    assert b"Zufferey" not in archive.read_bytes()[:1_000_000]  # encrypted

    target = _new_database(tmp_path, "drill")
    media = tmp_path / "restored-media"
    try:
        result, _ = backup_restore(
            archive, identities=_identities(keys[1]), targets={"default": target}, media_root=media
        )
        assert result.ok, result.mismatches
        # every table's row count and checksum, as the manifest has them
        expected = manifest["databases"]["default"]["tables"]
        assert dbs.digests_of(target) == expected
        assert expected["people_participant"]["rows"] == Participant.objects.count()
        assert result.tables == len(expected)
        # every media file
        restored = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())
        original = Path(settings.MEDIA_ROOT)
        assert restored == sorted(
            p.relative_to(original).as_posix() for p in original.rglob("*") if p.is_file()
        )
        assert stat.S_IMODE(media.stat().st_mode) == 0o700
        # the audit log's triggers came back with it
        _assert_audit_refuses_changes(target)
        # the participant's file reads the same from the restored database and media
        after = _render_on(target, media, client, person.get_absolute_url(), settings)
        assert _normalised(after) == _normalised(before.content.decode())
    finally:
        _drop(target)


def _assert_audit_refuses_changes(database: Database) -> None:
    table = AuditEvent._meta.db_table
    for statement in (f"UPDATE {table} SET action = 'view'", f"DELETE FROM {table}"):  # noqa: S608
        if database.vendor == "sqlite":
            conn = sqlite3.connect(database.name)
            try:
                with pytest.raises(sqlite3.DatabaseError, match="audit events"):
                    conn.execute(statement)
            finally:
                conn.close()
        else:
            import psycopg

            with database.pg_connect() as conn, pytest.raises(psycopg.Error, match="audit events"):
                conn.execute(statement)


def _render_on(database: Database, media: Path, client: Client, url: str, settings) -> str:
    """``url`` rendered by the application running on ``database`` and ``media``."""
    original = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database.name
    settings.MEDIA_ROOT = str(media)
    try:
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()
    finally:
        connection.close()
        connection.settings_dict["NAME"] = original


# -- refusals --------------------------------------------------------------------------------


@pytest.fixture
def archive(db, tmp_path: Path, keys: tuple[str, Path]) -> Path:
    """An archive of the test database as committed (its tables, migrated and empty)."""
    path, _ = backup_write(output_dir=tmp_path / "b", keys=[keys[0]], media_root=tmp_path / "m")
    return path


def test_a_wrong_key_is_refused_and_nothing_is_written(archive, tmp_path):
    stranger = tmp_path / "stranger.txt"
    stranger.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    target = Database("sqlite", str(tmp_path / "t.sqlite3"))
    with pytest.raises(BackupError, match="cannot be decrypted with this key"):
        backup_restore(
            archive,
            identities=_identities(stranger),
            targets={"default": target},
            media_root=tmp_path / "m2",
        )
    assert not Path(target.name).exists()
    assert not (tmp_path / "m2").exists()


def test_a_damaged_archive_is_refused(archive, tmp_path, keys):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = tmp_path / "damaged.tar.age"
    damaged.write_bytes(bytes(data))
    target = Database("sqlite", str(tmp_path / "t.sqlite3"))
    with pytest.raises(BackupError, match="damaged"):
        backup_restore(
            damaged,
            identities=_identities(keys[1]),
            targets={"default": target},
            media_root=tmp_path / "m2",
        )
    assert not Path(target.name).exists()


def test_a_database_that_is_not_empty_is_refused(archive, tmp_path, keys):
    target = Database("sqlite", str(tmp_path / "t.sqlite3"))
    conn = sqlite3.connect(target.name)
    conn.execute("CREATE TABLE mine (x integer)")
    conn.commit()
    conn.close()
    vendor = Database.from_alias("default").vendor
    if vendor != "sqlite":
        target = Database.from_alias("default")  # the test database itself: migrated
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(
            archive,
            identities=_identities(keys[1]),
            targets={"default": target},
            media_root=tmp_path / "m2",
        )
    assert not (tmp_path / "m2").exists()


def test_a_media_folder_that_is_not_empty_is_refused(archive, tmp_path, keys):
    media = tmp_path / "m2"
    media.mkdir()
    (media / "someone.jpg").write_bytes(b"x")
    target = _new_database(tmp_path, "media_refused")
    try:
        with pytest.raises(BackupError, match="media folder"):
            backup_restore(
                archive,
                identities=_identities(keys[1]),
                targets={"default": target},
                media_root=media,
            )
        assert dbs.is_empty(target)
    finally:
        _drop(target)


def test_an_engine_change_is_refused(archive, tmp_path, keys):
    vendor = Database.from_alias("default").vendor
    other = (
        Database("postgresql", "nowhere", host="127.0.0.1")
        if vendor == "sqlite"
        else Database("sqlite", str(tmp_path / "t.sqlite3"))
    )
    with pytest.raises(BackupError, match="cannot be restored into"):
        backup_restore(
            archive,
            identities=_identities(keys[1]),
            targets={"default": other},
            media_root=tmp_path / "m2",
        )


# -- the commands ----------------------------------------------------------------------------


def test_backup_needs_a_recipient(db, settings, tmp_path):
    settings.ISA_BACKUP_RECIPIENTS = []
    settings.ISA_BACKUP_DIR = tmp_path
    with pytest.raises(CommandError, match="ISA_BACKUP_RECIPIENT"):
        call_command("backup", stdout=StringIO())


def test_backup_command_writes_verifies_and_audits(db, settings, tmp_path, keys):
    settings.ISA_BACKUP_RECIPIENTS = [keys[0]]
    settings.ISA_BACKUP_DIR = tmp_path / "backups"
    out = StringIO()
    name = f"{Database.from_alias('default').name.rsplit('/', 1)[-1].split('.')[0]}"
    call_command(
        "backup", "--verify", "--identity", str(keys[1]), "--scratch-name", name, stdout=out
    )
    assert "backup written" in out.getvalue()
    assert "match the manifest" in out.getvalue()
    event = AuditEvent.objects.get(object_type="privacy.backup")
    assert event.action == "export" and event.channel == "job"
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700


def test_restore_command_refuses_with_the_reason(archive, tmp_path):
    stranger = tmp_path / "stranger.txt"
    stranger.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    with pytest.raises(CommandError, match="refused: the archive cannot be decrypted"):
        call_command(
            "restore",
            str(archive),
            "--identity",
            str(stranger),
            "--database-url",
            f"sqlite:///{tmp_path / 'r.sqlite3'}",
            "--media-root",
            str(tmp_path / "rm"),
        )
    not_a_key = tmp_path / "nokey.txt"
    not_a_key.write_text("hello\n")
    with pytest.raises(CommandError, match="no age private key"):
        call_command("restore", str(archive), "--identity", str(not_a_key))


def test_the_sqlite_file_and_uploads_are_private(db):
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o600
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o700
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        mode = stat.S_IMODE(Path(connection.settings_dict["NAME"]).stat().st_mode)
        assert mode == 0o600


# -- the audit log in a database of its own --------------------------------------------------


def test_a_separate_audit_database_is_backed_up_and_restored(tmp_path: Path, keys):
    """The `isa` command as an operator runs it, with ISA_AUDIT_DATABASE_URL (SQLite files)."""
    import os
    import subprocess
    import sys

    isa = [sys.executable, "-c", "import sys; from isa.cli import main; sys.exit(main())"]
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ISA_", "DJANGO_", "PYTEST"))
    }
    env.update(
        ISA_VAR_DIR=str(tmp_path / "var"),
        ISA_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'isa.sqlite3'}",
        ISA_AUDIT_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'audit.sqlite3'}",
        ISA_BACKUP_RECIPIENT=keys[0],
    )

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([*isa, *args], env=env, capture_output=True, text=True)
        if check:
            assert done.returncode == 0, done.stderr[-2000:]
        return done

    run("migrate", "-v0")
    run("migrate", "--database", "audit", "-v0")
    run("backup", "--verify", "--identity", str(keys[1]))
    archive = next((tmp_path / "var" / "backups").glob("*.tar.age"))
    restored = run(
        "restore",
        str(archive),
        "--identity",
        str(keys[1]),
        "--database-url",
        f"sqlite:///{tmp_path / 'r.sqlite3'}",
        "--audit-database-url",
        f"sqlite:///{tmp_path / 'ra.sqlite3'}",
        "--media-root",
        str(tmp_path / "rm"),
    )
    assert "every one as in the manifest" in restored.stdout
    audit = sqlite3.connect(tmp_path / "ra.sqlite3")
    try:
        tables = {r[0] for r in audit.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "core_auditevent" in tables and "people_participant" not in tables
        triggers = {
            r[0] for r in audit.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
        }
        assert {"core_auditevent_no_delete", "core_auditevent_no_update"} <= triggers
    finally:
        audit.close()
    # without a place for the audit database, the configured one (not empty) is refused
    refused = run(
        "restore",
        str(archive),
        "--identity",
        str(keys[1]),
        "--database-url",
        f"sqlite:///{tmp_path / 'r2.sqlite3'}",
        "--media-root",
        str(tmp_path / "rm2"),
        check=False,
    )
    assert refused.returncode != 0 and "is not empty" in refused.stderr
    assert not (tmp_path / "r2.sqlite3").exists()
