"""Entity resolution: extracted names → one City, Person, Organization or Directive row each.

- A city is a province from the gazetteer, created on first use.
- A person is one folded name within one city ("Lê Trí Vũ" of Hải Phòng is not the one of
  Hà Nội); titles are not part of a person, they stay on each participation.
- An organisation is its full expanded name (the extractor's `canonical`, which already spells
  out "Thành phố Hà Nội" for a bare "Thành phố") within its city; abbreviations and the names
  as written become aliases, and a name as written that matches an alias resolves to that body.
- A directive is its number within its issuer's scope: "/TU", "/HU", UBND … documents are
  local to the article's province, "/TW", "/QH", "-CP", "-TTg" ones are national (no city).

Rows an editor merged (`merged_into`) resolve to the survivor (merges.final_survivor). Lookups
and inserts are done in bulk, one query per kind and article, and found rows are cached for the
rest of the run. Slug families are allocated by meetings.ingest.slugs, under the advisory locks
of meetings.ingest.locks.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from meetings.extraction.text import fold, fold_name, squash_spaces
from meetings.ingest.extraction import Body, Document
from meetings.ingest.locks import advisory_lock, slug_lock_key
from meetings.ingest.slugs import (
    allocate_slugs,
    column_is,
    create_with_slugs,
    rows_and_slugs,
    slug_base,
    taken_slugs,
)
from meetings.ingest.values import parse_date
from meetings.merges import final_survivor
from meetings.models import City, Directive, Organization, Person
from meetings.models.entities import directive_number_key

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


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """The folded form names are stored and matched by (fold_name, memoised: the same names
    recur all run long)."""
    return fold_name(name)


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
    """Folded province name → its gazetteer entry, as the extractor's places module reads it
    (one reader of places.json for the whole project)."""
    from meetings.extraction.places import units

    out: dict[str, dict] = {}
    for entry in units():
        out.setdefault(name_key(entry["name"]), entry)
    return out


def gazetteer_entry(name: str) -> dict:
    """The gazetteer's entry of a province ({} when unknown)."""
    return _gazetteer().get(name_key(name), {})


@lru_cache(maxsize=4096)
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


