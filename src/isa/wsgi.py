"""The WSGI entry point (gunicorn ``isa.wsgi``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa.settings")
application = get_wsgi_application()

# Load every view now (and with them numpy and scipy), not on the first request;
# then move what is loaded out of the garbage collector's sight: a full collection no longer
# walks the modules' objects, which shortens its pauses on every page (docs/performance.md).
from django.urls import get_resolver  # noqa: E402

get_resolver().url_patterns  # noqa: B018
gc.collect()
gc.freeze()
