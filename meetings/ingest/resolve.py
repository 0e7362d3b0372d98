"""Entity resolution: extracted names → one City, Person, Organization or Directive row each.

- A city is a province from the gazetteer, created on first use.
- A person is one folded name within one city ("Lê Trí Vũ" of Hải Phòng is not the one of
  Hà Nội); titles are not part of a person, they stay on each participation.
- An organisation is its full expanded name (the extractor's `canonical`, which already spells
  out "Thành phố Hà Nội" for a bare "Thành phố") within its city; abbreviations and the names
  as written become aliases, and a name as written that matches an alias resolves to that body.
- A directive is its number within its issuer's scope: "/TU", "/HU", UBND … documents are
  local to the article's province, "/TW", "/QH", "-CP", "-TTg" ones are national (no city).

Rows an editor merged (`merged_into`) resolve to the survivor. Lookups and inserts are done in
bulk, one query per kind and article, and found rows are cached for the rest of the run.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import lru_cache
from pathlib import Path

from django.db import connection
from django.db.models import Q

from meetings.extraction.text import fold, squash_spaces
from meetings.models import City, Directive, Organization, Person
from meetings.models.entities import directive_number_key
from meetings.slugs import make_slug

# Issuers whose documents are national: Trung ương, Quốc hội, Chính phủ, Thủ tướng, Bộ Chính trị,
# Ban Bí thư, Chủ tịch nước.
NATIONAL_ISSUERS = frozenset({"TW", "QH", "CP", "TTG", "BCT", "BBT", "CTN", "UBTVQH"})
_ISSUER_TAIL = re.compile(r"[/-]\s*([A-Za-zĐđ]+)\s*\d*\s*$")


# Bodies of the Party, State and mass organisations at national level.
NATIONAL_BODY = re.compile(
    r"\btrung uong\b|\bchinh phu\b|\bquoc hoi\b|\bbo chinh tri\b|^ban bi thu\b"
    r"|^tong lien doan\b|^thu tuong\b|^chu tich nuoc\b"
)
LOCAL_WORDS = re.compile(r"\b(?:thanh pho|tinh|quan|huyen|thi xa|xa|phuong|thi tran|tp)\b")


@lru_cache(maxsize=1)
def _province_names() -> dict[str, str]:
    """Folded name → canonical name of every province-level unit in the gazetteer."""
    try:
        from meetings.extraction.places import province_names
    except ImportError:
        return {}
    return {name_key(n): n for n in province_names()}


@lru_cache(maxsize=1)
def _province_at_end() -> re.Pattern:
    """A province name ending a folded body name ("… thanh pho hai phong"), but not the
    "Hồ Chí Minh" of "Đoàn Thanh niên Cộng sản Hồ Chí Minh"."""
    names = sorted(_province_names(), key=len, reverse=True) or ["(?!)"]
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!cong san )(?<!tu tuong )(?:^|(?<=\s))({alternatives})$")


def parse_date(value) -> datetime.date | None:
    """'2023-10-23' (or a longer ISO timestamp) → date; anything else → None."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def name_key(name: str) -> str:
    return fold(squash_spaces(name or ""))


def is_national(number: str, issuer: str | None) -> bool:
    """Whether a document number belongs to a national issuer (no city scope)."""
    candidates = []
    if issuer:
        candidates.append(issuer)
    m = _ISSUER_TAIL.search(number or "")
    if m:
        candidates.append(m.group(1))
    return any(fold(c).upper().replace(" ", "") in NATIONAL_ISSUERS for c in candidates)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, dict]:
    """Folded province name → gazetteer entry, from the extractor's places.json if present."""
    path = Path(__file__).resolve().parent.parent / "extraction" / "data" / "places.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    entries = data.get("provinces", data) if isinstance(data, dict) else data
    if isinstance(entries, dict):
        entries = [{"name": k, **v} for k, v in entries.items() if isinstance(v, dict)]
    out = {}
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict) and entry.get("name"):
            out[name_key(entry["name"])] = entry
    return out


def canonical_city_name(name: str) -> str:
    """The gazetteer's canonical name for a province name, or the name itself."""
    try:
        from meetings.extraction.places import canonical_city
    except ImportError:
        return squash_spaces(name)
    try:
        return canonical_city(name) or squash_spaces(name)
    except Exception:  # a gazetteer problem must not stop ingest; keep the extractor's name
        return squash_spaces(name)


