"""`extract()`: article text in, `ExtractedArticle` out. Runs the modules in dependency order."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from . import dates
from .directives import extract_directives
from .metrics import find_metrics
from .organizations import Context, find_organizations, organization_near, unique
from .people import extract_participants
from .places import is_central_city, locate
from .reader import layout, parse_published
from .report_kind import classify
from .result import ExtractedArticle, Period, Span
from .text import normalize
from .titles import build_title, find_title, meeting_body, meeting_type


def extract(
    text: str, *, url: str | None = None, published: str | dt.date | None = None
) -> ExtractedArticle:
    """Extract the meeting record of one article (any text; it is normalised first)."""
    text = normalize(text or "")
    if isinstance(published, dt.date):
        published = published.isoformat()
    given_published = parse_published(published) if published else None
    art = ExtractedArticle(text=text, url=url or None)
    warnings = art.warnings
    if published and not given_published:
        warnings.append(f"published: {published!r} is not a YYYY-MM-DD date; ignored")
    if not text:
        warnings.append("text: empty article; nothing to extract")
        art.published = given_published
        return art

    lines = layout(text)
    body = [line for line in lines if line.is_body]
    regions = [(line.start, line.end) for line in body]

    title, title_span, title_source = find_title(text, lines)
    title_line = next(
        (ln for ln in body if title_span and ln.start <= title_span.start < ln.end), None
    )
    after_title = [ln for ln in body if ln is not title_line]
    lead = ([(title_line.start, title_line.end)] if title_line else []) + [
        (ln.start, ln.end) for ln in after_title[:2]
    ]

    report = classify(text, body, title_line if title_source == "headline" else None)
    art.is_meeting_report, art.not_meeting_reason = report.is_meeting_report, report.reason
    if report.evidence:
        art.evidence["report_kind"] = report.evidence

    # directives first: their issue dates are not meeting dates, their numbers not metrics
    directives, citations = extract_directives(text, regions)
    cited = [(c.start, c.end) for c in citations]

    period = dates.pick_period(text, lead) or _later_period(text, after_title[2:]) or Period()
    if period.kind and period.year is None:
        period.year = dates.year_elsewhere(text, period, regions)
        if period.year:
            art.sources["period_year"] = "text"

    if given_published:
        published = dates.PageDate(dt.date.fromisoformat(given_published), "published")
    else:
        published = dates.page_date(lines, url)
    art.published = published.date.isoformat() if published and published.exact else None

    stamp = [(published.span.start, published.span.end)] if published and published.span else []
    mention = dates.pick_held(text, body, cited + stamp)
    if mention:
        other = None
        if not (mention.year or published or period.year):
            other = dates.other_full_date(text, body, cited + stamp, mention)
        held = dates.resolve_year(mention, published, period, other)
        if held.warning:
            warnings.append(held.warning)
        if held.on:
            art.held_on = held.on.isoformat()
            art.held_until = held.until.isoformat() if held.until else None
            art.evidence["held_on"] = mention.span
            art.sources["held_on"] = held.source or "text"
            if held.source == "page" and published and published.span:
                art.evidence["held_on_year"] = published.span
            elif held.source == "period" and period.evidence:
                art.evidence["held_on_year"] = period.evidence
    else:
        warnings.append("held_on: no date of the meeting in the text")

    if period.kind and period.year is None and (art.held_on or published):
        when = dt.date.fromisoformat(art.held_on) if art.held_on else published.date
        period.year = dates.year_from_held(period, when)
        art.sources["period_year"] = "held_on" if art.held_on else "published"
    if period.kind:
        period.label = dates.period_label(period)
        if period.evidence:
            art.evidence["period"] = period.evidence
        if period.year is None:
            warnings.append("period: the year of the reporting period is not given")
    else:
        warnings.append("period: no reporting period (quý, 6 tháng, năm …) in the headline or lead")
    art.period = period

    year = art.held_on and int(art.held_on[:4]) or period.year
    place = locate(text, url=url, year=year, title=title)
    art.city, art.locality = place.city, place.locality
    warnings.extend(place.warnings)
    if place.start is not None and place.end is not None:
        art.evidence["city"] = Span(place.start, place.end)
    if place.source:
        art.sources["city"] = place.source
    if not art.city and not any(w.startswith("city") for w in place.warnings):
        warnings.append("city: nothing in the text or the address names the province")

    context = Context(
        art.city,
        art.locality,
        # province-level cities (thành phố trực thuộc trung ương): their bodies say "thành phố"
        ("thành phố" if is_central_city(art.city) else "tỉnh") if art.city else None,
    )
    org_mentions = find_organizations(text, regions, context)
    art.organizations = unique(org_mentions)
    org_spans = [(o.evidence.start, o.evidence.end) for o in org_mentions]
    art.participants = extract_participants(text, body, org_spans)

    excluded = list(cited)
    for start, end in regions:
        excluded += [(d.start, d.end) for d in dates.find_dates(text, start, end)]
        excluded += [(p.start, p.end) for p in dates.find_periods(text, start, end)]

    def org_at(sentence_start: int, pos: int) -> str | None:
        return organization_near(org_mentions, sentence_start, pos)

    art.metrics = find_metrics(text, body, excluded, org_at)
    art.directives = directives

    art.meeting_type = meeting_type(text, lead)
    art.body = meeting_body(text, lead, org_mentions)
    if title:
        art.title = title
        art.evidence["title"] = title_span
        art.sources["title"] = title_source
    else:
        art.title = build_title(art.meeting_type, art.body, period.label, art.city)
        art.sources["title"] = "built" if art.title else None
        warnings.append(
            "title: the text has no headline; built from the meeting's type, body and period"
            if art.title
            else "title: no headline and nothing to build one from"
        )
    if not art.participants:
        warnings.append("participants: nobody is named with a title or a cue (đồng chí, ông, bà)")
    elif not any("presiding" in p.roles for p in art.participants):
        warnings.append("participants: the text does not say who presided")
    return art


def _later_period(text: str, lines) -> Period | None:
    """A reviewed period stated later in the body: "Trong quý I-2019, …", or a year whose
    results are reviewed ("kết quả công tác nổi bật trong năm 2009"), the first one."""
    years = []
    for line in lines:
        for pm in dates.find_periods(text, line.start, line.end):
            if pm.forward:
                continue
            if pm.period.kind != "year":
                return replace(pm.period)
            years.append(pm)
    return replace(years[0].period) if years else None
