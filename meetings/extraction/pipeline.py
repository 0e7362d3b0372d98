"""`extract()`: article text in, `ExtractedArticle` out. Runs the modules in dependency order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from . import dates
from .directives import extract_directives
from .metrics import find_metrics
from .organizations import Context, find_organizations, organization_near, unique
from .people import extract_participants
from .places import is_central_city, locate
from .reader import Line, layout, parse_published
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
    if published and not given_published:
        art.warnings.append(f"published: {published!r} is not a YYYY-MM-DD date; ignored")
    if not text:
        art.warnings.append("text: empty article; nothing to extract")
        art.published = given_published
        return art

    page = _Page.read(text)
    report = classify(text, page.body, page.title_line if page.title_source == "headline" else None)
    art.is_meeting_report, art.not_meeting_reason = report.is_meeting_report, report.reason
    if report.evidence:
        art.evidence["report_kind"] = report.evidence

    # directives first: their issue dates are not meeting dates, their numbers not metrics
    directives, citations = extract_directives(text, page.regions)
    cited = [(c.start, c.end) for c in citations]
    period = _reviewed_period(art, page)
    stamp: dates.PageDate | None
    if given_published:
        stamp = dates.PageDate(dt.date.fromisoformat(given_published), "published")
    else:
        stamp = dates.page_date(page.lines, url)
    art.published = stamp.date.isoformat() if stamp and stamp.exact else None
    _date_held(art, page, cited, stamp, period)
    _finish_period(art, period, stamp)
    _place(art, url, page.title)

    context = Context(
        art.city,
        art.locality,
        # province-level cities (thành phố trực thuộc trung ương): their bodies say "thành phố"
        ("thành phố" if is_central_city(art.city) else "tỉnh") if art.city else None,
    )
    org_mentions = find_organizations(text, page.regions, context)
    art.organizations = unique(org_mentions)
    org_spans = [(o.evidence.start, o.evidence.end) for o in org_mentions]
    art.participants = extract_participants(text, page.body, org_spans)
    art.metrics = _figures(text, page, cited, org_mentions)
    art.directives = directives
    art.meeting_type = meeting_type(text, page.lead)
    art.body = meeting_body(text, page.lead, org_mentions)
    _title(art, page)
    if not art.participants:
        art.warnings.append(
            "participants: nobody is named with a title or a cue (đồng chí, ông, bà)"
        )
    elif not any("presiding" in p.roles for p in art.participants):
        art.warnings.append("participants: the text does not say who presided")
    return art


@dataclass
class _Page:
    """The article's lines: all of them, the body's, the headline, and the lead."""

    lines: list
    body: list
    regions: list[tuple[int, int]]  # the body's lines as (start, end)
    title: str | None
    title_span: Span | None
    title_source: str | None
    title_line: Line | None  # the body line the headline is on
    after_title: list  # the body's other lines
    lead: list[tuple[int, int]]  # the headline and the two lines after it

    @classmethod
    def read(cls, text: str) -> _Page:
        lines = layout(text)
        body = [line for line in lines if line.is_body]
        title, span, source = find_title(text, lines)
        title_line = next((ln for ln in body if span and ln.start <= span.start < ln.end), None)
        after_title = [ln for ln in body if ln is not title_line]
        lead = ([(title_line.start, title_line.end)] if title_line else []) + [
            (ln.start, ln.end) for ln in after_title[:2]
        ]
        regions = [(line.start, line.end) for line in body]
        return cls(lines, body, regions, title, span, source, title_line, after_title, lead)


def _reviewed_period(art: ExtractedArticle, page: _Page) -> Period:
    """The period reviewed, from the lead, else later in the body; its year from elsewhere
    in the text when it is not written with it."""
    text = art.text
    period = (
        dates.pick_period(text, page.lead) or _later_period(text, page.after_title[2:]) or Period()
    )
    if period.kind and period.year is None:
        period.year = dates.year_elsewhere(text, period, page.regions)
        if period.year:
            art.sources["period_year"] = "text"
    return period


def _date_held(art: ExtractedArticle, page: _Page, cited, stamp, period: Period) -> None:
    """held_on and held_until, with the evidence of the date and of where its year came from."""
    text = art.text
    stamped = [(stamp.span.start, stamp.span.end)] if stamp and stamp.span else []
    mention = dates.pick_held(text, page.body, cited + stamped)
    if not mention:
        art.warnings.append("held_on: no date of the meeting in the text")
        return
    other = None
    if not (mention.year or stamp or period.year):
        other = dates.other_full_date(text, page.body, cited + stamped, mention)
    held = dates.resolve_year(mention, stamp, period, other)
    if held.warning:
        art.warnings.append(held.warning)
    if not held.on:
        return
    art.held_on = held.on.isoformat()
    art.held_until = held.until.isoformat() if held.until else None
    art.evidence["held_on"] = mention.span
    art.sources["held_on"] = held.source or "text"
    if held.source == "page" and stamp and stamp.span:
        art.evidence["held_on_year"] = stamp.span
    elif held.source == "period" and period.evidence:
        art.evidence["held_on_year"] = period.evidence


def _finish_period(art: ExtractedArticle, period: Period, stamp) -> None:
    """A period still without its year takes the one of the date held (else of the
    publication); its label and evidence."""
    if period.kind and period.year is None and (art.held_on or stamp):
        when = dt.date.fromisoformat(art.held_on) if art.held_on else stamp.date
        period.year = dates.year_from_held(period, when)
        art.sources["period_year"] = "held_on" if art.held_on else "published"
    if period.kind:
        period.label = dates.period_label(period)
        if period.evidence:
            art.evidence["period"] = period.evidence
        if period.year is None:
            art.warnings.append("period: the year of the reporting period is not given")
    else:
        art.warnings.append(
            "period: no reporting period (quý, 6 tháng, năm …) in the headline or lead"
        )
    art.period = period


def _place(art: ExtractedArticle, url: str | None, title: str | None) -> None:
    """The province and the unit below it, as they were in the year of the meeting."""
    year = art.held_on and int(art.held_on[:4]) or art.period.year
    place = locate(art.text, url=url, year=year, title=title)
    art.city, art.locality = place.city, place.locality
    art.warnings.extend(place.warnings)
    if place.start is not None and place.end is not None:
        art.evidence["city"] = Span(place.start, place.end)
    if place.source:
        art.sources["city"] = place.source
    if not art.city and not any(w.startswith("city") for w in place.warnings):
        art.warnings.append("city: nothing in the text or the address names the province")


def _figures(text: str, page: _Page, cited, org_mentions) -> list:
    """The figures of the body, none inside a date, a period or a cited document."""
    excluded = list(cited)
    for start, end in page.regions:
        excluded += [(d.start, d.end) for d in dates.find_dates(text, start, end)]
        excluded += [(p.start, p.end) for p in dates.find_periods(text, start, end)]

    def org_at(sentence_start: int, pos: int) -> str | None:
        return organization_near(org_mentions, sentence_start, pos)

    return find_metrics(text, page.body, excluded, org_at)


def _title(art: ExtractedArticle, page: _Page) -> None:
    """The headline, else a title built from the meeting's type, body, period and city."""
    if page.title and page.title_span:
        art.title = page.title
        art.evidence["title"] = page.title_span
        art.sources["title"] = page.title_source
        return
    art.title = build_title(art.meeting_type, art.body, art.period.label, art.city)
    art.sources["title"] = "built" if art.title else None
    art.warnings.append(
        "title: the text has no headline; built from the meeting's type, body and period"
        if art.title
        else "title: no headline and nothing to build one from"
    )


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
