# Swiss conventions in every language (see isa/formats/swiss.py).
from isa.formats.swiss import *  # noqa: F403
