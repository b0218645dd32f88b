"""Send the audit log to its own database when ISA_AUDIT_DATABASE_URL is set."""

from __future__ import annotations

from typing import Any

AUDIT_MODEL = ("core", "auditevent")


class AuditRouter:
    alias = "audit"

    def _is_audit(self, model: Any) -> bool:
        return (model._meta.app_label, model._meta.model_name) == AUDIT_MODEL

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return self.alias if self._is_audit(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return self.alias if self._is_audit(model) else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if (app_label, model_name) == AUDIT_MODEL:
            return db == self.alias
        if db == self.alias:
            return False
        return None
