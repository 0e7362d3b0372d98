"""The sources file: the sites `fetch_articles --sources FILE` reads, in TOML.

    delay = 2.0                      # optional: seconds between requests to one host

    [[site]]
    name = "Cổng TTĐT thành phố Hải Phòng"   # required, unique in the file
    province = "Hải Phòng"                    # optional: the province the site reports on
    feeds = ["https://haiphong.gov.vn/rss/tin-tuc.rss"]
    sitemaps = ["https://haiphong.gov.vn/sitemap.xml"]
    pages = []                                 # single pages, optional
    delay = 5                                  # optional: this site's own delay
    include = ["/tin-tuc/"]                    # optional: only addresses containing one of these
    exclude = ["/video/", "/anh/"]             # optional: never addresses containing one of these

Every mistake is reported with the file, the site and the field; nothing is fetched from a
file with a mistake in it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from meetings.fetch.urls import AddressError, clean_url

MAX_DELAY = 3600.0
TOP_KEYS = {"delay", "site"}
SITE_KEYS = {"name", "province", "feeds", "sitemaps", "pages", "delay", "include", "exclude"}


class SourcesError(ValueError):
    """A sources file that cannot be used; the message names the file and the field."""


@dataclass
class Site:
    name: str
    province: str | None = None
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    delay: float | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)

    def wants(self, url: str) -> bool:
        """Whether an address a feed or sitemap lists is one to fetch for this site."""
        if any(part in url for part in self.exclude):
            return False
        return not self.include or any(part in url for part in self.include)


def load_sources(path: str | Path) -> list[Site]:
    """Read and check a sources file; SourcesError names what is wrong and where."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise SourcesError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    return parse_sources(data, str(path))


def parse_sources(data: dict, name: str = "<sources>") -> list[Site]:
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise SourcesError(
            f"{name}: unknown setting(s) {', '.join(sorted(unknown))}; expected delay and "
            "[[site]] tables"
        )
    default_delay = _delay(data.get("delay"), f"{name}: delay")
    raw_sites = data.get("site")
    if not isinstance(raw_sites, list) or not raw_sites:
        raise SourcesError(f"{name}: no sites; add at least one [[site]] table")
    sites: list[Site] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_sites, 1):
        where = f"{name}: site {number}"
        if not isinstance(raw, dict):
            raise SourcesError(f"{where}: expected a [[site]] table")
        if isinstance(raw.get("name"), str) and raw["name"].strip():
            where += f" ({raw['name'].strip()})"
        unknown = set(raw) - SITE_KEYS
        if unknown:
            raise SourcesError(
                f"{where}: unknown field(s) {', '.join(sorted(unknown))}; expected "
                f"{', '.join(sorted(SITE_KEYS))}"
            )
        site_name = raw.get("name")
        if not isinstance(site_name, str) or not site_name.strip():
            raise SourcesError(f"{where}: name: required, a non-empty string")
        site_name = site_name.strip()
        if site_name in seen:
            raise SourcesError(f"{where}: name: another site has the same name")
        seen.add(site_name)
        site = Site(
            name=site_name[:200],
            province=_province(raw.get("province"), f"{where}: province"),
            feeds=_addresses(raw.get("feeds"), f"{where}: feeds"),
            sitemaps=_addresses(raw.get("sitemaps"), f"{where}: sitemaps"),
            pages=_addresses(raw.get("pages"), f"{where}: pages"),
            delay=_delay(raw.get("delay"), f"{where}: delay"),
            include=_strings(raw.get("include"), f"{where}: include"),
            exclude=_strings(raw.get("exclude"), f"{where}: exclude"),
        )
        if site.delay is None:
            site.delay = default_delay
        if not (site.feeds or site.sitemaps or site.pages):
            raise SourcesError(f"{where}: nothing to fetch; give feeds, sitemaps or pages")
        sites.append(site)
    return sites


def _delay(value, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SourcesError(f"{where}: expected a number of seconds, got {value!r}")
    if not 0 <= value <= MAX_DELAY:
        raise SourcesError(f"{where}: expected 0 to {MAX_DELAY:g} seconds, got {value!r}")
    return float(value)


def _strings(value, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourcesError(f"{where}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def _addresses(value, where: str) -> list[str]:
    out = []
    for number, raw in enumerate(_strings(value, where), 1):
        try:
            out.append(clean_url(raw))
        except AddressError as exc:
            raise SourcesError(f"{where}[{number}]: {exc}") from None
    return out


def _province(value, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise SourcesError(f'{where}: expected the name of a province, e.g. "Hải Phòng"')
    from meetings.extraction.places import canonical_city

    canonical = canonical_city(value.strip())
    if canonical is None:
        raise SourcesError(
            f"{where}: {value!r} is not a province or centrally-governed city the gazetteer "
            'knows (write it as in "Hải Phòng", "Thừa Thiên Huế")'
        )
    return canonical