def city_details(name: str) -> dict:
    """full_name and code of a province from the gazetteer ({} when unknown)."""
    entry = _gazetteer().get(name_key(name), {})
    details = {}
    full = entry.get("full_name") or entry.get("full")
    if isinstance(full, str):
        details["full_name"] = full[:150]
    code = entry.get("code")
    if code is not None:
        details["code"] = str(code)[:10]
    return details


def lock_slugs(model, bases) -> None:
    """Serialise slug allocation per base until commit, so concurrent ingests do not pick the
    same "-2" (locks are taken in sorted order: no deadlock between two ingests)."""
    keys = [f"slug:{model._meta.model_name}:{base}" for base in sorted(set(bases))]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(k)) FROM unnest(%s::text[]) AS k", [keys]
        )


def _allocate_slugs(model, texts: list[str], max_length: int = 80) -> list[str]:
    """One unique slug per text, with one query for the whole batch."""
    bases = [make_slug(t, max_length=max_length - 8) for t in texts]
    lock_slugs(model, bases)
    query = Q()
    for base in set(bases):
        query |= Q(slug__startswith=base)
    taken = set(model._default_manager.filter(query).values_list("slug", flat=True))
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


class Resolver:
    """Finds or creates entity rows; caches what it found for the rest of one ingest run.

    The cache holds ids of committed rows only: `forget()` must be called when an article's
    transaction rolls back, since rows created inside it are gone.
    """

    def __init__(self):
        self.forget()

    def forget(self) -> None:
        self.cities: dict[str, City] = {}
        self.people: dict[tuple[str, int | None], int] = {}
        self.orgs: dict[tuple[str, int | None], int] = {}
        self.directives: dict[tuple[str, int | None], int] = {}

    # --- cities --------------------------------------------------------------------------------

    def city(self, name: str | None) -> City | None:
        if not name or not name.strip():
            return None
        canonical = canonical_city_name(name)
        key = name_key(canonical)
        if key in self.cities:
            return self.cities[key]
        city = (
            City.objects.filter(name=canonical).first()
            or City.objects.filter(name_folded=key).order_by("id").first()
        )
        if city is None:
            details = city_details(canonical)
            city = City(name=canonical[:100], slug="", **details)
            city.slug = _allocate_slugs(City, [canonical])[0]
            city.save()
        self.cities[key] = city
        return city

    # --- people --------------------------------------------------------------------------------

    def people_ids(self, names: list[str], city: City | None) -> dict[str, int]:
        """Folded name → Person id for each name (created when missing)."""
        city_id = city.pk if city else None
        wanted = {}
        for name in names:
            key = name_key(name)
            if key and key not in wanted:
                wanted[key] = squash_spaces(name)
        found = {k: self.people[(k, city_id)] for k in wanted if (k, city_id) in self.people}
        missing = {k: v for k, v in wanted.items() if k not in found}
        if missing:
            found.update(self._lookup(Person, missing, city_id))
            still = {k: v for k, v in missing.items() if k not in found}
            if still:
                rows = [
                    Person(name=v[:200], name_folded=k[:200], city_id=city_id)
                    for k, v in still.items()
                ]
                created = self._create(Person, rows, list(still.values()))
                found.update(created)
            for key in missing:
                self.people[(key, city_id)] = found[key]
        return found

    # --- organisations -------------------------------------------------------------------------

    def organization_ids(self, orgs: list[dict], default_city: City | None) -> list[int]:
        """One Organization id per extracted organisation dict, in order.

        A body is scoped by the province its full name ends with ("… thành phố Hải Phòng"),
        else by the article's city; national bodies ("Ban Dân vận Trung ương", "Tổng Liên
        đoàn Lao động Việt Nam") have no city.
        """
        keys = []
        wanted: dict[tuple[str, int | None], dict] = {}
        for org in orgs:
            full = squash_spaces(org.get("canonical") or org.get("name") or "")
            scope = self.organization_city(full, default_city)
            key = (name_key(full), scope.pk if scope else None)
            keys.append(key)
            entry = wanted.setdefault(key, {"name": full, "abbreviation": "", "written": set()})
            if org.get("abbreviation") and not entry["abbreviation"]:
                entry["abbreviation"] = squash_spaces(org["abbreviation"])
            written = squash_spaces(org.get("name") or "")
            if written:
                entry["written"].add(written)
        ids: dict[tuple[str, int | None], int] = {k: self.orgs[k] for k in wanted if k in self.orgs}
        missing = {k: v for k, v in wanted.items() if k not in ids}
        fresh: set = set()
        for city_id in {k[1] for k in missing}:
            group = {k: v for k, v in missing.items() if k[1] == city_id}
            found = self._lookup(Organization, {k[0]: v["name"] for k, v in group.items()}, city_id)
            # A name as written ("LĐLĐ thành phố Hà Nội") that is a known body's name or alias.
            unresolved = [k for k in group if k[0] not in found]
            if unresolved:
                written = {}
                for key in unresolved:
                    for w in group[key]["written"]:
                        written.setdefault(name_key(w), w)
                hits = self._lookup(
                    Organization, written, city_id, aliases=sorted(set(written.values()))
                )
                for key in unresolved:
                    for w in sorted(group[key]["written"]):
                        if name_key(w) in hits:
                            found[key[0]] = hits[name_key(w)]
                            break
            still = {k: v for k, v in group.items() if k[0] not in found}
            fresh |= set(still)
            if still:
                rows = [
                    Organization(
                        name=v["name"][:300],
                        name_folded=k[0][:300],
                        abbreviation=v["abbreviation"][:60],
                        aliases=sorted(w for w in v["written"] if name_key(w) != k[0]),
                        city_id=city_id,
                    )
                    for k, v in still.items()
                ]
                found.update(self._create(Organization, rows, [v["name"] for v in still.values()]))
            for key in group:
                ids[key] = found[key[0]]
                self.orgs[key] = ids[key]
        self._add_org_aliases({k: v for k, v in wanted.items() if k not in fresh}, ids)
        return [ids[k] for k in keys]

    def organization_city(self, full_name: str, default_city: City | None) -> City | None:
        folded = name_key(full_name)
        if NATIONAL_BODY.search(folded) or (
            folded.endswith("viet nam") and not LOCAL_WORDS.search(folded)
        ):
            return None
        m = _province_at_end().search(folded)
        if m and (default_city is None or name_key(default_city.name) != m.group(1)):
            return self.city(_province_names()[m.group(1)])
        return default_city

    def _add_org_aliases(self, wanted: dict, ids: dict) -> None:
        """Record new ways of writing a body's name and a missing abbreviation, unless locked."""
        if not wanted:
            return
        by_id = {ids[k]: v for k, v in wanted.items()}
        changed = []
        for org in Organization.objects.filter(pk__in=list(by_id)).only(
            "id", "name_folded", "abbreviation", "aliases", "corrected_fields"
        ):
            entry = by_id[org.pk]
            fields = []
            if not org.is_locked("aliases"):
                known = {name_key(a) for a in org.aliases} | {org.name_folded}
                new = [w for w in sorted(entry["written"]) if name_key(w) not in known]
                if new:
                    org.aliases = [*org.aliases, *new]
                    fields.append("aliases")
            if entry["abbreviation"] and not org.abbreviation and not org.is_locked("abbreviation"):
                org.abbreviation = entry["abbreviation"][:60]
                fields.append("abbreviation")
            if fields:
                changed.append(org)
        if changed:
            Organization.objects.bulk_update(changed, ["aliases", "abbreviation"])

    # --- directives ----------------------------------------------------------------------------

    def directive_ids(self, directives: list[dict], city: City | None) -> list[int]:
        """One Directive id per extracted directive dict, in order; fills blanks it learns."""
        keys = []
        wanted: dict[tuple[str, int | None], dict] = {}
        for d in directives:
            number = squash_spaces(d.get("number") or "")
            scope = None if is_national(number, d.get("issuer")) else (city.pk if city else None)
            key = (directive_number_key(number), scope)
            keys.append(key)
            entry = wanted.setdefault(key, {"number": number})
            for field in ("kind", "issuer", "issued_on", "subject"):
                value = parse_date(d.get(field)) if field == "issued_on" else d.get(field)
                if value and not entry.get(field):
                    entry[field] = value
        ids = {k: self.directives[k] for k in wanted if k in self.directives}
        missing = {k: v for k, v in wanted.items() if k not in ids}
        fresh: set = set()
        if missing:
            query = Q()
            for number_key, scope in missing:
                query |= Q(number_key=number_key, city_id=scope)
            existing = {(d.number_key, d.city_id): d for d in Directive.objects.filter(query)}
            rows, texts = [], []
            fresh = {k for k in missing if k not in existing}
            for key, entry in missing.items():
                if key in existing:
                    ids[key] = existing[key].pk
                    continue
                rows.append(
                    Directive(
                        number=entry["number"][:80],
                        number_key=key[0][:80],
                        kind=(entry.get("kind") or "")[:60],
                        issuer=(entry.get("issuer") or "")[:80],
                        issued_on=parse_date(entry.get("issued_on")),
                        subject=entry.get("subject") or "",
                        city_id=key[1],
                    )
                )
                texts.append(f"{entry.get('kind') or ''} {entry['number']}")
            if rows:
                pairs = sorted(zip(rows, texts, strict=True), key=lambda p: p[0].number_key)
                rows, texts = [p[0] for p in pairs], [p[1] for p in pairs]
                slugs = _allocate_slugs(Directive, texts)
                for row, slug in zip(rows, slugs, strict=True):
                    row.slug = slug
                Directive.objects.bulk_create(rows, ignore_conflicts=True)
                query = Q()
                for row in rows:
                    query |= Q(number_key=row.number_key, city_id=row.city_id)
                for d in Directive.objects.filter(query).only("id", "number_key", "city_id"):
                    ids[(d.number_key, d.city_id)] = d.pk
                if any(k not in ids for k in missing):
                    raise ConcurrentWrite("a directive was created by another process")
            for key in missing:
                self.directives[key] = ids[key]
        self._fill_directive_blanks({k: v for k, v in wanted.items() if k not in fresh}, ids)
        return [ids[k] for k in keys]

    def _fill_directive_blanks(self, wanted: dict, ids: dict) -> None:
        if not wanted:
            return
        by_id = {ids[k]: v for k, v in wanted.items()}
        changed = []
        for d in Directive.objects.filter(pk__in=list(by_id)):
            entry = by_id[d.pk]
            dirty = False
            for field in ("kind", "issuer", "issued_on", "subject"):
                if entry.get(field) and not getattr(d, field) and not d.is_locked(field):
                    setattr(d, field, entry[field])
                    dirty = True
            if dirty:
                changed.append(d)
        if changed:
            Directive.objects.bulk_update(changed, ["kind", "issuer", "issued_on", "subject"])

    # --- shared --------------------------------------------------------------------------------

    @staticmethod
    def _lookup(model, names: dict[str, str], city_id, aliases=None) -> dict[str, int]:
        """Folded name → id of the live row with that name (or alias) in this city."""
        if not names:
            return {}
        query = Q(name_folded__in=list(names))
        for alias in aliases or []:
            query |= Q(aliases__contains=[alias])
        rows = list(
            model.objects.filter(query, city_id=city_id).values(
                "id", "name_folded", "aliases", "merged_into_id"
            )
        )
        found: dict[str, int] = {}
        merged: dict[str, int] = {}
        for row in sorted(rows, key=lambda r: r["id"]):
            keys = {row["name_folded"]} | {name_key(a) for a in row["aliases"] or []}
            for key in keys & set(names):
                if row["merged_into_id"] is None:
                    found.setdefault(key, row["id"])
                else:
                    merged.setdefault(key, row["merged_into_id"])
        for key, target in merged.items():
            if key not in found:
                found[key] = _survivor(model, target)
        return found

    @staticmethod
    def _create(model, rows: list, slug_texts: list[str]) -> dict[str, int]:
        # A stable order, so that concurrent ingests lock unique-index entries in one order.
        pairs = sorted(zip(rows, slug_texts, strict=True), key=lambda p: p[0].name_folded)
        rows, slug_texts = [p[0] for p in pairs], [p[1] for p in pairs]
        slugs = _allocate_slugs(model, slug_texts)
        for row, slug in zip(rows, slugs, strict=True):
            row.slug = slug
        model.objects.bulk_create(rows, ignore_conflicts=True)
        city_id = rows[0].city_id
        names = [row.name_folded for row in rows]
        got = dict(
            model.objects.filter(
                name_folded__in=names, city_id=city_id, merged_into__isnull=True
            ).values_list("name_folded", "id")
        )
        if len(got) < len(set(names)):
            raise ConcurrentWrite(f"a {model._meta.model_name} was created by another process")
        return got


def _survivor(model, pk: int) -> int:
    """Follow merged_into to the row that absorbed the others."""
    seen = set()
    while pk not in seen:
        seen.add(pk)
        nxt = model.objects.filter(pk=pk).values_list("merged_into_id", flat=True).first()
        if nxt is None:
            return pk
        pk = nxt
    return pk


class ConcurrentWrite(Exception):
    """Another process inserted the same row at the same moment: retry the article."""
