import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")
application = get_wsgi_application()

from hotline.checks import refuse_unsafe_production  # noqa: E402  # needs the settings loaded above

refuse_unsafe_production()  # gunicorn runs no system checks: production without its secrets does not serve
