"""Writing one extracted article: its Article row, its Meeting, and the rows that hang off it.

Ownership decides what a re-ingest may change. An extracted row is owned by the article whose
evidence it carries (`row.article`). Re-ingesting that article, or a newer version of it at the
same address, updates the row (fields an editor locked excepted) and moves its evidence to the
new version. Another source of the same meeting only adds what is missing: new rows, roles a
person had, blank fields. A row an editor added (no article) is never touched, a row an editor
deleted (a Tombstone) is never recreated, and a field listed in `corrected_fields` is never
written. Rows of an older version that the new version no longer has stay, pointing at that
version's text; only a re-extraction of the very same text drops the rows it no longer finds
(unless an editor touched them).

Meeting-level values (title, city, dates, period …) follow the meeting's first source, the
earliest-ingested current article; later sources fill blanks only, and a province a source
states replaces one inferred from the database (see meetings/ingest/places.py). Generic bodies
take the meeting's place (meetings/ingest/bodies.py).

Ingest writes no history records (simple-history) while it writes articles: its writes are
not edits. The end of each run gives new meetings their "As ingested" record
(meetings/history.py, record_baselines), and before an editor's change
`meetings.corrections.ensure_history_baseline` records a row as ingest left it ("As ingested",
or "Updated by ingest"), so the history shows what the editor changed.

A meeting keeps which of its values the extractor doubted (`Meeting.doubts`, from its first
source's warnings): the admin's review queue shows those meetings first.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from meetings.demo import is_demo_url
from meetings.extraction.text import fold, squash_spaces
from meetings.ingest import bodies, places
from meetings.ingest.extraction import Body, Extraction, Figure, Participant, read_extraction
from meetings.ingest.identity import Identity, find_meeting, identity_of
from meetings.ingest.inserts import insert, insert_rows, insert_with_parent
from meetings.ingest.locks import advisory_lock, slug_lock_key
from meetings.ingest.resolve import Resolver, name_key
from meetings.ingest.slugs import pick_slugs, slug_base, taken_slugs
from meetings.merges import merge_meetings
from meetings.models import (
    Article,
    CitySource,
    Directive,
    DirectiveCitation,
    Meeting,
    Metric,
    Organization,
    OrganizationMention,
    Participation,
    Person,
    ReviewStatus,
)
from meetings.models.entities import directive_number_key
from meetings.models.meetings import SOURCED_FIELDS, open_doubts
from meetings.search import update_search_documents
from meetings.slugs import make_slug

NEW, UPDATED, UNCHANGED, FAILED = "new", "updated", "unchanged", "failed"
# The version of these rules, part of the version stored on each article (run.py): when the
# rules change, the next ingest applies them again to every stored article, as it does when
# the extractor changes.
INGEST_RULES = "i2"


@dataclass
class Prepared:
    """An article read and extracted, ready to write (built outside any transaction)."""

    source_name: str
    text: str
    sha256: str
    data: dict
    url: str = ""
    published: datetime.date | None = None
    extractor_version: str = ""


@dataclass
class Written:
    status: str
    article_id: int | None = None
    meeting_id: int | None = None
    merged: bool = False  # the article joined a meeting another source had created
    notes: list[str] = field(default_factory=list)


def write_article(
    prepared: Prepared, resolver: Resolver, *, new_text: bool = False, new_url: bool = False
) -> Written:
    """Write one article in one transaction; on any error nothing of it remains.

    `new_text`: the caller knows no stored article has this text, so it is not looked up (if
    one does, the unique text hash makes the insert fail: retry without the flag).
    `new_url`: the same for the article's address: its versions are not looked up (if one is
    current, the unique current address makes the insert fail).
    """
    try:
        with transaction.atomic():
            return _write(prepared, resolver, new_text, new_url)
    except BaseException:
        resolver.forget()  # rows it cached may have been rolled back
        raise


def _write(p: Prepared, resolver: Resolver, new_text: bool, new_url: bool) -> Written:
    existing = None if new_text else Article.objects.filter(sha256=p.sha256).order_by().first()
    if existing is not None:
        return _reextract(existing, p, resolver)

    lineage: set[int] = set()
    meeting = None
    status = NEW
    if p.url and not new_url:
        previous = _versions(p.url)
        if previous:
            # A new text at a known address: a new version of that article.
            status = UPDATED
            lineage = {pk for pk, _, _ in previous}
            current = [(pk, meeting_id) for pk, meeting_id, is_current in previous if is_current]
            meeting_ids = [mid for _, mid in current if mid] or [
                mid for _, mid, _ in reversed(previous) if mid
            ]
            if meeting_ids:
                meeting = _locked(meeting_ids[0])
            Article.objects.filter(pk__in=[pk for pk, _ in current]).update(is_current=False)

    extraction = read_extraction(p.data, p.text)
    values = meeting_values(extraction, resolver)
    identity = meeting_identity(values, extraction.participants, p.published)
    merged = False
    possible = None
    title = values["title"] or _fallback_title(values, p)
    if meeting is None:
        # One statement for all locks: the identity's, and the slug's of a meeting to create.
        slug_lock = slug_lock_key(Meeting, meeting_slug_base(title, values))
        advisory_lock([slug_lock, *identity.lock_keys])
        meeting, possible = find_meeting(identity, values["city"].pk if values["city"] else None)
        merged = meeting is not None

    created = meeting is None
    if meeting is None:
        meeting = _new_meeting(title, values, identity, p, possible)
    article = Article(
        meeting=meeting,
        url=p.url,
        source_name=p.source_name[:300],
        title=extraction.title[:500],
        published_on=p.published,
        text=p.text,
        sha256=p.sha256,
        extraction=p.data,
        extractor_version=p.extractor_version[:40],
        is_demo=is_demo_url(p.url),
    )
    if created:  # the meeting and its first article in one statement
        insert_with_parent(meeting, article, "meeting")
    else:
        insert([article])
    lineage.add(article.pk)
    if not created:
        unplaced = meeting.city_id is None
        _update_meeting(meeting, values, identity, _is_first_source(meeting, lineage))
        if unplaced and meeting.city_id:  # placed by this source: the others' rows follow
            _rewrite_sources(meeting, resolver, exclude=lineage)
        if meeting.is_demo and not article.is_demo:  # a real report of it: no longer demo
            Meeting.objects.filter(pk=meeting.pk).update(is_demo=False)
    _write_rows(meeting, article, extraction, lineage, resolver, created=created, replace_own=False)
    update_search_documents([meeting.pk])  # searchable from the commit that makes it public
    return Written(status, article.pk, meeting.pk, merged)


def _versions(url: str) -> list[tuple[int, int | None, bool]]:
    """(id, meeting id, is current) of every stored version of the article at this address,
    oldest first. Written out: every new article asks, and the ORM took longer to build the
    query than PostgreSQL took to answer it (through the hash index on the address)."""
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, meeting_id, is_current FROM {table} WHERE url = %s ORDER BY id", [url]
        )
        return cursor.fetchall()


def _reextract(article: Article, p: Prepared, resolver: Resolver) -> Written:
    """The same text again: nothing to do, unless the extractor changed since, or an editor
    unlocked a field and so asked for this source to be applied again (an empty
    extractor_version: see meetings.corrections.unlock)."""
    if article.extractor_version == p.extractor_version[:40]:
        return Written(UNCHANGED, article.pk, article.meeting_id)
    reapply = not article.extractor_version or (
        _rules(article.extractor_version) != _rules(p.extractor_version)  # the rules changed
    )
    same = not reapply and _comparable(article.extraction) == _comparable(p.data)
    article.extraction = p.data
    article.extractor_version = p.extractor_version[:40]
    extraction = read_extraction(p.data, p.text)
    if not article.title and extraction.title:
        article.title = extraction.title[:500]
    article.save(update_fields=["extraction", "extractor_version", "title", "updated_at"])
    meeting = _locked(article.meeting_id) if article.meeting_id else None
    # A superseded version, or one whose meeting an editor deleted, is kept as it is.
    if same or meeting is None or not article.is_current:
        return Written(UNCHANGED, article.pk, article.meeting_id)
    lineage = set(
        Article.objects.filter(url=article.url).values_list("pk", flat=True) if article.url else []
    ) | {article.pk}
    values = meeting_values(extraction, resolver)
    identity = meeting_identity(values, extraction.participants, article.published_on)
    _update_meeting(meeting, values, identity, _is_first_source(meeting, lineage))
    _write_rows(meeting, article, extraction, lineage, resolver, created=False, replace_own=True)
    meeting = join_same_meeting(meeting, identity)
    update_search_documents([meeting.pk])
    return Written(UPDATED, article.pk, meeting.pk)


def join_same_meeting(meeting: Meeting, identity: Identity) -> Meeting:
    """A meeting whose source now reads differently (a new extractor, new rules, a province
    placed from the database) may now be one that is stored apart: two reports of it that
    were told apart before. The identity rule (meetings/ingest/identity.py) decides, as for a
    new article: the two become one, merged as an editor's merge would (history kept, the old
    page redirecting), into the one an editor worked on, else the older; when both carry an
    editor's work, or the rule is not sure, the newer is flagged as a possible duplicate for
    an editor. Returns the meeting the sources now belong to."""
    advisory_lock(identity.lock_keys)
    other, possible = find_meeting(identity, meeting.city_id, exclude=meeting.pk)
    if other is None:
        if possible is not None and meeting.possible_duplicate_of_id is None:
            _flag_duplicate(meeting, possible)
        return meeting
    edited = [m for m in (meeting, other) if _edited(m)]
    if len(edited) == 2:
        newer, older = sorted((meeting, other), key=lambda m: -m.pk)
        if newer.possible_duplicate_of_id is None:
            _flag_duplicate(newer, older)
        return meeting
    survivor = edited[0] if edited else min(meeting, other, key=lambda m: m.pk)
    absorbed = other if survivor is meeting else meeting
    merge_meetings(survivor, [absorbed])
    return survivor


def _flag_duplicate(meeting: Meeting, other: Meeting) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(possible_duplicate_of=other)
    meeting.possible_duplicate_of = other


def _edited(meeting: Meeting) -> bool:
    """Whether an editor worked on the meeting: reviewed it, corrected or deleted a value, or
    added a row of their own."""
    if meeting.review_status != ReviewStatus.UNREVIEWED or meeting.corrected_fields:
        return True
    if meeting.tombstones.exists():
        return True
    for model in (Participation, OrganizationMention, DirectiveCitation, Metric):
        rows = model.objects.filter(meeting=meeting)
        if rows.filter(article__isnull=True).exists() or rows.exclude(corrected_fields=[]).exists():
            return True
    return False


def _rules(version: str) -> str:
    """The ingest rules' part of a stored version (see run.extractor_version)."""
    return version.rsplit(".", 1)[1] if "." in version else ""