class Resolver:
    """Finds or creates entity rows; caches what it found for the rest of one ingest run.

    The cache holds ids of committed rows only: `forget()` must be called when an article's
    transaction rolls back, since rows created inside it are gone.

    A name not in the cache is resolved under the advisory lock of its slug base (which the
    folded name determines), taken before the lookup: two ingests resolving the same new name
    take turns, and the one that waited finds the other's row instead of inserting it twice.
    """

    def __init__(self):
        self.forget()

    def forget(self) -> None:
        self.cities: dict[str, City] = {}
        self.places: dict[tuple, object] = {}  # (city id, kind, folded name) → Locality
        self.people: dict[tuple[str, int | None], int] = {}
        self.orgs: dict[tuple[str, int | None], int] = {}
        self.directives: dict[tuple[str, int | None], int] = {}
        # What this run saw stored on organisations and directives: id → folded names and
        # aliases (None: aliases locked) and whether the abbreviation is set or locked; id →
        # fields set or locked. An article that brings nothing beyond it needs no query to
        # fill blanks; one that does reads the row again before writing.
        self.org_names: dict[int, set[str] | None] = {}
        self.org_abbreviated: dict[int, bool] = {}
        self.directive_filled: dict[int, set[str]] = {}

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
            city.slug = allocate_slugs(City, [canonical])[0]
            city.save()
        self.cities[key] = city
        self._link_successor(city)
        return city

    def _link_successor(self, city: City) -> None:
        """A province merged in 2025 points at today's province (Hà Nam → Ninh Bình), so a
        filter by today's province finds its meetings; an editor's choice is kept."""
        successor = gazetteer_entry(city.name).get("merged_into")
        if not successor or city.merged_into_id or name_key(successor) == name_key(city.name):
            return
        target = self.city(successor)
        if target is not None and target.pk != city.pk:
            City.objects.filter(pk=city.pk, merged_into__isnull=True).update(merged_into=target)
            city.merged_into = target

    # --- locks ---------------------------------------------------------------------------------

    def lock_names(
        self, names: list[str], orgs: list[Body], directives: list[Document], city: City | None
    ) -> frozenset[str]:
        """Take in one statement the locks that people_ids, organization_ids and directive_ids
        will need for these names (the ones not in the run's cache), and return them, to be
        passed to those calls in the same transaction: one round trip where there were three,
        and every ingest takes the three kinds' locks in one sorted order."""
        city_id = city.pk if city else None
        keys = [
            *self._people_locks(_people_wanted(names), city_id),
            *self._org_locks(self._orgs_wanted(orgs, city)[1]),
            *self._directive_locks(_directives_wanted(directives, city)[1]),
        ]
        advisory_lock(keys)
        return frozenset(keys)

    def _people_locks(self, wanted: dict[str, str], city_id: int | None) -> list[str]:
        return [
            slug_lock_key(Person, slug_base(name))
            for key, name in wanted.items()
            if (key, city_id) not in self.people
        ]

    def _org_locks(self, wanted: dict) -> list[str]:
        return [
            slug_lock_key(Organization, slug_base(entry["name"]))
            for key, entry in wanted.items()
            if key not in self.orgs
        ]

    def _directive_locks(self, wanted: dict) -> list[str]:
        """The slug bases come from "kind number", which two sources of one number may write
        differently, so the (number, scope) pair is locked too."""
        keys = []
        for key, entry in wanted.items():
            if key not in self.directives:
                keys.append(slug_lock_key(Directive, slug_base(_directive_text(entry))))
                keys.append(f"directive:{key[0]}|{key[1]}")
        return keys

    # --- people --------------------------------------------------------------------------------

    def people_ids(
        self, names: list[str], city: City | None, held: frozenset[str] = frozenset()
    ) -> dict[str, int]:
        """Folded name → Person id for each name (created when missing); `held`: locks
        lock_names took."""
        city_id = city.pk if city else None
        wanted = _people_wanted(names)
        found = {k: self.people[(k, city_id)] for k in wanted if (k, city_id) in self.people}
        missing = {k: v for k, v in wanted.items() if k not in found}
        if missing:
            bases = {k: slug_base(v) for k, v in missing.items()}
            advisory_lock(set(self._people_locks(missing, city_id)) - held)
            city_is, city_params = column_is("city_id", city_id)
            rows, taken = rows_and_slugs(
                Person,
                f"name_folded = ANY(%s) AND {city_is}",
                [list(missing), *city_params],
                bases.values(),
                ["id", "name_folded", "aliases", "merged_into_id", "city_id"],
            )
            rows = [r for r in rows if r["city_id"] == city_id and r["name_folded"] in missing]
            found.update(_match(Person, rows, missing))
            still = sorted(k for k in missing if k not in found)
            if still:
                people = [
                    Person(name=missing[k][:200], name_folded=k[:200], city_id=city_id)
                    for k in still
                ]
                create_with_slugs(Person, people, [bases[k] for k in still], taken)
                found.update((k, person.pk) for k, person in zip(still, people, strict=True))
            for key in missing:
                self.people[(key, city_id)] = found[key]
        return found

    # --- organisations -------------------------------------------------------------------------

    def organization_ids(
        self, orgs: list[Body], default_city: City | None, held: frozenset[str] = frozenset()
    ) -> list[int]:
        """One Organization id per extracted organisation, in order; `held`: locks
        lock_names took.

        A body is scoped by the province its full name ends with ("… thành phố Hải Phòng"),
        else by the article's city; national bodies ("Ban Dân vận Trung ương", "Tổng Liên
        đoàn Lao động Việt Nam") have no city.
        """
        keys, wanted = self._orgs_wanted(orgs, default_city)
        ids: dict[tuple[str, int | None], int] = {k: self.orgs[k] for k in wanted if k in self.orgs}
        missing = {k: v for k, v in wanted.items() if k not in ids}
        if missing:
            bases = {k: slug_base(v["name"]) for k, v in missing.items()}
            advisory_lock(set(self._org_locks(missing)) - held)
            ids.update(self._find_or_create_organizations(missing, bases))
            for key in missing:
                self.orgs[key] = ids[key]
        self._add_org_aliases(wanted, ids)
        return [ids[k] for k in keys]

    def _orgs_wanted(self, orgs: list[Body], default_city: City | None) -> tuple[list, dict]:
        """The (folded full name, scope id) key of each organisation, in order, and key →
        {name, abbreviation, names as written}."""
        keys = []
        wanted: dict[tuple[str, int | None], dict] = {}
        for org in orgs:
            full = org.full_name
            scope = self.organization_city(full, default_city)
            key = (name_key(full), scope.pk if scope else None)
            keys.append(key)
            entry = wanted.setdefault(key, {"name": full, "abbreviation": "", "written": set()})
            if org.abbreviation and not entry["abbreviation"]:
                entry["abbreviation"] = org.abbreviation
            if org.name:
                entry["written"].add(org.name)
        return keys, wanted

    def _find_or_create_organizations(self, missing: dict, bases: dict) -> dict:
        """Ids of these organisations (key → entry), found by name, then by a name as written
        ("LĐLĐ thành phố Hà Nội") that is a known body's name or alias, else created.

        Unlike people, bodies are nearly always found (a province has a few dozen), so their
        slug families are read only when one is created: planning the lookup with a slug
        condition per name cost PostgreSQL more than running it, for every article."""
        fields = ["id", "name_folded", "aliases", "merged_into_id", "city_id", "abbreviation"]
        fields.append("corrected_fields")
        rows, _ = rows_and_slugs(Organization, *_named(missing), [], fields)
        ids: dict = {}
        created: dict[tuple, Organization] = {}
        for city_id in {k[1] for k in missing}:
            group = {k: v for k, v in missing.items() if k[1] == city_id}
            in_city = [r for r in rows if r["city_id"] == city_id]
            names = {k[0]: v["name"] for k, v in group.items()}
            found = _match(Organization, [r for r in in_city if r["name_folded"] in names], names)
            unresolved = [k for k in group if k[0] not in found]
            if unresolved:
                found.update(_found_as_written(group, unresolved, in_city))
            for key in group:
                if key[0] in found:
                    ids[key] = found[key[0]]
                else:
                    v = group[key]
                    created[key] = Organization(
                        name=v["name"][:300],
                        name_folded=key[0][:300],
                        abbreviation=v["abbreviation"][:60],
                        aliases=sorted(w for w in v["written"] if name_key(w) != key[0]),
                        city_id=city_id,
                    )
        for row in rows:
            if row["merged_into_id"] is None and (row["name_folded"], row["city_id"]) in missing:
                self._saw_organization(row["id"], row)
        if created:
            order = sorted(created, key=lambda k: (k[0], k[1] or 0))
            new_bases = [bases[k] for k in order]
            taken = taken_slugs(Organization, new_bases)
            create_with_slugs(Organization, [created[k] for k in order], new_bases, taken)
            for key, org in created.items():
                ids[key] = org.pk
                self._saw_organization(org.pk, org.__dict__)
        return ids

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

    def _saw_organization(self, pk: int, row: dict) -> None:
        """Remember what is stored on an organisation (a row read or written in this run)."""
        locked = row.get("corrected_fields") or []
        if "aliases" in locked:
            self.org_names[pk] = None
        else:
            self.org_names[pk] = {row["name_folded"]} | {name_key(a) for a in row["aliases"]}
        self.org_abbreviated[pk] = bool(row["abbreviation"]) or "abbreviation" in locked

    def _brings_news(self, pk: int, entry: dict) -> bool:
        """Whether an article's names or abbreviation of a body may be new to its row."""
        if pk not in self.org_names:
            return True
        known = self.org_names[pk]
        if known is not None and any(name_key(w) not in known for w in entry["written"]):
            return True
        return bool(entry["abbreviation"]) and not self.org_abbreviated[pk]

    def _add_org_aliases(self, wanted: dict, ids: dict) -> None:
        """Record new ways of writing a body's name and a missing abbreviation, unless locked."""
        by_id = {ids[k]: v for k, v in wanted.items() if self._brings_news(ids[k], v)}
        if not by_id:
            return
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
            self._saw_organization(org.pk, org.__dict__)
        if changed:
            Organization.objects.bulk_update(changed, ["aliases", "abbreviation"])

    # --- directives ----------------------------------------------------------------------------

    def directive_ids(
        self, directives: list[Document], city: City | None, held: frozenset[str] = frozenset()
    ) -> list[int]:
        """One Directive id per extracted directive, in order; fills blanks it learns;
        `held`: locks lock_names took."""
        keys, wanted = _directives_wanted(directives, city)
        ids = {k: self.directives[k] for k in wanted if k in self.directives}
        missing = {k: v for k, v in wanted.items() if k not in ids}
        if missing:
            advisory_lock(set(self._directive_locks(missing)) - held)
            ids.update(self._find_or_create_directives(missing))
            for key in missing:
                self.directives[key] = ids[key]
        self._fill_directive_blanks(wanted, ids)
        return [ids[k] for k in keys]

    def _find_or_create_directives(self, missing: dict) -> dict:
        """Ids of these directives (key → entry), found by number and scope, else created
        (the caller holds their locks)."""
        bases = {k: slug_base(_directive_text(v)) for k, v in missing.items()}
        conditions, params = [], []
        for number_key, scope in missing:
            city_is, city_params = column_is("city_id", scope)
            conditions.append(f"(number_key = %s AND {city_is})")
            params += [number_key, *city_params]
        fields = ["id", "number_key", "city_id", *DIRECTIVE_BLANKS, "corrected_fields"]
        rows, taken = rows_and_slugs(
            Directive, " OR ".join(conditions), params, bases.values(), fields
        )
        ids = {}
        for row in rows:
            key = (row["number_key"], row["city_id"])
            if key in missing:
                ids[key] = row["id"]
                self._saw_directive(row["id"], row)
        new = {}
        for key in sorted((k for k in missing if k not in ids), key=lambda k: (k[0], k[1] or 0)):
            entry = missing[key]
            new[key] = Directive(
                number=entry["number"][:80],
                number_key=key[0][:80],
                kind=(entry.get("kind") or "")[:60],
                issuer=(entry.get("issuer") or "")[:80],
                issued_on=parse_date(entry.get("issued_on")),
                subject=entry.get("subject") or "",
                city_id=key[1],
            )
        if new:
            create_with_slugs(Directive, list(new.values()), [bases[k] for k in new], taken)
            for key, d in new.items():
                ids[key] = d.pk
                self._saw_directive(d.pk, d.__dict__)
        return ids

    def _saw_directive(self, pk: int, row: dict) -> None:
        locked = set(row.get("corrected_fields") or [])
        self.directive_filled[pk] = {f for f in DIRECTIVE_BLANKS if row[f] or f in locked}

    def _fill_directive_blanks(self, wanted: dict, ids: dict) -> None:
        by_id = {}
        for key, entry in wanted.items():
            filled = self.directive_filled.get(ids[key])
            if filled is None or any(entry.get(f) and f not in filled for f in DIRECTIVE_BLANKS):
                by_id[ids[key]] = entry
        if not by_id:
            return
        changed = []
        for d in Directive.objects.filter(pk__in=list(by_id)):
            entry = by_id[d.pk]
            dirty = False
            for field in DIRECTIVE_BLANKS:
                if entry.get(field) and not getattr(d, field) and not d.is_locked(field):
                    setattr(d, field, entry[field])
                    dirty = True
            if dirty:
                changed.append(d)
            self._saw_directive(d.pk, d.__dict__)
        if changed:
            Directive.objects.bulk_update(changed, list(DIRECTIVE_BLANKS))


