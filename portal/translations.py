"""Texts of Django's admin and of django-simple-history and django-axes that have no
Vietnamese translation of their own (or, for "History", a wrong one: "Bản ghi nhớ" is a
memorandum), listed so that `makemessages` keeps them in locale/vi/LC_MESSAGES/django.po.

The project's catalogue (LOCALE_PATHS) is read before the packages' own, so a translation
there is the one shown. Nothing imports this module: makemessages reads it. When a package
upgrade adds a text, add it here (tests/test_translations.py lists what the admin shows).
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

DJANGO_ADMIN = [
    _("History"),
    _("Show counts"),
    _("Hide counts"),
    _("Breadcrumbs"),
    _("Skip to main content"),
    _("Sidebar"),
    _("Toggle navigation"),
    _("Filter navigation items"),
    _("Toggle theme (current theme: auto)"),
    _("Toggle theme (current theme: light)"),
    _("Toggle theme (current theme: dark)"),
    _("Added:"),
    _("Changed:"),
    _("Deleted:"),
    _("Error:"),
    _("Model name"),
    _("Add link"),
    _("Change or view list link"),
    _("Select this object for an action - {}"),
    _("Select all objects on this page for an action"),
    _("View selected %(model)s"),
    _("In case you’ve forgotten, you are:"),
    _("Forgotten your login credentials?"),
    _("Set password"),
    _("After you’ve created a user, you’ll be able to edit more user options."),
    _("This action will <strong>enable</strong> password-based authentication for this user."),
    _("Disable password-based authentication"),
    _("Enable password-based authentication"),
]
DJANGO_ADMIN_PLURALS = [ngettext_lazy("entry", "entries", "count")]

SIMPLE_HISTORY = [
    _("Created"),
    _("Changed"),
    _("Deleted"),
    _("Deleted %(type_name)s"),
    _("View history: %s"),
    _("Change history: %s"),
    _("View %s"),
    _("Revert %s"),
    _('The %(name)s "%(obj)s" was changed successfully.'),
    _("You may edit it again below"),
]

AXES = [
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("Access lock out"),
    _("access failure"),
    _("access failures"),
    _("GET Data"),
    _("POST Data"),
    _("Failed Logins"),
    _("access attempt"),
    _("access attempts"),
    _("Access Attempt"),
    _("Expires At"),
    _("The time when access attempt expires and is no longer valid."),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("Logout Time"),
    _("Session key hash (sha256)"),
    _("access log"),
    _("access logs"),
    _("Locked Out"),
    _("Form Data"),
    _("Meta Data"),
    _("Clean up expired attempts"),
    _("Not set"),
    _("Attempt Remaining"),
]
