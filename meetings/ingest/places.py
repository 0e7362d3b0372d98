"""Where a meeting was held: its province (and where that came from) and the unit below it.

- The province the extractor found is kept with its source: the text (or title), the source's
  address, or a district or town named in the text (`CitySource`).
- When the extraction gives none, the database may: the presiding officials, else the other
  officials and the named bodies, already stored under exactly one province place the meeting
  (a presiding official seen at ten Hải Phòng meetings places the eleventh). The inference is
  marked (`CitySource.DATABASE`, with what it rests on) for editors to check; people of that
  name in two provinces, or officials pointing at two provinces, place nothing.
- The district or town (the extractor's `locality`, "thị xã Duy Tiên") is a Locality of the
  province, named as in the gazetteer (meetings/extraction/data/places.json) when it is there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from meetings.extraction.text import fold, squash_spaces
from meetings.ingest.extraction import Body, Extraction, Participant
from meetings.ingest.locks import lock_slugs
from meetings.ingest.resolve import NATIONAL_BODY, Resolver, name_key
from meetings.ingest.slugs import pick_slugs, rows_and_slugs, slug_base
from meetings.models import City, CitySource, Locality, Organization, Person
from meetings.models.links import CREDIT_ROLES

# The extractor's `sources["city"]` → how the portal names it.
EXTRACTED_SOURCES = {
    "text": CitySource.TEXT,
    "title": CitySource.TEXT,
    "url": CitySource.ADDRESS,
    "locality": CitySource.LOCALITY,
}
# Kind words of a locality label, longest first ("thành phố Hạ Long", "TX. Mỹ Hào").
KIND_WORDS = {
    "thanh pho": "thành phố",
    "thi xa": "thị xã",
    "thi tran": "thị trấn",
    "quan": "quận",
    "huyen": "huyện",
    "phuong": "phường",
    "xa": "xã",
    "tp": "thành phố",
    "tx": "thị xã",
}
_KIND = re.compile(r"^(" + "|".join(sorted(KIND_WORDS, key=len, reverse=True)) + r")\.?\s+(.+)$")


def city_source(e: Extraction) -> str:
    """How the extraction found its province ("" when it found none)."""
    if not e.city:
        return ""
    return EXTRACTED_SOURCES.get(e.city_found_by, CitySource.TEXT)


def credits_only(roles) -> bool:
    """A byline: an author or photographer of the report, not a participant."""
    roles = [r for r in roles or [] if r]
    return bool(roles) and set(roles) <= CREDIT_ROLES


def officials(participants: Iterable[Participant]) -> tuple[list[str], list[str]]:
    """(presiding names, other participants' names), bylines left out."""
    presiding: list[str] = []
    others: list[str] = []
    for p in participants:
        if not p.name or credits_only(p.roles):
            continue
        (presiding if "presiding" in p.roles else others).append(p.name)
    return presiding, others


# --- the province, from the database ----------------------------------------------------------


def infer_city(
    participants: Iterable[Participant], organizations: Iterable[Body], resolver: Resolver
) -> tuple[City | None, str]:
    """(province, the names it rests on) the database gives a meeting whose extraction names
    none.

    The presiding officials decide when any is known under a province; else the other
    officials and the bodies whose names are not generic. Two provinces: none.
    """
    presiding, others = officials(participants)
    known = _people_cities([*presiding, *others])
    found = {n: known[name_key(n)] for n in presiding if known.get(name_key(n))}
    if not found:
        found = {n: known[name_key(n)] for n in others if known.get(name_key(n))}
        for name, cities in _organization_cities(organizations).items():
            found.setdefault(name, cities)
    cities = set().union(*found.values()) if found else set()
    if len(cities) != 1:
        return None, ""
    city = City.objects.filter(pk=cities.pop()).first()
    if city is None:
        return None, ""
    # Names only: the page and the admin say, in the reader's language, what they are.
    return city, ", ".join(sorted(found))[:300]


def _people_cities(names: list[str]) -> dict[str, set[int]]:
    """Folded name → the provinces people of that name are stored under."""
    keys = {name_key(n) for n in names if name_key(n)}
    out: dict[str, set[int]] = {}
    rows = Person.objects.filter(
        name_folded__in=keys, merged_into__isnull=True, city__isnull=False
    ).values_list("name_folded", "city_id")
    for key, city_id in rows:
        out.setdefault(key, set()).add(city_id)
    return out


def _organization_cities(organizations: Iterable[Body]) -> dict[str, set[int]]:
    """Name → provinces, of the named bodies that are one body (not "Ban Dân vận Thành ủy",
    which every province has, nor a national one)."""
    from meetings.ingest.bodies import is_generic

    names = {}
    for org in organizations:
        full = org.full_name
        key = name_key(full)
        if key and not is_generic(full) and not NATIONAL_BODY.search(key):
            names[key] = full
    out: dict[str, set[int]] = {}
    unplaced: set[str] = set()  # also stored without a province: it tells nothing
    rows = Organization.objects.filter(name_folded__in=list(names), merged_into__isnull=True)
    for key, city_id in rows.values_list("name_folded", "city_id"):
        if city_id is None:
            unplaced.add(names[key])
        else:
            out.setdefault(names[key], set()).add(city_id)
    return {name: cities for name, cities in out.items() if name not in unplaced}


# --- the district or town ---------------------------------------------------------------------


def parse_locality(label: str) -> tuple[str, str]:
    """(kind, name) of a label: "thị xã Duy Tiên" → ("thị xã", "Duy Tiên"); "Quận 5" →
    ("quận", "5"); a bare name has no kind."""
    label = squash_spaces(label or "")
    m = _KIND.match(fold(label))
    if not m:
        return "", label
    name = label[len(label) - len(m.group(2)) :]
    return KIND_WORDS[m.group(1)], name


def gazetteer_unit(city: City, kind: str, name: str) -> tuple[str, str]:
    """(kind, name) of the province's unit as the gazetteer names it (also through a former
    name), else as given."""
    from meetings.ingest.resolve import gazetteer_entry

    key = _plain(name)
    districts = gazetteer_entry(city.name).get("districts") or []
    matches = [
        d
        for d in districts
        if key in {_plain(d["name"]), *(_plain(f) for f in d.get("former") or [])}
    ]
    best = next((d for d in matches if not kind or d["kind"] == kind), None)
    best = best or (matches[0] if matches and not kind else None)
    return (best["kind"], best["name"]) if best else (kind, name)


def _plain(name: str) -> str:
    return re.sub(r"[\s\-–.]+", " ", fold(name)).strip()


def locality(label: str | None, city: City | None, cache: dict) -> Locality | None:
    """The Locality a label names within a province (created on first use); None without a
    province or a label."""
    if not label or city is None:
        return None
    kind, name = parse_locality(label)
    if not name:
        return None
    kind, name = gazetteer_unit(city, kind, name)
    key = (city.pk, kind, name_key(name))
    if key in cache:
        return cache[key]
    text = f"{kind} {name} {city.name}"
    base = slug_base(text)
    lock_slugs(Locality, [base])
    rows, taken = rows_and_slugs(
        Locality,
        "city_id = %s AND kind = %s AND name_folded = %s",
        [city.pk, kind, name_key(name)],
        [base],
        ["id", "city_id", "name", "kind", "name_folded"],
    )
    row = next(
        (r for r in rows if (r["city_id"], r["kind"], r["name_folded"]) == key),
        None,
    )
    if row is not None:
        place = Locality(**row)
    else:
        place = Locality(city=city, kind=kind[:30], name=name[:100])
        place.slug = pick_slugs([base], taken)[0]
        place.save()
    cache[key] = place
    return place


# --- every province and district, before anything is ingested ---------------------------------


def gazetteer_units() -> list[dict]:
    """The gazetteer's province-level units (before and after 2025-07-01) with their districts,
    as the extractor reads them (one reader of places.json for the whole project)."""
    from meetings.extraction.places import _gazetteer as places_gazetteer

    return places_gazetteer()["units"]


def load_gazetteer_places(city_model=City, locality_model=Locality) -> tuple[int, int]:
    """Every province-level unit of the gazetteer as a City, and every district of it as a
    Locality, so that editors pick a province or district instead of typing one; returns how
    many rows were created (cities, localities).

    Idempotent: a row ingest already created (found by folded name, as ingest finds it) is
    kept, its blank full name and code filled and its 2025 successor linked; names and slugs
    are never changed. Slugs are made as ingest makes them (`slug_base`), so ingest finds
    these rows instead of creating its own. Takes the models as arguments so that a data
    migration can pass its historical models (which have no custom save(): `name_folded` and
    `slug` are set here).
    """
    units = gazetteer_units()
    cities = {c.name_folded: c for c in city_model.objects.all()}
    taken = set(city_model.objects.values_list("slug", flat=True))
    new_cities = []
    for unit in units:
        key = name_key(unit["name"])
        city = cities.get(key)
        if city is None:
            city = city_model(
                name=unit["name"][:100],
                name_folded=key[:100],
                full_name=(unit.get("full_name") or "")[:150],
                code=str(unit.get("code") or "")[:10],
                slug=pick_slugs([slug_base(unit["name"])], taken)[0],
            )
            new_cities.append(city)
            cities[key] = city
        elif not city.full_name or not city.code:
            city.full_name = city.full_name or (unit.get("full_name") or "")[:150]
            city.code = city.code or str(unit.get("code") or "")[:10]
            city.save(update_fields=["full_name", "code"])
    city_model.objects.bulk_create(new_cities)
    for unit in units:
        city = cities[name_key(unit["name"])]
        successor = cities.get(name_key(unit.get("merged_into") or ""))
        if successor is not None and successor.pk != city.pk and city.merged_into_id is None:
            city_model.objects.filter(pk=city.pk).update(merged_into=successor)

    known = set(locality_model.objects.values_list("city_id", "kind", "name_folded").order_by())
    taken = set(locality_model.objects.values_list("slug", flat=True))
    new_places = []
    for unit in units:
        city = cities[name_key(unit["name"])]
        for district in unit.get("districts") or []:
            kind, name = district["kind"][:30], district["name"][:100]
            place_key = (city.pk, kind, name_key(name))
            if place_key in known:
                continue
            known.add(place_key)
            slug = pick_slugs([slug_base(f"{kind} {name} {city.name}")], taken)[0]
            new_places.append(
                locality_model(
                    city_id=city.pk, kind=kind, name=name, name_folded=place_key[2][:100], slug=slug
                )
            )
    locality_model.objects.bulk_create(new_places)
    return len(new_cities), len(new_places)