DIRECTIVE_BLANKS = ("kind", "issuer", "issued_on", "subject")


def _people_wanted(names: list[str]) -> dict[str, str]:
    """Folded name → the name, squashed (the first of each folded name)."""
    wanted = {}
    for name in names:
        key = name_key(name)
        if key and key not in wanted:
            wanted[key] = squash_spaces(name)
    return wanted


def _directives_wanted(directives: list[Document], city: City | None) -> tuple[list, dict]:
    """The (number key, scope id) key of each directive, in order, and key → its number and
    the first of each blank field the article gives."""
    keys = []
    wanted: dict[tuple[str, int | None], dict] = {}
    for d in directives:
        number = d.number
        scope = None if is_national(number, d.issuer) else (city.pk if city else None)
        key = (directive_number_key(number), scope)
        keys.append(key)
        entry = wanted.setdefault(key, {"number": number})
        for field in DIRECTIVE_BLANKS:
            value = getattr(d, field)
            if value and not entry.get(field):
                entry[field] = value
    return keys, wanted


def _directive_text(entry: dict) -> str:
    """What a new directive's slug is made of: "kind number"."""
    return f"{entry.get('kind') or ''} {entry['number']}"


def _match(model, rows: list[dict], names: dict[str, str]) -> dict[str, int]:
    """Folded name → id of the live row with that name (or alias) among these rows; a name
    whose row an editor merged resolves to the survivor."""
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
            found[key] = final_survivor(model.objects.get(pk=target)).pk
    return found


