"""After ``migrate``: one queue and one staff superuser with an API token; prints them as JSON for the driver.

Run with the helpdesk venv's python and the same environment as the server (HELPDESK_DATABASE_URL, SECRET_KEY).
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")


def main() -> None:
    import django

    django.setup()
    from django.contrib.auth.models import User  # the project keeps Django's user model
    from helpdesk.models import EmailTemplate, Queue
    from rest_framework.authtoken.models import Token

    queue, _ = Queue.objects.get_or_create(
        slug="hotline", defaults={"title": "Hotline", "email_address": "support@example.com"}
    )
    user = User.objects.filter(username="bench-admin").first()
    if user is None:  # staff and superuser; no usable password: the API is reached with the token only
        user = User.objects.create_superuser("bench-admin", "admin@example.com", None)
    token, _ = Token.objects.get_or_create(user=user)
    templates = EmailTemplate.objects.filter(template_name="newticket_submitter", locale="en").count()
    print(json.dumps({"queue": queue.pk, "token": token.key, "user": user.pk, "submitter_templates": templates}))


if __name__ == "__main__":
    main()
