# Swiss conventions in every language: dates dd.mm.yyyy, amounts 1'234.50.
DATE_FORMAT = "d.m.Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "d.m.Y H:i"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "'"
NUMBER_GROUPING = 3

# Dates written in words: each language says them its own way (isa/formats/<lang>/formats.py),
# read through isa.formats.long_date.  These are the fallbacks.
LONG_DATE_FORMAT = "l j F Y"
WEEKDAY_DAY_FORMAT = "l j F"
WRITTEN_DATE_FORMAT = "j F Y"
