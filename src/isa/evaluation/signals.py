"""Signals the evaluation app sends, for the apps above it (the watch) to listen to.

evaluation never imports them: ``questionnaire_scored`` is how the watch learns, at once,
that a questionnaire was scored (it then runs its rules for the programme).
"""

from django.dispatch import Signal

#: Sent by the services after an administration was saved with scores:
#: ``sender=Administration, administration=…, programme=…``.
questionnaire_scored = Signal()
