"""What the public meeting page says about its review: which values an editor checked or
corrected, the rest being machine-extracted (templates/includes/review_note.html)."""

from django import template
from django.utils.translation import gettext as _

from meetings.models import ReviewStatus

register = template.Library()

# Meeting fields → what the public page calls the value (one name for the period's parts).
MEETING_VALUES = {
    "title": lambda: _("title"),
    "meeting_type": lambda: _("meeting type"),
    "body": lambda: _("organising body"),
    "city": lambda: _("province"),
    "place": lambda: _("place"),
    "locality": lambda: _("place"),
    "held_on": lambda: _("date held"),
    "held_until": lambda: _("date held"),
    "period_kind": lambda: _("reporting period"),
    "period_year": lambda: _("reporting period"),
    "period_number": lambda: _("reporting period"),
}


def _rows(meeting, prefetched: str, related: str):
    """The rows the page prefetched (no query), else the related manager's."""
    rows = getattr(meeting, prefetched, None)
    return rows if rows is not None else list(getattr(meeting, related).all())


def _edited(row) -> bool:
    """Corrected by an editor (a locked field) or added by one (no source article)."""
    return bool(row.corrected_fields) or row.article_id is None


def corrected_values(meeting) -> list[str]:
    """What an editor corrected or added, as the page names it ("province", "Nguyễn Văn A")."""
    names: list[str] = []
    for field in meeting.corrected_fields or []:
        label = MEETING_VALUES.get(field)
        if label is not None and str(label()) not in names:
            names.append(str(label()))
    for row in _rows(meeting, "participants", "participations"):
        if _edited(row):
            names.append(row.person.name)
    for row in _rows(meeting, "organization_mentions", "mentions"):
        if _edited(row):
            names.append(row.organization.name)
    for row in _rows(meeting, "directive_citations", "citations"):
        if _edited(row):
            names.append(str(row.directive))
    for row in _rows(meeting, "metric_rows", "metrics"):
        if _edited(row):
            names.append(row.label or str(row))
    return names


@register.inclusion_tag("includes/review_note.html")
def review_note(meeting):
    """Checked by an editor (when, not who), or machine-extracted; and what was corrected."""
    return {
        "verified": meeting.review_status == ReviewStatus.VERIFIED,
        "recheck": meeting.review_status == ReviewStatus.RECHECK,
        "reviewed_at": meeting.reviewed_at,
        "corrected": corrected_values(meeting),
    }
