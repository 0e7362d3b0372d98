"""Small formatting filters of the public pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from meetings.models.links import Role
from meetings.query_strings import capped, query_string
from meetings.templatetags.charts import format_number

register = template.Library()

UNITS = {"percent": "%", "VND": _("VND"), "people": _("people")}
QUALIFIERS = {
    "over": _("over"),
    "exceeds": _("exceeding"),
    "under": _("under"),
    "about": _("about"),
    "at least": _("at least"),
    "nearly": _("nearly"),
    "reached": _("reached"),
    "up to": _("up to"),
    "increase": _("an increase of"),
    "decrease": _("a decrease of"),
    "only": _("only"),
}


@register.filter
def number(value):
    """55000000000.0000 → "55.000.000.000" (vi) or "55,000,000,000" (en)."""
    if value is None or value == "":
        return ""
    return format_number(value)


@register.filter
def unit_label(unit):
    return UNITS.get(unit, unit)


@register.filter
def qualifier_label(qualifier):
    """The extractor's qualifier ("over" for "trên 55 tỷ") in the reader's language."""
    return QUALIFIERS.get(qualifier, qualifier)


@register.filter
def role_labels(roles):
    """The translated names of a participation's roles, comma-separated."""
    labels = dict(Role.choices)
    return ", ".join(str(labels.get(role, role)) for role in roles or ())


@register.filter
def capped_path(request):
    """The request's path and query string, each value cut to the search box's maxlength,
    so a pasted 20,000-character query is not echoed back (the language switch's `next`)."""
    query = capped(request.GET).urlencode()
    return request.path + (f"?{query}" if query else "")


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """`?…&page=n`: this page's filters on page `number` (meetings/query_strings.py)."""
    return query_string(context["request"].GET, "page", number)
