"""The demo opens a few alerts, logs outreach on some and resolves one."""

from __future__ import annotations

from isa.watch.models import Alert, AlertStatus, Outreach


def test_the_demo_has_open_and_resolved_alerts_with_outreach(demo: str):
    assert Alert.objects.filter(status=AlertStatus.OPEN).exists()
    resolved = Alert.objects.get(status=AlertStatus.RESOLVED)
    assert resolved.resolution
    assert Outreach.objects.filter(alert=resolved).exists()
    assert Outreach.objects.count() >= 3