def _named(missing: dict) -> tuple[str, list]:
    """The organisations of each province that have one of these names, as a full name, a
    name as written or an alias: an SQL condition and its parameters."""
    conditions, params = [], []
    for city_id in sorted({k[1] for k in missing}, key=lambda c: c or 0):
        group = {k: v for k, v in missing.items() if k[1] == city_id}
        written = sorted({w for v in group.values() for w in v["written"]})
        city_is, city_params = column_is("city_id", city_id)
        aliases = "".join(" OR aliases @> %s::jsonb" for _ in written)
        conditions.append(f"((name_folded = ANY(%s){aliases}) AND {city_is})")
        names = [k[0] for k in group] + [name_key(w) for w in written]
        params += [names, *(json.dumps([alias]) for alias in written), *city_params]
    return " OR ".join(conditions), params


def _found_as_written(group: dict, unresolved: list, in_city: list[dict]) -> dict[str, int]:
    """Folded full name → id, of the unresolved organisations that a name as written ("LĐLĐ
    thành phố Hà Nội") finds among a province's stored bodies, by name or alias."""
    as_written: dict[str, str] = {}  # folded → a name as written
    for key in unresolved:
        for w in group[key]["written"]:
            as_written.setdefault(name_key(w), w)
    candidates = [
        r
        for r in in_city
        if r["name_folded"] in as_written
        or any(a in as_written.values() for a in r["aliases"] or [])
    ]
    hits = _match(Organization, candidates, as_written)
    found = {}
    for key in unresolved:
        for w in sorted(group[key]["written"]):
            if name_key(w) in hits:
                found[key[0]] = hits[name_key(w)]
                break
    return found
