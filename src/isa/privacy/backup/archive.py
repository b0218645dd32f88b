"""One backup, one file: ``isa-backup-<time>.tar.age``.

Inside the age encryption, a tar archive holds

- ``manifest.json``: when, which ISA, for each database its engine, its tables' row counts and
  checksums (:func:`~isa.privacy.backup.databases.table_digests`), and the SHA-256 of every
  other member of the archive;
- ``db/default.sqlite3`` or ``db/default.pgdump`` (and ``db/audit.…`` when the audit log has
  a database of its own);
- ``media/…``: every file under ``MEDIA_ROOT``.

It is encrypted with age (pyrage) to the public keys of ``ISA_BACKUP_RECIPIENT``: the server
that makes and keeps the backups cannot read them; the private key (``--identity``) stays
with whoever restores.  The plain archive exists only in a temporary folder readable by its
owner, removed at the end.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from isa.privacy.backup import databases
from isa.privacy.backup.databases import BackupError, Database
from isa.privacy.files import FILE_MODE, private_file, private_folder

FORMAT = "isa-backup/1"
MANIFEST = "manifest.json"
DUMP_SUFFIX = {"sqlite": "sqlite3", "postgresql": "pgdump"}


@dataclass
class Verification:
    """What a restore found, table by table, against the manifest."""

    tables: int = 0
    rows: int = 0
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _workspace() -> Iterator[Path]:
    """A temporary folder readable by its owner only (``mkdtemp`` creates it 0700)."""
    folder = Path(tempfile.mkdtemp(prefix="isa-backup-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def backed_up_aliases() -> list[str]:
    """``default``, and ``audit`` when the audit log has a database of its own."""
    return [alias for alias in ("default", "audit") if alias in connections.databases]


def recipients(keys: list[str] | None = None) -> list[Any]:
    import pyrage

    keys = list(keys if keys is not None else settings.ISA_BACKUP_RECIPIENTS)
    if not keys:
        raise BackupError("ISA_BACKUP_RECIPIENT is not set: give the age public key (age1…)")
    try:
        return [pyrage.x25519.Recipient.from_str(key.strip()) for key in keys]
    except pyrage.RecipientError:
        raise BackupError("ISA_BACKUP_RECIPIENT is not an age public key (age1…)") from None


def read_identity(path: Path) -> list[Any]:
    """The private keys of an age identity file (``age-keygen``'s format)."""
    import pyrage

    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise BackupError(f"cannot read the identity file: {exc.strerror}") from None
    keys = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    try:
        identities = [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError:
        raise BackupError(
            "the identity file holds no age private key (AGE-SECRET-KEY-1…)"
        ) from None
    if not identities:
        raise BackupError("the identity file holds no age private key (AGE-SECRET-KEY-1…)")
    return identities


# -- backup ---------------------------------------------------------------------------------


def backup_write(
    *, output_dir: Path | None = None, keys: list[str] | None = None, media_root: Path | None = None
) -> tuple[Path, dict[str, Any]]:
    """Write one encrypted archive of the databases and the media; its path and manifest."""
    import pyrage

    to = recipients(keys)
    media = Path(media_root or settings.MEDIA_ROOT)
    folder = private_folder(Path(output_dir or settings.ISA_BACKUP_DIR))
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    target = folder / f"isa-backup-{stamp}.tar.age"
    with _workspace() as work:
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "databases": {},
            "files": {},
        }
        members: list[tuple[Path, str]] = []
        for alias in backed_up_aliases():
            database = Database.from_alias(alias)
            name = f"db/{alias}.{DUMP_SUFFIX[database.vendor]}"
            dumped = work / name.replace("/", "_")
            tables = databases.dump(database, dumped)
            manifest["databases"][alias] = {
                "vendor": database.vendor,
                "member": name,
                "tables": tables,
            }
            members.append((dumped, name))
        if media.is_dir():
            for path in sorted(p for p in media.rglob("*") if p.is_file()):
                members.append((path, f"media/{path.relative_to(media).as_posix()}"))
        for path, name in members:
            manifest["files"][name] = _sha256(path)
        manifest_path = work / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        plain = work / "backup.tar"
        with tarfile.open(plain, "w") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            for path, name in members:
                tar.add(path, arcname=name)
        partial = target.with_suffix(".partial")
        pyrage.encrypt_file(str(plain), str(partial), to)
        private_file(partial)
        partial.replace(target)
    return target, manifest


# -- reading an archive ---------------------------------------------------------------------


@contextmanager
def opened(archive: Path, identities: list[Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """The archive decrypted and unpacked in a private temporary folder, every member
    checked against the manifest; refused (:class:`BackupError`) if it is not readable
    with these keys, damaged or incomplete."""
    import pyrage

    if not archive.is_file():
        raise BackupError(f"no archive at {archive}")
    with _workspace() as work:
        plain = work / "backup.tar"
        try:
            pyrage.decrypt_file(str(archive), str(plain), identities)
        except pyrage.DecryptError as exc:
            raise BackupError(
                f"the archive cannot be decrypted with this key, or is damaged ({exc})"
            ) from None
        except OSError as exc:
            raise BackupError(f"the archive is damaged ({exc})") from None
        unpacked = work / "unpacked"
        unpacked.mkdir(mode=0o700)
        try:
            with tarfile.open(plain) as tar:
                tar.extractall(unpacked, filter="data")
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"the archive is damaged: {exc}") from None
        manifest = _manifest(unpacked)
        for name, checksum in manifest["files"].items():
            member = unpacked / name
            if not member.is_file():
                raise BackupError(f"the archive lacks {name}")
            if _sha256(member) != checksum:
                raise BackupError(f"{name} does not match its checksum in the manifest")
        yield unpacked, manifest


def _manifest(unpacked: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((unpacked / MANIFEST).read_text())
    except (OSError, ValueError):
        raise BackupError("the archive has no readable manifest") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("this is not an ISA backup (unknown format)")
    return manifest


# -- restore ---------------------------------------------------------------------------------


def _compare(expected: dict[str, Any], found: dict[str, Any], alias: str) -> Verification:
    result = Verification()
    for table in sorted(expected.keys() | found.keys()):
        want, got = expected.get(table), found.get(table)
        if want is None or got is None:
            result.mismatches.append(f"{alias}.{table}: missing on one side")
            continue
        result.tables += 1
        result.rows += int(got["rows"])
        if want != got:
            result.mismatches.append(
                f"{alias}.{table}: {got['rows']} rows restored, {want['rows']} backed up"
                + ("" if got["rows"] != want["rows"] else " (contents differ)")
            )
    return result


def _merge(results: list[Verification]) -> Verification:
    merged = Verification()
    for result in results:
        merged.tables += result.tables
        merged.rows += result.rows
        merged.mismatches += result.mismatches
    return merged


def backup_restore(
    archive: Path,
    *,
    identities: list[Any],
    targets: dict[str, Database],
    media_root: Path,
) -> tuple[Verification, dict[str, Any]]:
    """Restore ``archive`` into the empty databases ``targets`` (by alias) and the empty
    ``media_root``, then compare every table with the manifest.

    Refused before anything is written when the archive cannot be read, a database is not
    empty, the media folder holds files, or the archive and the targets disagree (an audit
    database in the archive and none to restore it into, or an engine changed)."""
    with opened(archive, identities) as (unpacked, manifest):
        return _restore_opened(unpacked, manifest, targets, media_root), manifest


def _restore_opened(
    unpacked: Path, manifest: dict[str, Any], targets: dict[str, Database], media_root: Path
) -> Verification:
    backed_up = manifest["databases"]
    for alias in backed_up:
        if alias not in targets:
            raise BackupError(f"the archive holds the {alias} database: say where it goes")
    for alias, database in targets.items():
        if alias not in backed_up:
            raise BackupError(f"the archive holds no {alias} database")
        if backed_up[alias]["vendor"] != database.vendor:
            raise BackupError(
                f"the {alias} database was backed up from {backed_up[alias]['vendor']}, "
                f"it cannot be restored into {database.vendor}"
            )
        if not databases.is_empty(database):
            raise BackupError(f"the database {database.label} is not empty: nothing restored")
    if media_root.exists() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"the media folder {media_root} is not empty: nothing restored")
    results = []
    for alias, database in targets.items():
        databases.restore(database, unpacked / backed_up[alias]["member"])
        results.append(_compare(backed_up[alias]["tables"], databases.digests_of(database), alias))
    _restore_media(unpacked, media_root)
    return _merge(results)


def _restore_media(unpacked: Path, media_root: Path) -> None:
    private_folder(media_root)
    source = unpacked / "media"
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        target = media_root / path.relative_to(source)
        if path.is_dir():
            private_folder(target)
        else:
            private_folder(target.parent)
            shutil.copyfile(path, target)
            target.chmod(FILE_MODE)


def backup_verify(
    archive: Path, *, identities: list[Any], scratch_prefix: str = ""
) -> Verification:
    """Restore ``archive`` into scratch databases (a temporary SQLite file, or a new
    PostgreSQL database beside the current one, dropped afterwards) and a scratch media
    folder, and compare every table's count and checksum with the manifest."""
    with opened(archive, identities) as (unpacked, manifest), _workspace() as scratch:
        targets: dict[str, Database] = {}
        created: list[Database] = []
        try:
            for alias, entry in manifest["databases"].items():
                if entry["vendor"] == "sqlite":
                    targets[alias] = Database("sqlite", str(scratch / f"{alias}.sqlite3"))
                else:
                    here = Database.from_alias(
                        alias if alias in connections.databases else "default"
                    )
                    if here.vendor != "postgresql":
                        raise BackupError(
                            "a PostgreSQL backup is verified beside a PostgreSQL database"
                        )
                    name = f"{scratch_prefix or here.name}_verify_{alias}"
                    targets[alias] = databases.create_scratch(here, name)
                    created.append(targets[alias])
            result = _restore_opened(unpacked, manifest, targets, scratch / "media")
        finally:
            for database in created:
                databases.drop_scratch(database)
        files = manifest["files"]
        restored_media = {
            f"media/{p.relative_to(scratch / 'media').as_posix()}"
            for p in (scratch / "media").rglob("*")
            if p.is_file()
        }
        expected_media = {name for name in files if name.startswith("media/")}
        if restored_media != expected_media:
            result.mismatches.append("media: the files restored differ from the manifest")
        return result