def _locked(meeting_id: int) -> Meeting | None:
    """The meeting, row-locked until commit: concurrent ingests of its sources take turns."""
    return (
        Meeting.objects.select_related("city")
        .slim()
        .select_for_update(of=("self",))
        .filter(pk=meeting_id)
        .first()
    )


def _comparable(data: dict) -> dict:
    return {k: v for k, v in (data or {}).items() if k not in ("warnings",)}


# --- meeting -----------------------------------------------------------------------------------

MEETING_FIELDS = tuple(SOURCED_FIELDS)  # what a source gives a meeting
PERIOD_FIELDS = ("period_kind", "period_year", "period_number")
FOREIGN_KEYS = ("city", "place")
CITY_PROVENANCE = ("city_source", "city_basis")  # written with the city, never alone


def meeting_values(e: Extraction, resolver: Resolver) -> dict:
    """The Meeting fields an extraction gives, cleaned to what the model's constraints allow."""
    kind, year, number = e.period
    city, source, basis = resolver.city(e.city or None), places.city_source(e), ""
    if city is None:
        city, basis = places.infer_city(e.participants, e.organizations, resolver)
        source = CitySource.DATABASE if city else ""
    locality = e.locality[:150]
    return {
        "doubts": doubts(e),
        "title": e.title[:500],
        "meeting_type": e.meeting_type[:120],
        "body": e.body[:300],
        "city": city,
        "city_source": source,
        "city_basis": basis,
        "locality": locality,
        "place": places.locality(locality, city, resolver.places),
        "held_on": e.held_on,
        "held_until": e.held_until,
        "period_kind": kind,
        "period_year": year,
        "period_number": number,
        "evidence": e.evidence,
    }


