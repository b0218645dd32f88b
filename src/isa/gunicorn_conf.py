"""gunicorn's settings for ISA: ``gunicorn isa.wsgi -c python:isa.gunicorn_conf``.

The access log leaves out what may name a person.  gunicorn's default line holds the request
line with its query string (``%(r)s``: ``GET /p/1/people/?q=zuff``, a search for a name) and the
Referer (the previous page's address, with its query string too).  This one keeps the path
without the query (``%(U)s``), the status, the size, the time taken and the user agent.
"""

accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
