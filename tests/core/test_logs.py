"""Nothing personal in the ordinary logs: searched words stay out of the access log and the
audit log, and a refused page is one line."""

from __future__ import annotations

import logging
import re
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.urls import reverse
from gunicorn.config import Config
from gunicorn.glogging import Logger

from isa.core.logs import OneLineForbidden
from isa.core.models import AuditAction, AuditEvent
from tests.conftest import Cast

ROOT = Path(__file__).resolve().parents[2]


def list_reads(object_type: str) -> list[dict]:
    return [
        e.detail
        for e in AuditEvent.objects.filter(
            action=AuditAction.VIEW, object_type=object_type
        ).order_by("id")
    ]


def test_a_participant_search_is_audited_without_the_searched_words(cast: Cast):
    url = reverse("participant_list", args=[cast.programme.pk])
    response = cast.client("facilitator").get(url, {"q": "zuff", "status": "active"})
    assert response.status_code == 200
    (detail,) = list_reads("people.participant")
    assert detail == {"list": "participants", "status": "active", "search": True, "results": 1}
    assert "zuff" not in str(AuditEvent.objects.values_list("detail", flat=True)[::1]).lower()


def test_a_journal_search_is_audited_without_the_searched_words(cast: Cast):
    url = reverse("journal_list", args=[cast.programme.pk])
    response = cast.client("head").get(url, {"q": "Zufferey voyage", "kind": "concern"})
    assert response.status_code == 200
    (detail,) = list_reads("journal.entry")
    assert detail == {"list": "journal", "kind": "concern", "search": True, "results": 0}
    assert "voyage" not in str(detail)


def test_a_list_without_search_records_its_filters_and_count(cast: Cast):
    url = reverse("participant_list", args=[cast.programme.pk])
    cast.client("head").get(url, {"status": "active", "page": "1", "q": " "})
    (detail,) = list_reads("people.participant")
    assert detail == {"list": "participants", "status": "active", "page": "1", "results": 1}


def access_line(cfg: Config) -> str:
    """The access-log line gunicorn writes with ``cfg`` for a participant search."""
    logger = Logger(cfg)
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger.access_log.handlers = [Keep()]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/p/1/people/?q=zufferey",
        "PATH_INFO": "/p/1/people/",
        "QUERY_STRING": "q=zufferey",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": "https://isa.example.ch/p/1/journal/?q=zufferey",
        "HTTP_USER_AGENT": "Tablet",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=42))
    return lines[0]


def test_the_gunicorn_access_log_has_no_query_string_nor_referer():
    cfg = Config()
    cfg.set("accesslog", "-")
    assert "zufferey" in access_line(cfg)  # gunicorn's own format writes the search
    namespace: dict = {}
    exec((ROOT / "src" / "isa" / "gunicorn_conf.py").read_text(), namespace)  # noqa: S102
    for name in ("accesslog", "access_log_format"):
        cfg.set(name, namespace[name])
    line = access_line(cfg)
    assert "zufferey" not in line
    assert '"GET /p/1/people/ HTTP/1.1" 200 512 42ms' in line
    assert line.startswith("192.0.2.7 ")


def test_gunicorn_is_started_with_that_configuration():
    makefile = (ROOT / "Makefile").read_text()
    operations = (ROOT / "docs" / "operations.md").read_text()
    for text in (makefile, operations):
        starts = re.findall(r"gunicorn isa\.wsgi[^\n]*", text)
        assert starts
        assert all("-c python:isa.gunicorn_conf" in s for s in starts), starts
        assert "--access-logfile" not in text
    assert "$request_uri" not in re.search(r"log_format isa[^;]*;", operations).group()


def test_a_refused_page_is_one_line_in_the_log_not_a_traceback(cast: Cast, caplog):
    url = reverse("audit_log", args=[cast.programme.pk])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = cast.client("facilitator").get(url + "?actor=claire")
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == f"Forbidden (Permission denied): {url}"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text
    assert "claire" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), sys.exc_info())
    record.status_code = 500
    assert OneLineForbidden().filter(record)
    assert record.exc_info is not None
