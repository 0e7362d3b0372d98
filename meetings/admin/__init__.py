"""The admin: where editors correct extracted records (see meetings/corrections.py).

One module per family: meetings and their extracted parts, entities (people, organisations,
directives, cities); the shared behaviour (locks, tombstones, history, evidence) is in mixins,
the changelist actions (mark verified, merge) in actions.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from meetings.admin import entities, meetings  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = _("Meeting reports: administration")
admin.site.site_title = _("Meeting reports")
