"""The invitation letter: printed and handed to the person, in their language, with their
sign-in name, a one-time code and a QR code that opens the page where it is typed."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, Spacer

from isa.core.documents.formats import swiss_date
from isa.core.documents.pdf import build_pdf, paragraph, styles
from isa.portal.models import Invitation


def spaced(code: str) -> str:
    """ABCD EFGH JKLM: easier to copy by hand."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def invitation_letter(invitation: Invitation, code: str, link: str) -> bytes:
    access = invitation.access
    participant = access.participant
    st = styles()
    qr = segno.make(link, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=8, border=2)
    png.seek(0)
    expires = swiss_date(timezone.localtime(invitation.expires_at).date())
    story: list[Flowable] = [
        paragraph(participant.programme.name, st["kicker"]),
        paragraph(_("Your own space"), st["cover"]),
        paragraph(_("Hello %(name)s,") % {"name": participant.first_name}, st["cover_line"]),
        Spacer(1, 6 * mm),
        paragraph(_("You asked for your own space at the programme."), st["cover_line"]),
        paragraph(_("There you can read what is written with you."), st["cover_line"]),
        paragraph(_("You can see your works and choose your name."), st["cover_line"]),
        paragraph(_("You can give or withdraw your consents."), st["cover_line"]),
        Spacer(1, 8 * mm),
        paragraph(_("1. Open this page, or scan the square with a phone:"), st["cover_line"]),
        paragraph(link, st["text"]),
        Image(png, width=45 * mm, height=45 * mm),
        Spacer(1, 4 * mm),
        paragraph(_("2. Type your code:"), st["cover_line"]),
        paragraph(spaced(code), st["cover"]),
        paragraph(_("The code works once, until %(day)s.") % {"day": expires}, st["cover_line"]),
        Spacer(1, 4 * mm),
        paragraph(_("3. Choose a password."), st["cover_line"]),
        paragraph(_("Easiest: a sentence of several words that only you know."), st["cover_line"]),
        Spacer(1, 4 * mm),
        paragraph(_("Your sign-in name: %(login)s") % {"login": access.login}, st["cover_line"]),
        Spacer(1, 8 * mm),
        paragraph(
            _(
                "Keep this letter in a safe place. "
                "Nobody from the team will ask you for your password."
            ),
            st["text"],
        ),
        paragraph(
            _(
                "If you lose it, ask the team for a new letter. "
                "You can stop your space at any time."
            ),
            st["text"],
        ),
    ]
    return build_pdf(
        story,
        title=_("Your own space"),
        subject=access.login,
        heading=f"{participant.programme.name} · {_('Your own space')}",
    )
