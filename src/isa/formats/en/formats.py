# Swiss conventions in every language (see isa/formats/swiss.py).
from isa.formats.swiss import *  # noqa: F403

# Dates written in words (isa.formats.long_date): Thursday, 3 December 2026.
LONG_DATE_FORMAT = "l, j F Y"
WEEKDAY_DAY_FORMAT = "l, j F"
WRITTEN_DATE_FORMAT = "j F Y"
MONTH_DAY_FORMAT = "j F"