# The extractor's warnings start with the value they doubt ("held_on: no date of the meeting
# in the text"); these are the values a meeting keeps doubts about (Meeting.doubts).
DOUBTED = ("title", "city", "held_on", "period", "participants")


def doubts(e: Extraction) -> list[str]:
    """The values an extraction's warnings doubt, in DOUBTED's order."""
    warned = {w.split(":", 1)[0].strip() for w in e.warnings}
    return [name for name in DOUBTED if name in warned]


def meeting_identity(values: dict, participants: Sequence[Participant], published=None) -> Identity:
    """The identity (see meetings/ingest/identity.py) of the meeting these values and
    participants describe."""
    presiding, others = places.officials(participants)
    return identity_of(
        values["city"].name if values["city"] else None,
        values["held_on"],
        (values["period_kind"], values["period_year"], values["period_number"])
        if values["period_kind"]
        else (),
        presiding,
        values["meeting_type"],
        others,
        published,
    )


def meeting_slug_base(title: str, values: dict) -> str:
    """The slug family of a new meeting: its title, city and date held.

    Many meetings share a title ("Hội nghị giao ban Khối MTTQ …" every quarter in every
    province); with the city and date in the slug, a family rarely holds more than one
    meeting, so picking a free slug reads a row or two, not every meeting of that title.
    """
    title_part = make_slug(title, max_length=40)
    city = values["city"].name if values["city"] else ""
    held_on = values["held_on"].isoformat() if values["held_on"] else ""
    return slug_base(f"{title_part} {city} {held_on}")


