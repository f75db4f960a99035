"""WSGI entry point (gunicorn ``wijkbeeld.web.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
application = get_wsgi_application()
