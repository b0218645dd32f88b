"""The shapes of what the API takes and gives (its OpenAPI schema is made from them).

What a client sends forbids unknown fields: a typo is a 422 naming it, never silently lost.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from django.core.paginator import Paginator
from ninja import Schema
from pydantic import ConfigDict, Field, PlainSerializer, WithJsonSchema

from isa.core.validators import TEXT_LENGTH

#: The largest page a client may ask for.
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 50


CLOCK_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$"

#: A time of day on the wall clock, "09:14" (JSON Schema's "time" format wants an offset).
ClockTime = Annotated[
    time,
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN, "examples": ["09:14"]}),
]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}


class PageInfo(Schema):
    count: int
    page: int
    page_size: int
    pages: int


def page_of(rows: object, page: int, page_size: int) -> tuple[list[object], PageInfo]:
    """One page of ``rows`` (a QuerySet or a list) and what the client needs to ask for the
    others; a page past the last one is empty."""
    paginator = Paginator(rows, page_size)  # type: ignore[arg-type]
    info = PageInfo(
        count=paginator.count, page=page, page_size=page_size, pages=paginator.num_pages
    )
    if paginator.count == 0 or page > paginator.num_pages:
        return [], info
    return list(paginator.page(page).object_list), info


# -- who am I ----------------------------------------------------------------------------------


class Me(Schema):
    email: str
    name: str
    programme_id: int | None
    programme: str | None
    roles: list[str]
    token_expires_at: datetime | None


# -- referrals ---------------------------------------------------------------------------------


class ReferralIn(Strict):
    last_name: str = Field(max_length=100)
    official_first_names: str = Field(max_length=150)
    usual_first_name: str = Field("", max_length=100)
    birth_date: date
    gender: str = Field("", max_length=60)
    languages: str = Field("", max_length=200)
    phone: str = Field("", max_length=40)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)
    avs_number: str = Field("", max_length=16)
    social_aid_reference: str = Field("", max_length=60)
    referred_on: date
    referring_service: str = Field(max_length=150)
    referring_person: str = Field("", max_length=150)
    context: str = Field("", max_length=TEXT_LENGTH)
    not_a_duplicate: bool = Field(
        False,
        description="true once you checked that a file with the same name and birth date "
        "is another person (the answer 409 says there is one).",
    )


class ReferralOut(Schema):
    id: int
    person: str
    referred_on: date
    referring_service: str
    referring_person: str
    status: str
    status_label: str
    status_changed_on: date


class ReferralPage(Schema):
    page: PageInfo
    results: list[ReferralOut]


# -- register ----------------------------------------------------------------------------------


class PresenceOut(Schema):
    participant_id: int
    session_id: int
    state: str
    arrived_at: ClockTime | None
    left_at: ClockTime | None
    absence_reason: str
    medium: str | None
    recorded_through: str


class RegisterRow(Schema):
    participant_id: int
    name: str
    expected: bool
    on_a_pause: bool
    presence: PresenceOut | None


class SessionOut(Schema):
    id: int
    workshop: str
    on: date
    part: str
    starts_at: ClockTime
    ends_at: ClockTime
    cancelled: bool
    markable: bool
    expected: list[RegisterRow]
    marked: list[RegisterRow]
    others: list[RegisterRow]


class RegisterDay(Schema):
    on: date
    sessions: list[SessionOut]


class MarkIn(Strict):
    participant_id: int = Field(ge=1, le=2**63 - 1)
    state: Literal["present", "absent"]
    reason: Literal["", "ill", "appointment", "no_news", "other"] = ""
    at: str | None = Field(
        None,
        pattern=CLOCK_PATTERN,
        description="The time of the tap on the device (HH:MM), for a retry sent later.",
    )


# -- participants ------------------------------------------------------------------------------


class ParticipantOut(Schema):
    """The fields the file shows to the caller's roles: contact details to those who reach
    out, administrative ones (birth date, AVS, social-aid reference) to the file's editors;
    the others are left out."""

    id: int
    first_name: str
    last_name: str
    official_first_names: str
    usual_first_name: str
    status: str
    status_label: str
    accompanied_since: date | None = None
    age: int
    gender: str
    languages: str
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    birth_date: date | None = None
    avs_number: str | None = None
    social_aid_reference: str | None = None


class ParticipantPage(Schema):
    page: PageInfo
    results: list[ParticipantOut]


# -- gallery -----------------------------------------------------------------------------------


class GalleryImage(Schema):
    thumbnail: str
    display: str
    alt_text: str


class GalleryWork(Schema):
    title: str
    credit: str
    medium: str
    technique: str
    dimensions: str
    year: int
    description: str
    text: str
    images: list[GalleryImage]


class Gallery(Schema):
    programme: str
    introduction: str
    works: list[GalleryWork]


# -- audit log ---------------------------------------------------------------------------------


class AuditLineOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    action_label: str
    sentence: str
    person: str
    details: list[str]
    object_type: str
    ip: str | None
    channel: str
    channel_label: str


class AuditPage(Schema):
    page: PageInfo
    results: list[AuditLineOut]


# -- published reports -------------------------------------------------------------------------


class ReportVersionOut(Schema):
    id: int
    period_start: date
    period_end: date
    language: str
    number: int | None
    published_at: datetime | None
    correction_reason: str
    corrects_id: int | None


class ReportFiguresOut(ReportVersionOut):
    figures: dict[str, Any]
