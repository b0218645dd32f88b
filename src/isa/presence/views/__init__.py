"""Presence pages, one module per area: the register and its kiosk, the month view and
sheets, and the set-up of workshops, closure days and media."""

from isa.presence.views.panels import file_panel, programme_panel

__all__ = ["file_panel", "programme_panel"]
