"""Filters for the ordinary application log (SECURITY.md rule 3: nothing personal in it)."""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    """A refused page (403) is logged as one line, without the traceback Django attaches.

    Django's ``django.request`` logger writes "Forbidden (Permission denied): /path" with the
    ``PermissionDenied`` exception, so every refusal filled the log with a traceback (and its
    local frames in an error reporter).  A refusal is an ordinary, expected event; the line
    (path, status) says all there is, and the audit log keeps who was refused what.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
