"""django.contrib.admin, with the portal's admin site as the default `admin.site`; and
django-axes under a name editors understand."""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"


class AxesConfig(AxesAppConfig):
    """django-axes (sign-in lockouts), its admin section named and its columns titled in the
    reader's language (portal/axes_admin.py)."""

    verbose_name = _("Sign-in lockouts")

    def ready(self):
        super().ready()
        from portal import axes_admin  # noqa: F401  (re-registers axes' admins)
