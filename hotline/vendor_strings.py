"""Strings of the admin and of the libraries it shows (Django 5.2's newest, django-axes, django-treebeard, the
permission names) that have no Simplified Chinese in their own catalogs. Marked here so that makemessages keeps them
in locale/zh_Hans/LC_MESSAGES/django.po, whose translations Django prefers to every library's (LOCALE_PATHS)."""

from django.utils.translation import gettext_noop

STRINGS = [
    # Django admin 5.2
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # org.permission_labels
    gettext_noop("Can add %(model)s"),
    gettext_noop("Can change %(model)s"),
    gettext_noop("Can delete %(model)s"),
    gettext_noop("Can view %(model)s"),
    # django-axes
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    # django-treebeard's move form
    gettext_noop("Child of"),
    gettext_noop("Sibling of"),
    gettext_noop("First child of"),
    gettext_noop("Before"),
    gettext_noop("After"),
    gettext_noop("Position"),
    gettext_noop("Relative to"),
    gettext_noop("-- root --"),
]
