"""The README is the operator's manual: every ISA_* variable is documented there."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_variable_is_in_the_readme():
    settings_text = (ROOT / "src" / "isa" / "settings.py").read_text()
    used = set(re.findall(r'"(ISA_[A-Z0-9_]+)"', settings_text))
    readme = (ROOT / "README.md").read_text()
    missing = sorted(v for v in used if f"`{v}`" not in readme)
    assert not missing, f"document these in the README: {missing}"


def test_every_image_the_user_guide_shows_is_in_docs_images():
    guide = (ROOT / "docs" / "guide-utilisateur.md").read_text()
    referenced = re.findall(r"!\[[^\]]+\]\((images/[^)]+)\)", guide)
    assert referenced, "the guide shows the screens (make screenshots)"
    missing = [path for path in referenced if not (ROOT / "docs" / path).is_file()]
    assert not missing, f"run `make screenshots` or fix the guide: {missing}"
