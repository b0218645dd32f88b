"""The participant's space: accounts and invitations, their own pages, consents and credit
given by themselves, correction requests, and all their data in one download."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isa.core.models import AuditAction, AuditEvent
from isa.journal.models import Visibility
from isa.people.models import Consent, ConsentKind, ConsentMethod, ConsentState
from isa.portal import services
from isa.portal.models import CorrectionRequest, Invitation, ParticipantAccess
from isa.works.models import Credit, CreditMode
from tests.conftest import PASSWORD, Cast, refer
from tests.portal.helpers import write, zip_files, zip_json, zip_text
from tests.works.helpers import make_work, shown_online

NEW_PASSWORD = "le chat dort sur la chaise rouge"


def newcomer_access(cast: Cast, **extra):
    person = refer(cast.programme, cast.users["referrer"], "Fournier", "Lucie").participant
    return services.access_create(
        participant=person,
        agreement_note="Demandé à l'entretien du 3 mars.",
        language=extra.get("language", "fr"),
        actor=cast.actor("social_worker"),
    )


# -- accounts and invitations ------------------------------------------------------------------


def test_an_access_is_opened_only_by_the_head_or_a_social_worker_with_the_persons_yes(cast: Cast):
    person = refer(cast.programme, cast.users["referrer"], "Fournier", "Lucie").participant
    with pytest.raises(PermissionDenied):
        services.access_create(
            participant=person, agreement_note="Oui", language="fr", actor=cast.actor("facilitator")
        )
    with pytest.raises(ValidationError):
        services.access_create(
            participant=person, agreement_note="  ", language="fr", actor=cast.actor("head")
        )
    assert not ParticipantAccess.objects.filter(participant=person).exists()
    access, invitation, code = services.access_create(
        participant=person,
        agreement_note="Oui, à l'entretien",
        language="de",
        actor=cast.actor("head"),
    )
    assert access.user.email.endswith("@participants.isa.invalid")
    assert not access.user.has_usable_password()
    assert not access.user.roles_by_programme
    assert invitation.is_open() and len(code) == 12
    assert code not in invitation.digest  # only a digest is kept


def test_the_code_of_the_letter_lets_the_person_choose_a_password_once(cast: Cast):
    access, _invitation, code = newcomer_access(cast)
    client = Client()
    url = reverse("portal_welcome")
    weak = client.post(
        url, {"code": code, "password": "azertyuiop12", "password_again": "azertyuiop12"}
    )
    assert weak.status_code == 400
    assert Invitation.objects.get(access=access).used_at is None  # nothing used up
    ok = client.post(
        url,
        {
            "code": code.lower()[:4] + " " + code[4:],
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
    )
    assert ok.status_code == 302
    access.user.refresh_from_db()
    assert access.user.check_password(NEW_PASSWORD)
    again = client.post(
        url,
        {
            "code": code,
            "password": "une autre phrase bien longue",
            "password_again": "une autre phrase bien longue",
        },
    )
    assert again.status_code == 400
    assert "déjà été utilisé" in again.content.decode()
    access.user.refresh_from_db()
    assert access.user.check_password(NEW_PASSWORD)


def test_an_expired_or_unknown_code_is_refused_and_creates_nothing(cast: Cast):
    access, invitation, code = newcomer_access(cast)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    users = type(access.user).objects.count()
    for typed, words in ((code, "trop ancien"), ("ABCD-EFGH-JKLM", "pas juste")):
        response = Client().post(
            reverse("portal_welcome"),
            {"code": typed, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD},
        )
        assert response.status_code == 400
        assert words in response.content.decode()
    access.user.refresh_from_db()
    assert not access.user.has_usable_password()
    assert type(access.user).objects.count() == users


def test_a_new_letter_makes_the_old_code_useless(cast: Cast):
    access, _first, old_code = newcomer_access(cast)
    services.invitation_issue(access=access, actor=cast.actor("head"))
    with pytest.raises(services.InvitationRefused):
        services.invitation_redeem(code=old_code, password=NEW_PASSWORD, actor=cast.actor("head"))


def test_signing_in_is_audited_with_the_participant_as_actor_and_a_short_idle_time(
    cast: Cast, settings
):
    login = cast.users["participant"].portal_access.login
    client = Client()
    response = client.post(reverse("portal_login"), {"login": login, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal_home")
    assert client.session.get_expiry_age() == settings.ISA_PORTAL_IDLE_MINUTES * 60
    event = AuditEvent.objects.filter(action=AuditAction.LOGIN, channel="portal").latest("pk")
    assert event.actor_label == f"participant #{cast.participant.pk}"
    assert client.get(reverse("portal_home")).status_code == 200
    wrong = Client().post(reverse("portal_login"), {"login": login, "password": "pas le bon mot"})
    assert wrong.status_code == 400


def test_the_team_closes_an_access_at_once(cast: Cast):
    client = cast.client("participant")
    assert client.get(reverse("portal_home")).status_code == 200
    services.access_disable(
        access=cast.users["participant"].portal_access, actor=cast.actor("social_worker")
    )
    response = client.get(reverse("portal_home"))
    assert response.status_code == 302  # the session is over: back to the sign-in page
    assert (
        Client()
        .post(
            reverse("portal_login"),
            {"login": cast.users["participant"].portal_access.login, "password": PASSWORD},
        )
        .status_code
        == 400
    )


def test_a_participant_never_reaches_a_team_page_and_the_team_never_a_participants(cast: Cast):
    participant = cast.client("participant")
    for url in (
        "/",
        reverse("participant", args=[cast.programme.pk, cast.participant.pk]),
        "/accounts/",
    ):
        assert participant.get(url).status_code == 404
    head = cast.client("head")
    assert head.get(reverse("portal_home")).status_code == 404
    assert head.get(reverse("portal_consents")).status_code == 404


# -- their own pages ---------------------------------------------------------------------------


def test_the_other_participants_work_image_is_404(cast: Cast):
    work = make_work(cast, image=True)
    image = work.images.first()
    url = reverse("portal_image", args=[image.pk, "thumb"])
    assert cast.client("participant").get(url).status_code == 200
    assert cast.client("participant_other").get(url).status_code == 404


def test_the_calendar_shows_days_never_a_rate(cast: Cast):
    response = cast.client("participant").get(reverse("portal_days"), {"month": "2024-03"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "%" not in text and "taux" not in text.lower()
    assert (
        cast.client("participant").get(reverse("portal_days"), {"month": "nonsense"}).status_code
        == 200
    )


def test_restricted_and_team_entries_never_reach_the_portal(cast: Cast):
    write(cast, Visibility.SHARED, "Partagé: Jean-Marc a peint un coquelicot.")
    write(cast, Visibility.TEAM, "Équipe: coquelicot secret de l'équipe.")
    write(cast, Visibility.RESTRICTED, "Restreint: coquelicot et santé.")
    client = cast.client("participant")
    for params in ({}, {"q": "coquelicot"}, {"q": "secret"}, {"q": "santé"}):
        page = client.get(reverse("portal_journal"), params).content.decode()
        assert "Équipe" not in page and "Restreint" not in page
    assert "Partagé" in client.get(reverse("portal_journal"), {"q": "coquelicot"}).content.decode()
    content = client.post(reverse("portal_data_download", args=["zip"])).content
    text = zip_text(content)
    assert "Partagé" in text and "Équipe" not in text and "Restreint" not in text
    # The other participant reads none of it.
    assert (
        "Partagé"
        not in cast.client("participant_other").get(reverse("portal_journal")).content.decode()
    )


def test_the_participant_chooses_a_pseudonym_themselves(cast: Cast):
    client = cast.client("participant")
    empty = client.post(reverse("portal_works"), {"mode": CreditMode.PSEUDONYM, "pseudonym": ""})
    assert empty.status_code == 400
    response = client.post(
        reverse("portal_works"), {"mode": CreditMode.PSEUDONYM, "pseudonym": "Le Hibou"}
    )
    assert response.status_code == 302
    credit = Credit.objects.get(participant=cast.participant)
    assert credit.pseudonym == "Le Hibou"
    event = AuditEvent.objects.filter(object_type="works.credit").latest("pk")
    assert event.channel == "portal" and event.actor_label == f"participant #{cast.participant.pk}"


def test_withdrawing_online_publication_takes_the_work_out_of_the_gallery_at_once(cast: Cast):
    work = shown_online(cast)
    gallery = reverse("gallery", args=[cast.programme.pk])
    assert work.title in Client().get(gallery).content.decode()
    client = cast.client("participant")
    client.post(reverse("portal_consents"), {"kind": ConsentKind.ONLINE, "decision": "withdraw"})
    assert work.title not in Client().get(gallery).content.decode()
    latest = Consent.objects.filter(participant=cast.participant, kind=ConsentKind.ONLINE).first()
    assert latest.state == ConsentState.WITHDRAWN and latest.method == ConsentMethod.PORTAL
    count = Consent.objects.filter(participant=cast.participant).count()
    client.post(reverse("portal_consents"), {"kind": ConsentKind.ONLINE, "decision": "withdraw"})
    assert Consent.objects.filter(participant=cast.participant).count() == count  # no duplicate
    # The team sees it on the file.
    file = cast.client("social_worker").get(
        reverse("participant", args=[cast.programme.pk, cast.participant.pk])
    )
    assert "consent-withdrawn" in file.content.decode()
    assert (
        client.post(
            reverse("portal_consents"), {"kind": "nonsense", "decision": "give"}
        ).status_code
        == 400
    )


def test_a_consent_is_given_only_by_the_participant_themselves(cast: Cast):
    with pytest.raises(PermissionDenied):
        services.portal_consent_set(
            participant=cast.participant,
            kind=ConsentKind.ONLINE,
            give=True,
            actor=cast.actor("participant_other"),
        )
    with pytest.raises(PermissionDenied):
        services.portal_consent_set(
            participant=cast.participant,
            kind=ConsentKind.ONLINE,
            give=True,
            actor=cast.actor("head"),
        )


# -- correction requests -----------------------------------------------------------------------


def test_a_correction_request_empty_or_too_long_says_why(cast: Cast):
    client = cast.client("participant")
    empty = client.post(reverse("portal_corrections"), {"topic": "file", "text": "   "})
    assert empty.status_code == 400 and "Écrivez" in empty.content.decode()
    long = client.post(reverse("portal_corrections"), {"topic": "file", "text": "x" * 1001})
    assert long.status_code == 400 and "1000" in long.content.decode()
    assert not CorrectionRequest.objects.exists()


def test_the_team_answers_a_correction_request_and_the_portal_shows_it(cast: Cast):
    client = cast.client("participant")
    client.post(
        reverse("portal_corrections"), {"topic": "file", "text": "Mon prénom usuel est Jean."}
    )
    request = CorrectionRequest.objects.get(participant=cast.participant)
    panel = cast.client("social_worker").get(
        reverse("portal_access", args=[cast.programme.pk, cast.participant.pk])
    )
    assert "Mon prénom usuel est Jean." in panel.content.decode()
    cast.client("social_worker").post(
        reverse(
            "portal_correction_answer", args=[cast.programme.pk, cast.participant.pk, request.pk]
        ),
        {"answer": "Merci, c'est corrigé."},
    )
    assert (
        "Merci, c&#x27;est corrigé." in client.get(reverse("portal_corrections")).content.decode()
    )
    cast.participant.refresh_from_db()
    assert cast.participant.usual_first_name == ""  # the file never changes by itself


# -- all their data ----------------------------------------------------------------------------


def test_the_download_holds_the_works_and_their_images_and_is_audited(cast: Cast):
    work = make_work(cast, image=True, title="Les vignes de Savièse")
    someone_else = refer(cast.programme, cast.users["referrer"], "Fournier", "Lucie").participant
    make_work(cast, image=True, title="Pas à moi", creators=[someone_else])
    client = cast.client("participant")
    pdf = client.post(reverse("portal_data_download", args=["pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    archive = client.post(reverse("portal_data_download", args=["zip"])).content
    files = zip_files(archive)
    assert any(name.startswith("works/") and name.endswith(".jpg") for name in files)
    titles = [row["title"] for row in zip_json(archive, "json/works-works.json")]
    assert work.title in titles and "Pas à moi" not in titles
    assert "index.json" in files and "csv/people-consents.csv" in files
    events = AuditEvent.objects.filter(action=AuditAction.EXPORT, channel="portal")
    assert events.count() == 2


def test_the_team_produces_the_same_answer_for_a_request_on_paper(cast: Cast):
    response = cast.client("head").get(
        reverse("portal_subject_access", args=[cast.programme.pk, cast.participant.pk, "zip"])
    )
    assert response.status_code == 200
    assert "json/people-file.json" in zip_files(response.content)
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert event.channel == "web" and event.detail["participant"] == cast.participant.pk


def test_repeated_wrong_passwords_lock_the_participants_account(cast: Cast, settings):
    login = cast.users["participant"].portal_access.login
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("portal_login"), {"login": login, "password": "pas le bon mot"})
    locked = client.post(reverse("portal_login"), {"login": login, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_second_factor_once_set_is_asked_at_each_sign_in(cast: Cast):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = cast.client("participant")
    assert client.get(reverse("portal_second_factor")).status_code == 200
    device = TOTPDevice.objects.get(user=cast.users["participant"], confirmed=False)
    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("portal_second_factor"), {"token": code}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    login = cast.users["participant"].portal_access.login
    without = Client().post(reverse("portal_login"), {"login": login, "password": PASSWORD})
    assert without.status_code == 400
    device.refresh_from_db()
    device.last_t = -1  # a new code window, as a minute later
    device.save()
    fresh_client = Client()
    code = f"{totp(device.bin_key):06d}"
    ok = fresh_client.post(
        reverse("portal_login"), {"login": login, "password": PASSWORD, "token": code}
    )
    assert ok.status_code == 302
    assert fresh_client.get(reverse("portal_home")).status_code == 200


def test_the_file_shows_the_access_and_the_requests_waiting(cast: Cast):
    CorrectionRequest.objects.create(participant=cast.participant, text="Mon adresse a changé.")
    file = cast.client("head").get(
        reverse("participant", args=[cast.programme.pk, cast.participant.pk])
    )
    text = file.content.decode()
    assert "Espace du participant" in text
    assert "1 demande de correction à traiter" in text
    facilitator = cast.client("facilitator").get(
        reverse("participant", args=[cast.programme.pk, cast.participant.pk])
    )
    assert "Espace du participant" not in facilitator.content.decode()


def test_the_letter_is_a_pdf_in_the_persons_language_and_the_old_code_stops(cast: Cast):
    access, _invitation, old = newcomer_access(cast, language="de")
    response = cast.client("social_worker").post(
        reverse("portal_access_letter", args=[cast.programme.pk, access.participant.pk])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert Invitation.objects.filter(access=access).count() == 2
    with pytest.raises(services.InvitationRefused):
        services.invitation_redeem(code=old, password=NEW_PASSWORD, actor=cast.actor("head"))


def test_the_audit_log_tells_what_happened_in_the_space_in_words(cast: Cast):
    client = cast.client("participant")
    client.post(reverse("portal_corrections"), {"topic": "file", "text": "Mon adresse a changé."})
    client.post(reverse("portal_consents"), {"kind": ConsentKind.PHOTO, "decision": "give"})
    log = cast.client("head").get(reverse("audit_log", args=[cast.programme.pk]))
    text = log.content.decode()
    assert "Jean-Marc Zufferey a demandé une correction" in text


def test_the_questionnaires_show_the_persons_answers_and_what_they_say_never_a_score(cast: Cast):
    from datetime import date

    from isa.evaluation.catalogue import choice_for
    from isa.evaluation.services import administration_decline, administration_enter_paper

    who5 = choice_for(cast.programme, "who5")
    answered = administration_enter_paper(
        participant=cast.participant,
        choice=who5,
        on=date(2024, 4, 2),
        answers=dict.fromkeys(range(1, 6), 4),
        actor=cast.actor("social_worker"),
    )
    administration_decline(
        participant=cast.participant, choice=who5, on=date(2024, 5, 2), actor=cast.actor("head")
    )
    page = cast.client("participant").get(reverse("portal_questionnaires")).content.decode()
    first_item = who5.instrument.items[0].text
    assert first_item.split()[0] in page
    assert "Ce que cela dit" in page
    assert "vous avez choisi de ne pas répondre" in page
    assert str(answered.primary_value) not in page.replace("2024", "")
    other = cast.client("participant_other").get(reverse("portal_questionnaires"))
    assert "Ce que cela dit" not in other.content.decode()


def test_the_readable_answer_says_purpose_source_recipients_and_retention_in_the_language(
    cast: Cast,
):
    import io

    from django.utils import translation
    from pypdf import PdfReader

    with translation.override("de"):
        content = services.subject_access_export(
            participant=cast.participant, fmt="pdf", actor=cast.actor("head")
        )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    for words in (
        "Alle Ihre Daten",
        "Wozu:",
        "Woher es kommt:",
        "Wer es bekommt:",
        "Ihre Einwilligungen",
    ):
        assert words in text
    assert "Zufferey" in text


def test_a_participant_changes_their_password(cast: Cast):
    user = cast.users["participant"]
    login = user.portal_access.login
    client = cast.client("participant")
    url = reverse("portal_password")
    assert client.get(url).status_code == 200
    wrong = client.post(
        url, {"current": "pas le bon", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    weak = client.post(url, {"current": PASSWORD, "password": "soleil", "password_again": "soleil"})
    assert (wrong.status_code, weak.status_code) == (400, 400)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    done = client.post(
        url, {"current": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert client.get(reverse("portal_home")).status_code == 200  # this session stays
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    event = AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE, object_id=str(user.pk))
    assert event.get().channel == "portal"
    old = Client().post(reverse("portal_login"), {"login": login, "password": PASSWORD})
    assert old.status_code == 400


def test_nobody_else_changes_a_participants_password(cast: Cast):
    access = cast.users["participant"].portal_access
    with pytest.raises(PermissionDenied):
        services.portal_password_change(
            access=access, password=NEW_PASSWORD, actor=cast.actor("participant_other")
        )
    with pytest.raises(PermissionDenied):
        services.portal_password_change(
            access=access, password=NEW_PASSWORD, actor=cast.actor("social_worker")
        )


def test_the_team_removes_a_lost_phones_code(cast: Cast):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = cast.users["participant"]
    TOTPDevice.objects.create(user=user, name="ISA", confirmed=True)
    url = reverse(
        "portal_access_second_factor_remove", args=[cast.programme.pk, cast.participant.pk]
    )
    page = reverse("portal_access", args=[cast.programme.pk, cast.participant.pk])
    assert (
        "lost phone"
        in cast.client("social_worker").get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert cast.client("facilitator").post(url).status_code == 403
    assert TOTPDevice.objects.filter(user=user).exists()
    assert cast.client("social_worker").post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    removed = AuditEvent.objects.get(action=AuditAction.OTP_DEVICE_REMOVED)
    assert removed.actor_id == cast.users["social_worker"].pk
    signed_in = Client().post(
        reverse("portal_login"), {"login": user.portal_access.login, "password": PASSWORD}
    )
    assert signed_in.status_code == 302


def test_the_password_and_the_second_factor_have_their_own_pictures(cast: Cast):
    """Two different things to do, two different icons (the key is the second factor's)."""
    import re

    client = cast.client("participant")

    def picture(url: str) -> str:
        page = client.get(url).content.decode()
        return re.search(r"<h1>(<svg.*?</svg>)", page, re.S).group(1)

    password, second = picture(reverse("portal_password")), picture(reverse("portal_second_factor"))
    assert password != second
    home = client.get(reverse("portal_home")).content.decode()
    links = re.findall(r'<a href="([^"]+)">(<svg.*?</svg>)', home, re.S)
    icons = dict(links)
    assert icons[reverse("portal_password")] == password
    assert icons[reverse("portal_second_factor")] == second
    assert len(set(icons.values())) == len(icons)  # every tile its own picture
