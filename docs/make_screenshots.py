"""Remake the user guide's screenshots (``make screenshots``).

A fresh demo in a temporary directory (its own SQLite database, secret key and static files),
served by gunicorn on a free loopback port exactly as ``make run`` serves it, photographed by
Playwright driving Debian's Chromium at ``/usr/bin/chromium``.  The images land in
``docs/images/`` under stable names, so ``docs/guide-utilisateur.md`` keeps pointing at them
when the pages change.  Screenshots are of the viewport, not the whole page, to stay small.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}
MAX_BYTES = 200_000

HEAD = "claire.favre@demo.isa.example"
FACILITATOR = "lea.bonvin@demo.isa.example"

#: Printed by the demo's database, read back as JSON: the ids the page addresses need.
IDS_SCRIPT = """
import json
from isa.core.demo import DEMO_PASSWORD
from isa.core.models import Programme
from isa.people.models import Participant
programme = Programme.objects.get(name="ISA Sion")
participant = (
    Participant.objects.filter(programme=programme, status="active").order_by("pk").first()
    or Participant.objects.filter(programme=programme).order_by("pk").first()
)
ids = {"programme": programme.pk, "participant": participant.pk}
print(json.dumps({**ids, "password": DEMO_PASSWORD}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def isa(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own venv's isa, fixed arguments
        [str(BIN / "isa"), *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


@contextmanager
def demo_server(var_dir: Path) -> Iterator[tuple[str, dict[str, object]]]:
    """Seed a fresh demo under ``var_dir``, serve it, yield (base URL, ids), then stop it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISA_")}
    env.update(
        ISA_VAR_DIR=str(var_dir),
        ISA_DEBUG="0",
        ISA_HTTPS="0",
        ISA_REQUIRE_2FA="0",
        ISA_DEMO="1",
        ISA_SECRET_KEY=secrets.token_urlsafe(64),
        ISA_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    isa(env, "migrate", "--noinput", "-v0")
    isa(env, "seed-demo")
    isa(env, "collectstatic", "--noinput", "-v0")
    ids = json.loads(isa(env, "shell", "-c", IDS_SCRIPT).strip().splitlines()[-1])
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
        [
            str(BIN / "gunicorn"),
            "isa.wsgi",
            "-c",
            "python:isa.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the demo server did not start")
        yield base, ids
    finally:
        server.terminate()
        server.wait(timeout=10)


def sign_in(
    browser: Browser, base: str, email: str, password: str, viewport: dict[str, int]
) -> Page:
    page = browser.new_context(viewport=viewport, locale="fr-CH").new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator('input[name="username"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').click()
    return page


def shoot(page: Page, url: str | None, name: str) -> Path:
    """Open ``url`` (or stay on the page) and save the viewport as ``name``: PNG if small
    enough, else JPEG at quality 70."""
    if url is not None:
        response = page.goto(url)
        if response is None or not response.ok:
            status = response.status if response else "no response"
            raise RuntimeError(f"{url} answered {status}")
    page.wait_for_load_state("networkidle")
    for stale in IMAGES.glob(f"{name}.*"):
        stale.unlink()
    data = page.screenshot(type="png")
    path = IMAGES / f"{name}.png"
    if len(data) > MAX_BYTES:
        data = page.screenshot(type="jpeg", quality=70)
        path = IMAGES / f"{name}.jpg"
    path.write_bytes(data)
    print(f"{path.relative_to(ROOT)}  {len(data) // 1024} KB")
    return path


def sign_in_portal(browser: Browser, base: str, login: str, password: str) -> Page:
    """A participant of the demo in their own space, on a phone."""
    page = browser.new_context(viewport=PHONE, locale="fr-CH").new_page()
    page.goto(f"{base}/portal/login/")
    page.locator('input[name="login"]').fill(login)
    page.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        page.locator('main form button[type="submit"]').click()
    return page


def shoot_portal(browser: Browser, base: str, password: str) -> None:
    participant = sign_in_portal(browser, base, "demo-atelier-1", password)
    shoot(participant, f"{base}/portal/", "portal-home-phone")
    shoot(participant, f"{base}/portal/works/", "portal-works-phone")
    shoot(participant, f"{base}/portal/consents/", "portal-consents-phone")


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory(prefix="isa-screenshots-") as tmp,
        demo_server(Path(tmp)) as (base, ids),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        p = f"{base}/p/{ids['programme']}"
        person = f"{p}/people/{ids['participant']}"

        anonymous = browser.new_context(viewport=DESKTOP, locale="fr-CH").new_page()
        shoot(anonymous, f"{base}/accounts/login/", "login-desktop")
        phone_login = browser.new_context(viewport=PHONE, locale="fr-CH").new_page()
        shoot(phone_login, f"{base}/accounts/login/", "login-phone")

        head = sign_in(browser, base, HEAD, ids["password"], DESKTOP)
        shoot(head, f"{base}/", "home-desktop")
        shoot(head, f"{p}/", "programme-desktop")
        shoot(head, f"{p}/people/", "participants-desktop")
        shoot(head, f"{person}/", "participant-desktop")
        shoot(head, f"{p}/journal/", "journal-desktop")
        shoot(head, f"{p}/works/", "works-desktop")
        shoot(head, f"{p}/watch/", "watch-desktop")
        shoot(head, f"{p}/audit/", "audit-desktop")
        shoot(head, f"{p}/evaluation/results/", "results-desktop")

        head_phone = sign_in(browser, base, HEAD, ids["password"], PHONE)
        shoot(head_phone, f"{p}/", "programme-phone")

        facilitator = sign_in(browser, base, FACILITATOR, ids["password"], PHONE)
        shoot(facilitator, f"{p}/register/", "register-phone")
        kiosk = sign_in(browser, base, FACILITATOR, ids["password"], TABLET)
        shoot(kiosk, f"{p}/kiosk/", "kiosk-tablet")
        shoot_portal(browser, base, str(ids["password"]))
        browser.close()


if __name__ == "__main__":
    main()
