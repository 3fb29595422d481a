"""WSGI entry point: `gunicorn xuexi.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xuexi.settings")
application = get_wsgi_application()