def _new_meeting(
    title: str, values: dict, identity: Identity, p: Prepared, possible: Meeting | None
) -> Meeting:
    """A new meeting, not inserted yet: the caller holds the lock of its slug base, and
    inserts it with its first article (no history record: see the module docstring)."""
    fields = {k: values[k] for k in (*MEETING_FIELDS, *CITY_PROVENANCE) if k != "title"}
    base = meeting_slug_base(title, values)
    meeting = Meeting(
        title=title,
        slug=pick_slugs([base], taken_slugs(Meeting, [base]))[0],
        evidence=values["evidence"],
        identity_key=identity.key if identity.complete else f"article:{p.url or p.sha256}"[:400],
        possible_duplicate_of=possible,
        doubts=values["doubts"],
        is_demo=is_demo_url(p.url),  # generate_demo_corpus's reserved host marks demo data
        **fields,
    )
    return meeting


def _fallback_title(values: dict, p: Prepared) -> str:
    parts = [values["meeting_type"] or "Hội nghị"]
    if values["city"]:
        parts.append(values["city"].name)
    if values["held_on"]:
        parts.append(values["held_on"].strftime("%d/%m/%Y"))
    return " – ".join(parts) if len(parts) > 1 else (p.source_name or parts[0])[:500]


def _is_first_source(meeting: Meeting, lineage: set[int]) -> bool:
    """Whether this article (any version of it) is the meeting's earliest current source."""
    others = (
        Article.objects.filter(meeting=meeting, is_current=True)
        .exclude(pk__in=lineage)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return others is None or others > min(lineage)


def _update_meeting(meeting: Meeting, values: dict, identity, first_source: bool) -> None:
    """First source: its values win. Other sources: fill what is blank. Locked: untouched."""
    changed: list[str] = []
    period_locked = any(meeting.is_locked(f) for f in PERIOD_FIELDS)
    for name in MEETING_FIELDS:
        new = values[name]
        if new in (None, ""):
            continue
        if meeting.is_locked(name) or (name in PERIOD_FIELDS and period_locked):
            continue
        if name in PERIOD_FIELDS and not first_source and meeting.period_kind:
            continue  # the period is one value; do not mix two sources' parts
        attr = f"{name}_id" if name in FOREIGN_KEYS else name
        current = getattr(meeting, attr)
        new_value = new.pk if name in FOREIGN_KEYS else new
        # A province a source states beats one the database inferred, whichever came first.
        stated = (
            name == "city"
            and meeting.city_inferred
            and values["city_source"] != CitySource.DATABASE
        )
        if stated and current == new_value:  # the same province, now read in a source
            for provenance in CITY_PROVENANCE:
                setattr(meeting, provenance, values[provenance])
            changed += CITY_PROVENANCE
            continue
        if current == new_value or (not first_source and current not in (None, "") and not stated):
            continue
        setattr(meeting, attr, new_value)
        changed.append(name)
        if name == "city":
            for provenance in CITY_PROVENANCE:
                setattr(meeting, provenance, values[provenance])
            changed += CITY_PROVENANCE
    bad_until = meeting.held_until and (not meeting.held_on or meeting.held_until < meeting.held_on)
    if bad_until and not meeting.is_locked("held_until"):
        meeting.held_until = None
        changed.append("held_until")
    if first_source and values["evidence"] and not meeting.is_locked("evidence"):
        meeting.evidence = values["evidence"]
        changed.append("evidence")
    doubts = open_doubts(values["doubts"], meeting.corrected_fields)
    if first_source and meeting.doubts != doubts:
        meeting.doubts = doubts
        changed.append("doubts")
    if first_source and identity.complete and meeting.identity_key != identity.key:
        meeting.identity_key = identity.key
        changed.append("identity_key")
    if changed:
        meeting.save_without_historical_record(update_fields=[*set(changed), "updated_at"])


# --- extracted rows ----------------------------------------------------------------------------


@dataclass
class Wanted:
    """One row an article asks for: its fields, its evidence span, and the tombstone keys
    that forbid it (an editor deleted such a row: see meetings/corrections.py)."""

    fields: dict
    span: tuple[int | None, int | None]
    tomb: set[str]


def _write_rows(
    meeting, article, e: Extraction, lineage, resolver, *, created, replace_own
) -> None:
    """Participations, mentions, citations and metrics of one article, merged into a meeting.

    A name already in this meeting is that row's entity whatever its city (the meeting's city
    may have been corrected since); other names are resolved within the meeting's city.
    """
    tombstones = set() if created else set(meeting.tombstones.values_list("kind", "key"))
    rows: dict = {model: [] for model, _ in _ROW_KINDS}  # a new meeting has none
    for model, related in () if created else _ROW_KINDS:
        qs = model.objects.filter(meeting=meeting)
        rows[model] = list(qs.select_related(related) if related else qs)
    ctx = _Ctx(meeting, article, article.text, lineage, tombstones, created, replace_own)
    city = meeting.city if meeting.city_id else None
    orgs = [_qualified(o, meeting) for o in e.organizations]
    held = resolver.lock_names([p.name for p in e.participants], orgs, e.directives, city)

    wanted_people = _wanted_participations(e, rows[Participation], city, resolver, held)
    if tombstones:
        _add_survivor_names(wanted_people, Person)
    _sync(ctx, Participation, "person_id", "participation", wanted_people, rows[Participation])

    mentions = rows[OrganizationMention]
    wanted_orgs, org_by_name = _wanted_mentions(orgs, mentions, city, resolver, held)
    if tombstones:
        _add_survivor_names(wanted_orgs, Organization)
    _sync(ctx, OrganizationMention, "organization_id", "organizationmention", wanted_orgs, mentions)

    wanted_docs = _wanted_citations(e, rows[DirectiveCitation], city, resolver, held, ctx.text)
    citations = rows[DirectiveCitation]
    _sync(ctx, DirectiveCitation, "directive_id", "directivecitation", wanted_docs, citations)

    wanted_figures = _wanted_metrics(e, org_by_name)
    _sync(ctx, Metric, "extraction_key", "metric", wanted_figures, rows[Metric])
    insert_rows(ctx.creates)  # the four kinds' new rows in one statement
    if replace_own:  # a new reading of a source may leave entities nothing refers to
        for model, relations, ids in _referred(rows):
            _remove_left_behind(model, relations, ids)


def _wanted_participations(e: Extraction, rows, city, resolver, held) -> dict[int, Wanted]:
    """Person id → the participation the article gives, one per person (a name written twice,
    or two names of one person, merge their roles)."""
    people = [p for p in e.participants if name_key(p.name)]
    known = _known_names(r.person for r in rows)
    person_ids = {
        name_key(p.name): known[name_key(p.name)] for p in people if name_key(p.name) in known
    }
    unknown = [p.name for p in people if name_key(p.name) not in person_ids]
    person_ids.update(resolver.people_ids(unknown, city, held))
    wanted: dict[int, Wanted] = {}
    for p in people:
        pid = person_ids[name_key(p.name)]
        row = wanted.get(pid)
        if row is None:
            fields = {"title": p.title[:500], "roles": list(p.roles)}
            wanted[pid] = Wanted(fields, p.span, {name_key(p.name)})
        else:
            row.fields["roles"] = _union(row.fields["roles"], list(p.roles))
            row.fields["title"] = row.fields["title"] or p.title[:500]
            row.tomb.add(name_key(p.name))
    return wanted


def _wanted_mentions(
    orgs: list[Body], rows, city, resolver, held
) -> tuple[dict[int, Wanted], dict[str, int]]:
    """Organisation id → the mention the article gives; and every name the article gives an
    organisation by (full, as found, abbreviation) → its id, for the figures' owners. `orgs`:
    the article's organisations, qualified by the meeting's place (_qualified)."""
    known = _known_names(r.organization for r in rows)
    org_ids = [known.get(name_key(o.full_name)) or known.get(name_key(o.name)) for o in orgs]
    unknown = [o for o, oid in zip(orgs, org_ids, strict=True) if oid is None]
    resolved = iter(resolver.organization_ids(unknown, city, held))
    ids: list[int] = [oid if oid is not None else next(resolved) for oid in org_ids]
    wanted: dict[int, Wanted] = {}
    org_by_name: dict[str, int] = {}
    for o, oid in zip(orgs, ids, strict=True):
        for n in (o.name, o.canonical, o.abbreviation):
            if n:
                org_by_name.setdefault(name_key(n), oid)
        if oid not in wanted:
            wanted[oid] = Wanted(
                {"name_as_written": (o.written or o.name)[:300]},
                o.span,
                {name_key(o.full_name), name_key(o.bare)} - {""},
            )
    return wanted, org_by_name


def _wanted_citations(e: Extraction, rows, city, resolver, held, text: str) -> dict[int, Wanted]:
    """Directive id → the citation the article gives, the first of each document."""
    known = {r.directive.number_key: r.directive_id for r in rows}
    directive_ids = [known.get(directive_number_key(d.number)) for d in e.directives]
    unknown = [d for d, did in zip(e.directives, directive_ids, strict=True) if did is None]
    resolved = iter(resolver.directive_ids(unknown, city, held))
    ids: list[int] = [did if did is not None else next(resolved) for did in directive_ids]
    wanted: dict[int, Wanted] = {}
    for d, did in zip(e.directives, ids, strict=True):
        if did in wanted:
            continue
        start, end = d.span
        written = text[start:end] if start is not None else ""
        as_written = squash_spaces(written or f"{d.kind} {d.number}")[:500]
        wanted[did] = Wanted(
            {"text_as_written": as_written}, d.span, {directive_number_key(d.number)}
        )
    return wanted


def _wanted_metrics(e: Extraction, org_by_name: dict[str, int]) -> dict[str, Wanted]:
    """Extraction key (metric_key, "#2" … for repeats) → the figure the article gives."""
    wanted: dict[str, Wanted] = {}
    for m in e.metrics:
        base = metric_key(m)
        key, n = base, 2
        while key in wanted:
            key, n = f"{base}#{n}", n + 1
        fields = {
            "value": m.value,
            "unit": m.unit[:60],
            "qualifier": m.qualifier[:30],
            "target": m.target,
            "label": m.label[:500],
            "organization_id": org_by_name.get(name_key(m.organization))
            if m.organization
            else None,
        }
        wanted[key] = Wanted(fields, m.span, {key})
    return wanted


def _qualified(org: Body, meeting: Meeting) -> Body:
    """The organisation with a generic name qualified by the meeting's place (bodies.py). The
    bare name is not kept as a name to find it by: every province has a "Ban Dân vận"."""
    full = org.full_name
    city = meeting.city.name if meeting.city is not None else None
    place = meeting.place if meeting.place_id else None
    qualified = bodies.qualify(full, city, place)
    if qualified == full:
        return org
    return replace(org, canonical=qualified, name=qualified, written=org.name, bare=full)


_ROW_KINDS = (
    (Participation, "person"),
    (OrganizationMention, "organization"),
    (DirectiveCitation, "directive"),
    (Metric, None),
)


def _known_names(entities) -> dict[str, int]:
    """Folded name and aliases → id, for the entities already attached to a meeting."""
    known: dict[str, int] = {}
    for entity in entities:
        known.setdefault(entity.name_folded, entity.pk)
        for alias in entity.aliases or []:
            known.setdefault(name_key(alias), entity.pk)
    return known


def metric_key(metric: Figure) -> str:
    """The figure's identity: folded unit, value and label ("vnd|55000000000|tiep nhan …").

    Content, not position: the same article re-ingested gives the same keys whatever order the
    extractor lists figures in, and the same figure reported by a second outlet merges into the
    existing row instead of duplicating it. A figure repeated with the same label gets "#2" ….
    The value is the extracted one, so an editor's correction of `value` does not change the
    key and the next re-ingest still finds (and leaves alone) the corrected row.
    """
    unit, label = fold(metric.unit), fold(metric.label)
    return f"{unit}|{_plain(metric.value)}|{label}"[:290]


def _add_survivor_names(wanted: dict, model) -> None:
    """Tombstones name the row's entity as it is now (a merge survivor's name)."""
    for pk, name in model.objects.filter(pk__in=list(wanted)).values_list("pk", "name_folded"):
        wanted[pk].tomb.add(name)


@dataclass
class _Ctx:
    meeting: Meeting
    article: Article
    text: str
    lineage: set
    tombstones: set
    created: bool
    replace_own: bool
    creates: list[list] = field(default_factory=list)  # new rows, by kind, to insert at the end


def _sync(
    ctx: _Ctx, model, key_attr: str, kind: str, wanted: dict[Any, Wanted], rows: list
) -> None:
    """Create (at the end of _write_rows), update or (own, untouched, vanished) delete one
    kind of row of a meeting."""
    existing = {getattr(r, key_attr): r for r in rows}
    creates, updates, update_fields = [], [], set()
    for key, want in wanted.items():
        if any((kind, t) in ctx.tombstones for t in want.tomb):
            continue
        row = existing.get(key)
        if row is None:
            creates.append(
                model(
                    meeting=ctx.meeting,
                    article=ctx.article,
                    evidence_start=want.span[0],
                    evidence_end=want.span[1],
                    **{key_attr: key},
                    **want.fields,
                )
            )
            continue
        changed = _merge_row(row, want, ctx)
        if changed:
            updates.append(row)
            update_fields |= changed
    if ctx.replace_own:
        stale = [
            r.pk
            for key, r in existing.items()
            if r.article_id == ctx.article.pk and key not in wanted and not r.corrected_fields
        ]
        if stale:
            model.objects.filter(pk__in=stale).delete()
    ctx.creates.append(creates)
    if updates:
        model.objects.bulk_update(updates, sorted(update_fields))


# The entities a meeting's rows refer to (row kind, its field), and every relation that
# refers to such an entity.
_ENTITIES = (
    (Person, ((Participation, "person_id"),), ("participations",)),
    (
        Organization,
        ((OrganizationMention, "organization_id"), (Metric, "organization_id")),
        ("mentions", "metrics"),
    ),
    (Directive, ((DirectiveCitation, "directive_id"),), ("citations",)),
)


def _referred(rows: dict) -> list[tuple]:
    """(entity model, its relations, ids) that these rows of a meeting refer to."""
    out = []
    for model, fields, relations in _ENTITIES:
        ids = {getattr(r, field) for kind, field in fields for r in rows[kind]} - {None}
        out.append((model, relations, ids))
    return out


def _remove_left_behind(model, relations, ids) -> None:
    """Delete the people, bodies or documents that only this source's earlier reading referred
    to ("CTV Khánh Phượng" read with its prefix, a "Ban Dân vận" since named with its place),
    unless an editor touched them (a correction, a history record of theirs) or merged
    another into them: indexes list no one in no meeting. Rows an editor deleted leave their
    entity alone: only what a new reading of the text drops goes."""
    if not ids:
        return
    rows = model.objects.filter(pk__in=list(ids), corrected_fields=[])
    if hasattr(model, "merged_from"):
        rows = rows.filter(merged_into__isnull=True, merged_from__isnull=True)
    for relation in relations:
        rows = rows.filter(**{f"{relation}__isnull": True})
    edited = model.history.filter(id__in=list(ids), history_user__isnull=False).values("id")
    rows.exclude(pk__in=edited).delete()


def _merge_row(row, want: Wanted, ctx: _Ctx) -> set[str]:
    if row.article_id is None:
        return set()  # an editor's row
    owner = row.article_id in ctx.lineage
    changed = set()
    for name, new in want.fields.items():
        if row.is_locked(name.removesuffix("_id")) or new in (None, "", []):
            continue
        current = getattr(row, name)
        if name == "roles":
            new = new if owner else _union(current, new)
        elif not owner and current not in (None, "", []):
            continue
        if current != new:
            setattr(row, name, new)
            changed.add(name)
    if owner and not row.is_locked("evidence_start") and not row.is_locked("evidence"):
        start, end = want.span
        if (row.article_id, row.evidence_start, row.evidence_end) != (ctx.article.pk, start, end):
            row.article_id = ctx.article.pk
            row.evidence_start, row.evidence_end = start, end
            changed |= {"article", "evidence_start", "evidence_end"}
    return changed


# --- small helpers -----------------------------------------------------------------------------


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _union(a: list, b: list) -> list:
    return list(dict.fromkeys([*(a or []), *(b or [])]))


# --- settling after a run ----------------------------------------------------------------------


def place_meeting(meeting_id: int, resolver: Resolver) -> bool:
    """Place a meeting without a province from the database as it is now (its stored people
    and bodies, see places.infer_city), and write its sources' rows again under that
    province, in one transaction. Whether it was placed."""
    with transaction.atomic():
        meeting = _locked(meeting_id)
        if meeting is None or meeting.city_id or meeting.is_locked("city"):
            return False
        city, basis = places.infer_city(
            _stored_participants(meeting),
            [Body(m.organization.name) for m in meeting.mentions.select_related("organization")],
            resolver,
        )
        if city is None:
            return False
        meeting.city, meeting.city_source, meeting.city_basis = city, CitySource.DATABASE, basis
        meeting.place = places.locality(meeting.locality, city, resolver.places)
        meeting.save_without_historical_record(
            update_fields=["city", *CITY_PROVENANCE, "place", "updated_at"]
        )
        _rewrite_sources(meeting, resolver)
        meeting = join_same_meeting(meeting, stored_identity(meeting))
        update_search_documents([meeting.pk])
        return True


def stored_identity(meeting: Meeting) -> Identity:
    """The identity of a stored meeting, from its current values and people."""
    values = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    published = (
        meeting.articles.filter(is_current=True, published_on__isnull=False)
        .order_by("published_on")
        .values_list("published_on", flat=True)
        .first()
    )
    return meeting_identity(values, _stored_participants(meeting), published)


def _stored_participants(meeting: Meeting) -> list[Participant]:
    rows = meeting.participations.select_related("person")
    return [Participant(p.person.name, roles=tuple(p.roles)) for p in rows]


def _rewrite_sources(meeting: Meeting, resolver: Resolver, exclude=()) -> None:
    """Write the rows of the meeting's current sources again from their stored extraction,
    now that it has a province (generic bodies take its place, names resolve within it)."""
    for article in meeting.articles.filter(is_current=True).exclude(pk__in=exclude).order_by("pk"):
        lineage = {article.pk}
        if article.url:
            lineage |= set(Article.objects.filter(url=article.url).values_list("pk", flat=True))
        extraction = read_extraction(article.extraction, article.text)
        _write_rows(
            meeting, article, extraction, lineage, resolver, created=False, replace_own=True
        )
