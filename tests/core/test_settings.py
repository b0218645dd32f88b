"""Configuration from ISA_* variables: typed, loud on bad values, safe in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from isa import settings as isa_settings

ROOT = Path(__file__).resolve().parents[2]


def run_isa(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("ISA_")}
    base.update({"ISA_VAR_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [sys.executable, "-m", "isa.cli", *args],
        env=base,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("env_bool", "maybe", "ISA_X must be 0 or 1"),
        ("env_int", "twelve", "ISA_X must be a whole number"),
    ],
)
def test_typed_helpers_name_the_variable(monkeypatch, name, raw, message):
    monkeypatch.setenv("ISA_X", raw)
    helper = getattr(isa_settings, name)
    with pytest.raises(ImproperlyConfigured, match=message):
        helper("ISA_X", 1)


def test_env_int_refuses_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("ISA_X", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        isa_settings.env_int("ISA_X", 5, minimum=1)


def test_env_int_refuses_values_above_the_maximum(monkeypatch):
    monkeypatch.setenv("ISA_PASSWORD_MIN_SCORE", "5")
    with pytest.raises(ImproperlyConfigured, match="ISA_PASSWORD_MIN_SCORE must be at most 4"):
        isa_settings.env_int("ISA_PASSWORD_MIN_SCORE", 3, minimum=0, maximum=4)


def test_env_bool_reads_the_usual_spellings(monkeypatch):
    for raw, value in [("1", True), ("yes", True), ("off", False), ("0", False), ("", True)]:
        monkeypatch.setenv("ISA_X", raw)
        assert isa_settings.env_bool("ISA_X", True) is value


@pytest.mark.parametrize(
    "url", ["mysql://db/isa", "nonsense", "postgres://host:notaport/isa", "postgres://host/"]
)
def test_a_bad_database_url_is_refused_with_the_variable_name(monkeypatch, url):
    monkeypatch.setenv("ISA_DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match="ISA_DATABASE_URL"):
        isa_settings.env_database("ISA_DATABASE_URL", "sqlite:///x.sqlite3")


def test_sqlite_gets_wal_and_immediate_transactions():
    config = isa_settings.env_database("ISA_NOT_SET", "sqlite:////tmp/isa.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed(monkeypatch):
    monkeypatch.setenv("ISA_DATABASE_URL", "postgres://isa:secret@db.internal:5433/isa")
    config = isa_settings.env_database("ISA_DATABASE_URL", "")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "isa")


def test_email_url(monkeypatch):
    monkeypatch.setenv("ISA_EMAIL_URL", "smtp+tls://isa%40x.ch:pw@mail.x.ch:2525")
    config = isa_settings.env_email("ISA_EMAIL_URL", "console://")
    assert config["EMAIL_HOST"] == "mail.x.ch"
    assert config["EMAIL_PORT"] == 2525
    assert config["EMAIL_HOST_USER"] == "isa@x.ch"
    assert config["EMAIL_USE_TLS"] is True
    monkeypatch.setenv("ISA_EMAIL_URL", "pigeon://loft")
    with pytest.raises(ImproperlyConfigured, match="ISA_EMAIL_URL"):
        isa_settings.env_email("ISA_EMAIL_URL", "console://")


def test_the_cli_prints_one_line_for_a_bad_database_url(tmp_path):
    result = run_isa("check", env={"ISA_DATABASE_URL": "mysql://nowhere/isa"}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "ISA_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path):
    result = run_isa("check", env={"ISA_DEBUG": "0"}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "ISA_SECRET_KEY" in result.stderr


def test_debug_generates_a_secret_key_once_into_var(tmp_path):
    assert run_isa("check", env={"ISA_DEBUG": "1"}, tmp_path=tmp_path).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert run_isa("check", env={"ISA_DEBUG": "1"}, tmp_path=tmp_path).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_check_deploy_is_clean_in_production(tmp_path):
    env = {
        "ISA_DEBUG": "0",
        "ISA_SECRET_KEY": "k" * 20 + "Zq8-pL3_xW9!vR2#tY6$" + "m" * 20,
        "ISA_ALLOWED_HOSTS": "isa.example.ch",
    }
    result = run_isa("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_bad_time_zone_is_refused(tmp_path):
    result = run_isa("check", env={"ISA_TIME_ZONE": "Mars/Olympus"}, tmp_path=tmp_path)
    assert result.returncode == 2
    assert "ISA_TIME_ZONE" in result.stderr


def test_the_wsgi_entry_loads_every_view_and_freezes_them_for_the_collector(tmp_path):
    """gunicorn imports isa.wsgi: the views (numpy, scipy) are loaded then, not on the first
    request, and frozen out of the garbage collector's full passes; no page needs matplotlib,
    so a worker does not load it (issue 17: about 40 MB less per worker)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("ISA_")}
    base.update({"ISA_VAR_DIR": str(tmp_path), "ISA_DEBUG": "1"})
    code = (
        "import gc, sys, isa.wsgi; "
        "print(gc.get_freeze_count() > 10000, 'isa.evaluation.charts' in sys.modules, "
        "'matplotlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=base,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False"]


def test_the_health_check_answers_over_plain_http_when_https_redirects_are_on(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/healthz", HTTP_HOST="testserver")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    for path in ("/", "/accounts/login/", "/healthz/", "/healthzz", "/p/1/healthz"):
        response = client.get(path, HTTP_HOST="testserver")
        assert response.status_code == 301, path
        assert response["Location"] == f"https://testserver{path}"
    over_https = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert over_https.status_code == 200
