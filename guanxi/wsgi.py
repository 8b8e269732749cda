"""WSGI entry point for gunicorn (the production server)."""

import os

from django.core.wsgi import get_wsgi_application

from guanxi.core.collector import collect_between_requests

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanxi.settings")
application = get_wsgi_application()
collect_between_requests()
