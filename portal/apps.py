"""django.contrib.admin, with the portal's admin site as the default `admin.site`."""

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
