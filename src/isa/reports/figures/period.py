"""The period of a report: a calendar year by default, or any span up to five years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_YEARS = 5


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def years(self) -> float:
        """The length in years: whole years for calendar years, else days / 365.25."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return float(self.end.year - self.start.year + 1)
        return self.days / 365.25

    def previous(self) -> Period:
        """The period of the same length just before (the previous calendar year for a
        year)."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            years = self.end.year - self.start.year + 1
            return Period(date(self.start.year - years, 1, 1), date(self.end.year - years, 12, 31))
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def as_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Period:
        return cls(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]))

    @property
    def is_calendar_year(self) -> bool:
        return self == Period.year(self.start.year)


def check_period(start: date, end: date) -> Period:
    """The period, or a ValidationError saying plainly what is wrong with it."""
    if end < start:
        raise ValidationError(
            _("The period ends before it starts: please check the two dates."),
            code="period_order",
        )
    if start.year < 1900 or end.year > 2999:
        raise ValidationError(_("Please give dates between 1900 and 2999."), code="period_range")
    try:
        limit = start.replace(year=start.year + MAX_YEARS)
    except ValueError:  # 29 February
        limit = start.replace(year=start.year + MAX_YEARS, day=28)
    if end >= limit:
        raise ValidationError(
            _("A report covers at most %(years)d years: please choose a shorter period.")
            % {"years": MAX_YEARS},
            code="period_length",
        )
    return Period(start, end)
