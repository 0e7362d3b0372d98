"""Synthetic Vietnamese meeting reports for demos and benchmarks (`generate_demo_corpus`).

The articles follow the patterns of the real ones (seeds/ and the dev corpus): a headline, a
page stamp, a lead naming the date, the body, the reporting period and who presided, the
officials attending with their titles, one paragraph per organisation with its figures,
captions where a title runs into a name, a conclusion citing directives, a byline and at
times a portal footer. Every URL is on the reserved host `demo.invalid`, which is how demo
data is recognised (see `meetings.demo.is_demo_url`, which is all the ingest needs of it).

Determinism and identity: article `i` of seed `s` depends only on (s, i), so a corpus can be
written in chunks, in any order, by several processes. Each article is a distinct meeting
"slot" (province × reporting period × one of SLOTS_PER_CITY_PERIOD series); slots of the same
province and period get distinct dates, so no two slots are the same meeting under any
identity rule built on city, date, period and presiding official. About DUPLICATE_SHARE of the
articles are a second report of an earlier article's meeting by another outlet: same facts,
different wording and address, to exercise merging.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from meetings.demo import DEMO_URL_PREFIX
from meetings.extraction.places import units
from meetings.extraction.text import fold

DUPLICATE_SHARE = 0.02
SLOTS_PER_CITY_PERIOD = 24
LAST_YEAR = 2024  # the 63 pre-2025 provinces; the 2025 reorganisation is out of scope here
MIN_YEARS = 10


# --- places ------------------------------------------------------------------------------------

# Used only when the gazetteer is missing: (name, kind, a few districts).


@dataclass(frozen=True)
class Province:
    name: str
    is_city: bool  # thành phố trực thuộc trung ương
    districts: tuple[tuple[str, str], ...]  # (name, kind: huyện, quận, thị xã, thành phố)

    @property
    def unit(self) -> str:
        """How the text names the level: "tỉnh" or "thành phố"."""
        return "thành phố" if self.is_city else "tỉnh"

    @property
    def committee(self) -> str:
        return "Thành ủy" if self.is_city else "Tỉnh ủy"

    @property
    def youth(self) -> str:
        return "Thành đoàn" if self.is_city else "Tỉnh đoàn"

    @property
    def full(self) -> str:
        return f"{self.unit} {self.name}"


def _district_kind(name: str, kind: str) -> str:
    return kind if kind in ("huyện", "quận", "thị xã", "thành phố") else "huyện"


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """The 63 pre-2025 provinces of the gazetteer."""
    entries = [p for p in units() if "pre2025" in p["eras"] and p["districts"]]
    out = []
    for p in entries:
        districts = tuple(
            (d["name"], _district_kind(d["name"], d.get("kind", "")))
            for d in p["districts"]
            if d.get("name") and d["name"] != p["name"]
        )
        if districts:
            out.append(Province(p["name"], "trung ương" in p.get("kind", ""), districts))
    return tuple(out)


# --- people ------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Common family, middle and given names; repeats weight the commonest.
FAMILY = _words(
    "Nguyễn Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ "
    "Ngô Dương Lý Đào Đinh Mai Cao Trịnh Lương Tạ Hà Lâm Triệu Châu Tô Kiều"
)
MIDDLE_M = _words("Văn Văn Hữu Đức Thanh Minh Quang Xuân Mạnh Quốc Trọng Công Anh Đình Tiến Ngọc")
MIDDLE_F = _words("Thị Thị Thị Thu Thanh Ngọc Kim Hồng Minh Bích Lan Mỹ")
GIVEN_M = _words(
    "Hùng Tuấn Hiến Sơn Nam Vũ Dũng Thắng Bình Long Quý Cường Thành Huy Khánh Hải Trung Phong "
    "Hiếu Toàn Lâm Tài Phúc Đạt Hòa Kiên Quân Tùng Vinh Lực Hưng Tâm Chiến Nghĩa Sáng Thịnh"
)
GIVEN_F = _words(
    "Hương Lan Liên Tuyến Hà Mai Hoa Phương Trang Linh Nga Vân Hằng Thảo Yến Huyền Thủy Hạnh "
    "Nhung Oanh Loan Dung Anh Châu"
)


def person_name(rng: random.Random) -> str:
    family = rng.choice(FAMILY)
    if rng.random() < 0.35:
        middle, given = rng.choice(MIDDLE_F), rng.choice(GIVEN_F)
        if rng.random() < 0.15:
            given = f"{rng.choice(GIVEN_F)} {given}"  # Vũ Thị Mai Anh
    else:
        middle, given = rng.choice(MIDDLE_M), rng.choice(GIVEN_M)
    if rng.random() < 0.04:
        return f"{family} {given}"  # Vũ Hà
    return f"{family} {middle} {given}"


def _rng(*parts) -> random.Random:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


def _term(year: int) -> int:
    return 0 if year <= 2020 else 1  # party congresses of 2015 and 2020


def official(seed: int, province: str, district: str, year: int, role: str) -> str:
    """The holder of a post for a party term: the same person across that term's meetings."""
    return person_name(_rng(seed, "official", province, district, _term(year), role))


# --- organisations -----------------------------------------------------------------------------

# key: (full name pattern, abbreviated forms, chair title pattern)
ORGS = {
    "mttq": (
        "Ủy ban MTTQ Việt Nam {unit}",
        ["Ủy ban Mặt trận Tổ quốc Việt Nam {unit}", "UBMTTQ {unit}", "Ủy ban MTTQ {unit}"],
        "Chủ tịch Ủy ban MTTQ Việt Nam {unit}",
    ),
    "ldld": (
        "Liên đoàn Lao động {unit}",
        ["LĐLĐ {unit}", "Liên đoàn Lao động {unit}"],
        "Chủ tịch LĐLĐ {unit}",
    ),
    "lhpn": (
        "Hội Liên hiệp Phụ nữ {unit}",
        ["Hội LHPN {unit}", "Hội Liên hiệp phụ nữ {unit}"],
        "Chủ tịch Hội LHPN {unit}",
    ),
    "nongdan": (
        "Hội Nông dân {unit}",
        ["Hội Nông dân {unit}", "Hội ND {unit}"],
        "Chủ tịch Hội Nông dân {unit}",
    ),
    "ccb": (
        "Hội Cựu chiến binh {unit}",
        ["Hội CCB {unit}", "Hội Cựu chiến binh {unit}"],
        "Chủ tịch Hội CCB {unit}",
    ),
    "doan": (
        "Đoàn TNCS Hồ Chí Minh {unit}",
        ["{youth}", "Đoàn Thanh niên cộng sản Hồ Chí Minh {unit}", "Đoàn TNCS Hồ Chí Minh {unit}"],
        "Bí thư {youth}",
    ),
}


# --- reporting periods and dates ---------------------------------------------------------------

POLSOC = "chính trị – xã hội"
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PERIOD_KINDS = ("quarter1", "quarter2", "quarter3", "quarter4", "half", "nine_months", "year")


@dataclass(frozen=True)
class Period:
    kind: str  # quarter, half, nine_months, year (Meeting.period_kind values)
    year: int
    number: int | None

    def window(self) -> tuple[dt.date, int]:
        """First day and length of the days a review of this period is held on."""
        y = self.year
        if self.kind == "quarter":
            end_month = 3 * self.number
            start = dt.date(y, end_month, 18)
            nxt = dt.date(y + 1, 1, 24) if end_month == 12 else dt.date(y, end_month + 1, 24)
            return start, (nxt - start).days + 1
        if self.kind == "half":
            return dt.date(y, 6, 10), 41
        if self.kind == "nine_months":
            return dt.date(y, 9, 15), 41
        return dt.date(y, 12, 5), 47

    def phrase(self, rng: random.Random) -> str:
        """How the article writes the period reviewed."""
        y = self.year
        if self.kind == "quarter":
            q = ROMAN[self.number]
            return rng.choice([f"quý {q}/{y}", f"quý {q} năm {y}", f"quý {q}/{y}", f"quý {q}-{y}"])
        if self.kind == "half":
            return rng.choice(
                [f"6 tháng đầu năm {y}", f"6 tháng đầu năm {y}", f"sáu tháng đầu năm {y}"]
            )
        if self.kind == "nine_months":
            return rng.choice([f"9 tháng đầu năm {y}", f"9 tháng năm {y}"])
        return f"năm {y}"

    def next_phrase(self) -> str:
        """The period whose tasks the meeting sets."""
        y = self.year
        if self.kind == "quarter":
            return f"quý {ROMAN[self.number + 1]}/{y}" if self.number < 4 else f"quý I/{y + 1}"
        if self.kind == "half":
            return f"6 tháng cuối năm {y}"
        if self.kind == "nine_months":
            return f"quý IV/{y}"
        return f"năm {y + 1}"

    @property
    def meeting_kind(self) -> str:
        return {"quarter": "giao ban", "half": "sơ kết", "nine_months": "sơ kết"}.get(
            self.kind, "tổng kết"
        )


def _period(index: int, first_year: int) -> Period:
    year = first_year + index // len(PERIOD_KINDS)
    kind = PERIOD_KINDS[index % len(PERIOD_KINDS)]
    if kind.startswith("quarter"):
        return Period("quarter", year, int(kind[-1]))
    return Period(kind, year, 1 if kind == "half" else None)


WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


# --- the meeting behind an article -------------------------------------------------------------

SERIES = ("khoi", "danvan", "mattran", "ldld", "lhpn", "nongdan", "ccb", "doan")


@dataclass(frozen=True)
class Official:
    """An office holder as an article names them: name, title as written, post."""

    name: str
    title: str
    role_key: str


@dataclass(frozen=True)
class DemoMeeting:
    """The facts of one synthetic meeting, shared by every report of it."""

    slot: int
    province: Province
    district: tuple[str, str] | None
    series: str
    period: Period
    held_on: dt.date
    presiding: Official
    attending: tuple[Official, ...]
    reporting: Official | None

    @property
    def identity(self) -> tuple:
        return (self.province.name, self.held_on, self.period, fold(self.presiding.name))


@dataclass(frozen=True)
class DemoArticle:
    """One generated article file and the truth it was written from."""

    index: int
    meeting: DemoMeeting
    is_second_report: bool
    url: str
    published: dt.date
    text: str

    @property
    def filename(self) -> str:
        return f"demo_{self.index:07d}.txt"

    def render(self) -> str:
        """The file's content: front matter, then the article."""
        return f"---\nurl: {self.url}\npublished: {self.published.isoformat()}\n---\n{self.text}\n"


def slot_space(n_articles: int) -> tuple[int, int]:
    """(number of slots, first year) for a corpus of n articles: ten years, more if needed."""
    per_year = len(PERIOD_KINDS) * len(provinces()) * SLOTS_PER_CITY_PERIOD
    years = max(MIN_YEARS, math.ceil(n_articles / per_year))
    return years * per_year, LAST_YEAR - years + 1


def _multiplier(m: int) -> int:
    a = 2_654_435_761 % m or 1
    while math.gcd(a, m) != 1:
        a += 1
    return a


def slot_of(index: int, space: int) -> int:
    """A bijection index → slot that spreads consecutive indices over provinces and years."""
    return (index * _multiplier(space) + 12_345) % space


def _youth(province: Province, district: tuple[str, str] | None) -> str:
    """The youth union's committee: Tỉnh đoàn, Thành đoàn, Huyện đoàn, Quận đoàn, Thị đoàn."""
    if not district:
        return province.youth
    return {"quận": "Quận đoàn", "thị xã": "Thị đoàn", "thành phố": "Thành đoàn"}.get(
        district[1], "Huyện đoàn"
    )


def meeting_for_slot(seed: int, slot: int, first_year: int) -> DemoMeeting:
    cities = provinces()
    c = slot % len(cities)
    rest = slot // len(cities)
    k = rest % SLOTS_PER_CITY_PERIOD
    period = _period(rest // SLOTS_PER_CITY_PERIOD, first_year)
    province = cities[c]
    rng = _rng(seed, "meeting", slot)

    # Slots of one province and period are held on distinct days of the period's window.
    start, length = period.window()
    days = list(range(length))
    _rng(seed, "days", province.name, period).shuffle(days)
    held_on = start + dt.timedelta(days=days[k])

    if k < len(SERIES):
        series, district = SERIES[k], None
    else:
        j = k - len(SERIES)
        district = province.districts[j % len(province.districts)]
        series = ("khoi", "danvan", "mattran")[(j // len(province.districts)) % 3]

    y = held_on.year if period.kind != "year" else period.year
    place = district[0] if district else province.name
    committee = _committee(province, district)
    level = _level(province, district)

    def who(role: str, title: str) -> Official:
        return Official(official(seed, province.name, place, y, role), title, role)

    secretary = who(
        "pbttt",
        rng.choice(
            [
                f"Phó Bí thư Thường trực {committee}",
                f"Phó Bí thư Thường trực {committee}, Chủ tịch HĐND {level}",
                f"Phó Bí thư Thường trực {committee} {place}",
            ]
        ),
    )
    if not district and rng.random() < 0.25:
        secretary = who("pbttt", "Ủy viên Trung ương Đảng, " + secretary.title)
    btv = "Ủy viên Ban Thường vụ " + committee
    front = who("mttq", rng.choice([f"{btv}, ", ""]) + f"Chủ tịch Ủy ban MTTQ Việt Nam {level}")
    danvan = who("danvan", rng.choice([f"{btv}, ", ""]) + f"Trưởng Ban Dân vận {committee}")
    deputy = who(
        "pct",
        rng.choice([f"Phó Chủ tịch UBND {level}", f"{btv}, Phó Chủ tịch Thường trực UBND {level}"]),
    )
    dv_deputy = who("pdv", f"Phó Trưởng Ban Thường trực Ban Dân vận {committee}")
    youth = _youth(province, district)
    chairs = {
        key: who(key, ORGS[key][2].format(unit=level, youth=youth))
        for key in ("ldld", "lhpn", "nongdan", "ccb", "doan")
    }

    if series == "khoi":
        presiding, reporting = secretary, dv_deputy
        pool = [front, danvan, deputy, *chairs.values()]
    elif series == "danvan":
        presiding, reporting = danvan, dv_deputy
        pool = [front, deputy, *chairs.values()]
    elif series == "mattran":
        presiding, reporting = front, who("mttq_pct", f"Phó Chủ tịch Ủy ban MTTQ Việt Nam {level}")
        pool = [danvan, deputy, *chairs.values()]
    else:
        presiding = chairs[series]
        reporting = who(f"{series}_pct", presiding.title.replace("Chủ tịch", "Phó Chủ tịch", 1))
        if series == "doan":
            reporting = who("doan_pbt", presiding.title.replace("Bí thư", "Phó Bí thư", 1))
        pool = [danvan, front]
    rng.shuffle(pool)
    attending = tuple(pool[: rng.randint(1, min(4, len(pool)))])
    if rng.random() < 0.25:
        reporting = None
    return DemoMeeting(
        slot, province, district, series, period, held_on, presiding, attending, reporting
    )


def _committee(province: Province, district: tuple[str, str] | None) -> str:
    if not district:
        return province.committee
    return {"quận": "Quận ủy", "thị xã": "Thị ủy", "thành phố": "Thành ủy"}.get(
        district[1], "Huyện ủy"
    )


def _level(province: Province, district: tuple[str, str] | None) -> str:
    return district[1] if district else province.unit


# --- writing -----------------------------------------------------------------------------------

OUTLETS = (
    ("cong-thong-tin", "Cổng thông tin điện tử {full}"),
    ("bao", "Báo {name}"),
    ("dan-van", "Trang thông tin điện tử Ban Dân vận {committee} {name}"),
    ("mat-tran", "Cổng thông tin Ủy ban MTTQ Việt Nam {full}"),
    ("truyen-hinh", "Đài Phát thanh và Truyền hình {name}"),
)
VENUES = (
    "Hội trường Văn phòng {committee}",
    "Hội trường {committee}",
    "trụ sở Ủy ban MTTQ Việt Nam {unit}",
    "Trung tâm Hội nghị {unit}",
)
TIME_OF_DAY = ("Ngày", "Ngày", "Ngày", "Sáng", "Chiều", "Sáng ngày", "Chiều ngày")

FUNDS = (
    "Quỹ “Vì người nghèo”",
    "Quỹ “Vì biển, đảo Việt Nam”",
    "Quỹ “Đền ơn đáp nghĩa”",
    "Quỹ cứu trợ",
    "Quỹ phòng, chống thiên tai",
)
MOVEMENTS = (
    "“Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”",
    "“Người Việt Nam ưu tiên dùng hàng Việt Nam”",
    "“Dân vận khéo”",
    "“Lao động giỏi, Lao động sáng tạo”",
    "“Giỏi việc nước, đảm việc nhà”",
    "“Cựu chiến binh gương mẫu”",
    "“Tuổi trẻ sáng tạo”",
    "“Nông dân thi đua sản xuất, kinh doanh giỏi”",
)
NATIONAL_DIRECTIVES = (
    (
        "Quyết định",
        "217-QĐ/TW",
        dt.date(2013, 12, 12),
        "Bộ Chính trị",
        "ban hành Quy chế giám sát và phản biện xã hội của Mặt trận Tổ quốc Việt Nam và các "
        "đoàn thể chính trị - xã hội",
    ),
    (
        "Quyết định",
        "218-QĐ/TW",
        dt.date(2013, 12, 12),
        "Bộ Chính trị",
        "quy định về việc Mặt trận Tổ quốc Việt Nam, các đoàn thể chính trị - xã hội và Nhân "
        "dân tham gia góp ý xây dựng Đảng, xây dựng chính quyền",
    ),
    (
        "Nghị quyết",
        "25-NQ/TW",
        dt.date(2013, 6, 3),
        "Ban Chấp hành Trung ương Đảng",
        "tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới",
    ),
    (
        "Kết luận",
        "114-KL/TW",
        dt.date(2015, 7, 14),
        "Ban Bí thư",
        "nâng cao chất lượng, hiệu quả công tác dân vận của cơ quan nhà nước các cấp",
    ),
    (
        "Chỉ thị",
        "05-CT/TW",
        dt.date(2016, 5, 15),
        "Bộ Chính trị",
        "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    ),
    (
        "Kết luận",
        "43-KL/TW",
        dt.date(2019, 1, 7),
        "Ban Bí thư",
        "tiếp tục thực hiện Nghị quyết số 25-NQ/TW về công tác dân vận",
    ),
    (
        "Chỉ thị",
        "18-CT/TW",
        dt.date(2022, 10, 26),
        "Ban Bí thư",
        "phát huy vai trò, nâng cao chất lượng, hiệu quả công tác giám sát, phản biện xã hội của "
        "Mặt trận Tổ quốc Việt Nam và các tổ chức chính trị - xã hội",
    ),
    (
        "Nghị quyết",
        "43-NQ/TW",
        dt.date(2023, 11, 24),
        "Ban Chấp hành Trung ương Đảng",
        "tiếp tục phát huy truyền thống, sức mạnh khối đại đoàn kết toàn dân tộc",
    ),
)
LOCAL_SUBJECTS = (
    "tăng cường kỷ cương, kỷ luật và trách nhiệm giải quyết công việc trong hệ thống chính trị",
    "tăng cường công tác lãnh đạo của Đảng đối với công tác phòng cháy, chữa cháy",
    "đẩy mạnh công tác dân vận trong tình hình mới",
    "nâng cao hiệu quả công tác giảm nghèo bền vững",
    "lãnh đạo Đại hội Mặt trận Tổ quốc Việt Nam các cấp",
    "tăng cường sự lãnh đạo của Đảng đối với công tác bảo đảm trật tự an toàn giao thông",
    "xây dựng nông thôn mới nâng cao, nông thôn mới kiểu mẫu",
    "phát huy vai trò của Nhân dân trong xây dựng chính quyền",
)
LOCAL_KINDS = (("Chỉ thị", "CT"), ("Kế hoạch", "KH"), ("Nghị quyết", "NQ"), ("Kết luận", "KL"))
BYLINE_NAMES = 6  # journalists per outlet


def _vn_number(n: float | int) -> str:
    """1250 → "1.250"; 12.5 → "12,5" (Vietnamese separators)."""
    if isinstance(n, float) and not n.is_integer():
        whole, frac = f"{n:.1f}".split(".")
        return f"{int(whole):,}".replace(",", ".") + "," + frac
    return f"{int(n):,}".replace(",", ".")


def _d(date: dt.date, with_year: bool, rng: random.Random) -> str:
    sep = "/" if rng.random() < 0.85 else "-"
    day = f"{date.day:02d}" if rng.random() < 0.2 else str(date.day)
    month = f"{date.month:02d}" if rng.random() < 0.1 else str(date.month)
    return f"{day}{sep}{month}{sep}{date.year}" if with_year else f"{day}{sep}{month}"


def _local_directives(seed: int, m: DemoMeeting) -> list[tuple]:
    """The province's own documents in force at the meeting date (numbers repeat by province)."""
    out = []
    for year in range(m.held_on.year - 3, m.held_on.year + 1):
        r = _rng(seed, "local-docs", m.province.name, year)
        for _ in range(3):
            kind, code = r.choice(LOCAL_KINDS)
            issued = dt.date(year, r.randint(1, 12), r.randint(1, 28))
            if issued >= m.held_on:
                continue
            number = f"{r.randint(1, 60 if year % 5 else 20) + 10 * (year % 5):02d}-{code}/TU"
            out.append(
                (
                    kind,
                    number,
                    issued,
                    "Ban Thường vụ " + m.province.committee,
                    r.choice(LOCAL_SUBJECTS),
                )
            )
    return out


def _cite(rng: random.Random, d: tuple, m: DemoMeeting) -> str:
    kind, number, issued, issuer, subject = d
    style = rng.random()
    if style < 0.6:
        date = f"{issued.day}/{issued.month}/{issued.year}"
        return f"{kind} số {number} ngày {date} của {issuer} về {subject}"
    if style < 0.85:
        return f"{kind} số {number} của {issuer}"
    return f"{kind} {number}"


def _org_paragraph(key: str, rng: random.Random, m: DemoMeeting, name: str) -> str:
    """One organisation's results, with figures like those of the real reports."""
    p = m.period.phrase(rng) if rng.random() < 0.3 else "thời gian qua"
    movement = rng.choice(MOVEMENTS)
    if key == "mttq":
        money = rng.choice([rng.randint(2, 90), round(rng.uniform(1, 30), 1)])
        houses = rng.randint(12, 480)
        return (
            f"{name} tiếp tục triển khai hiệu quả công tác tuyên truyền, vận động, nắm bắt dư "
            f"luận Nhân dân; đẩy mạnh thực hiện các phong trào thi đua, cuộc vận động như: "
            f"{movement}… Trong {p}, {name} đã tiếp nhận "
            f"{rng.choice(['trên ', 'gần ', 'hơn ', ''])}{_vn_number(money)} tỷ đồng ủng hộ "
            f"{rng.choice(FUNDS)}; hỗ trợ xây dựng, sửa chữa {houses} nhà Đại đoàn kết cho hộ "
            "nghèo, hộ có hoàn cảnh khó khăn; thực hiện hiệu quả công tác giám sát, phản biện "
            "xã hội và bảo vệ quyền, lợi ích hợp pháp của các tầng lớp Nhân dân."
        )
    if key == "ldld":
        target = rng.randint(8, 80) * 5
        done = rng.randint(target // 2, target)
        pct = round(100 * done / target)
        members = rng.randint(300, 9000)
        return (
            f"{name} đã tiếp tục thực hiện tốt các phong trào thi đua yêu nước trong công nhân, "
            f"viên chức, lao động, trọng tâm là phong trào “Lao động giỏi, Lao động sáng tạo”; "
            f"tiếp tục làm tốt công tác chăm lo cho đoàn viên, người lao động; quan tâm xây "
            f"dựng tổ chức Công đoàn, đến nay đã thành lập được {done}/{target} Công đoàn cơ sở "
            f"(đạt {pct}% kế hoạch năm), kết nạp {_vn_number(members)} đoàn viên mới."
        )
    if key == "lhpn":
        members = rng.randint(200, 6000)
        million = rng.randint(150, 9000)
        return (
            f"{name} đẩy mạnh phong trào thi đua “Phụ nữ tích cực học tập, lao động sáng tạo, "
            f"xây dựng gia đình hạnh phúc”, cuộc vận động “Xây dựng gia đình 5 không, 3 sạch”; "
            f"kết nạp {_vn_number(members)} hội viên mới; hỗ trợ phụ nữ nghèo vay vốn phát triển "
            f"kinh tế với tổng số tiền {_vn_number(million)} triệu đồng."
        )
    if key == "nongdan":
        chi, to = rng.randint(3, 60), rng.randint(3, 80)
        fund = round(rng.uniform(1, 40), 1)
        return (
            f"{name} chỉ đạo, hướng dẫn thành lập và tổ chức ra mắt {chi} Chi hội nông dân "
            f"nghề nghiệp và {to} Tổ hội nông dân nghề nghiệp; thực hiện hiệu quả phong trào "
            f"{movement}; phối hợp giải ngân {_vn_number(fund)} tỷ đồng từ Quỹ Hỗ trợ nông dân "
            "cho hội viên phát triển sản xuất."
        )
    if key == "ccb":
        poor = rng.randint(5, 300)
        models_ = rng.randint(4, 90)
        return (
            f"{name} phát huy bản chất “Bộ đội Cụ Hồ”, tích cực tham gia xây dựng Đảng, chính "
            f"quyền; giúp {poor} hội viên thoát nghèo; duy trì {models_} mô hình “Cựu chiến binh "
            "tham gia bảo đảm an ninh trật tự” hoạt động có hiệu quả."
        )
    works = rng.randint(5, 250)
    value = round(rng.uniform(0.5, 25), 1)
    blood = rng.randint(200, 8000)
    return (
        f"{name} triển khai phong trào {rng.choice(['“Tuổi trẻ sáng tạo”', '“Tình nguyện”'])}; "
        f"thực hiện {works} công trình, phần việc thanh niên với tổng trị giá "
        f"{_vn_number(value)} tỷ "
        f"đồng; vận động tiếp nhận {_vn_number(blood)} đơn vị máu."
    )


def _lead(rng: random.Random, m: DemoMeeting, period: str, date_text: str) -> str:
    prov, dist = m.province, m.district
    committee = _committee(prov, dist)
    level = _level(prov, dist)
    # District meetings name their province too, as local portals do ("huyện X, tỉnh Y").
    place_full = f"{dist[1]} {dist[0]}, {prov.full}" if dist else prov.full
    where = f"{committee} {dist[0]} ({prov.name})" if dist else f"{committee} {prov.name}"
    named = place_full if rng.random() < 0.7 or dist else level
    review = {"giao ban": "đánh giá kết quả công tác", "sơ kết": "sơ kết công tác"}.get(
        m.period.meeting_kind, "tổng kết công tác"
    )
    block = rng.choice(
        [
            "Khối MTTQ Việt Nam và các tổ chức chính trị – xã hội",
            "Khối Mặt trận Tổ quốc và các tổ chức chính trị - xã hội",
            "Mặt trận Tổ quốc (MTTQ) Việt Nam, các tổ chức chính trị – xã hội",
            "MTTQ và các đoàn thể chính trị xã hội",
        ]
    )
    tod = rng.choice(TIME_OF_DAY)
    chair = f"{m.presiding.name}{rng.choice([' – ', ', ', ' - '])}{m.presiding.title}"
    kind = m.period.meeting_kind
    nxt = m.period.next_phrase()
    if m.series == "khoi":
        venue = rng.choice(VENUES).format(committee=committee, unit=level)
        forms = [
            f"{tod} {date_text}, {where} đã tổ chức Hội nghị giao ban với {block} {level} "
            f"{period}. Đồng chí {chair} chủ trì Hội nghị.",
            f"{tod} {date_text}, tại {venue}, đồng chí {chair} chủ trì Hội nghị giao ban {block} "
            f"{named} {review} {period}, triển khai nhiệm vụ trọng tâm {nxt}.",
            f"{tod} {date_text}, Thường trực {where} tổ chức Hội nghị giao ban với {block} "
            f"{level} về kết quả công tác {period}; phương hướng, nhiệm vụ trọng tâm {nxt}. "
            f"Đồng chí {chair} chủ trì hội nghị.",
        ]
    elif m.series == "danvan":
        forms = [
            f"{prov.name.upper()} – {tod} {date_text}, Ban Dân vận {where} đã tổ chức Hội nghị "
            f"giao ban công tác Dân vận {period} và triển khai nhiệm vụ {nxt}. Ông {chair} "
            "chủ trì Hội nghị.",
            f"{tod} {date_text}, Ban Dân vận {where} tổ chức hội nghị {kind} công tác dân vận "
            f"{period}, phương hướng nhiệm vụ trọng tâm {nxt}. Đồng chí {chair} chủ trì hội nghị.",
        ]
    elif m.series == "mattran":
        forms = [
            f"{tod} {date_text}, Ban Thường trực Ủy ban MTTQ Việt Nam {place_full} tổ chức hội "
            f"nghị {kind} công tác Mặt trận {period} và triển khai chương trình hành động {nxt}. "
            f"Đồng chí {chair} chủ trì hội nghị.",
            f"{tod} {date_text}, Ủy ban MTTQ Việt Nam {place_full} tổ chức Hội nghị {kind} "
            f"công tác Mặt trận {period}. Ông {chair} chủ trì Hội nghị.",
        ]
    else:
        org = ORGS[m.series][0].format(unit=prov.full, youth=f"{prov.youth} {prov.name}")
        forms = [
            f"{tod} {date_text}, {org} tổ chức Hội nghị {kind} công tác {period}, triển khai "
            f"nhiệm vụ trọng tâm {nxt}. Đồng chí {chair} chủ trì Hội nghị.",
            f"{tod} {date_text}, Ban Thường vụ {org} tổ chức hội nghị {kind} công tác {period}. "
            f"Đồng chí {chair} chủ trì hội nghị.",
        ]
    return rng.choice(forms)


def _headline(rng: random.Random, m: DemoMeeting, period: str) -> str:
    prov, dist = m.province, m.district
    level = _level(prov, dist)
    place = f"{level} {dist[0]}" if dist else prov.full
    kind = m.period.meeting_kind
    if m.series == "khoi":
        return rng.choice(
            [
                f"Hội nghị giao ban Khối MTTQ Việt Nam và các tổ chức {POLSOC} {place} {period}",
                f"Phát huy vai trò của Mặt trận Tổ quốc Việt Nam và các tổ chức {POLSOC} {place}",
                f"Thường trực {_committee(prov, dist)} giao ban với Khối MTTQ và các tổ chức "
                f"chính trị - xã hội {period}",
            ]
        )
    if m.series == "danvan":
        return rng.choice(
            [
                f"Giao ban công tác Dân vận {period}",
                f"Ban Dân vận {_committee(prov, dist)} {dist[0] if dist else prov.name} {kind} "
                f"công tác {period}",
            ]
        )
    if m.series == "mattran":
        return f"Hội nghị {kind} công tác Mặt trận {period} {place}"
    org = ORGS[m.series][0].format(unit=prov.full, youth=prov.youth)
    return f"{org} {kind} công tác {period}"


def _stamp(rng: random.Random, published: dt.date) -> str | None:
    hh, mm = rng.randint(6, 21), rng.randint(0, 59)
    d = published
    forms = [
        f"{WEEKDAYS[d.weekday()]}, {d.day:02d}/{d.month:02d}/{d.year} {hh:02d}:{mm:02d}",
        f"Đăng ngày {d.day:02d} - {d.month:02d} - {d.year}",
        f"Cập nhật: {d.day:02d}/{d.month:02d}/{d.year} {hh:02d}:{mm:02d}",
        None,
    ]
    return rng.choice(forms)


def _article_text(
    seed: int, m: DemoMeeting, rng: random.Random, outlet: int
) -> tuple[str, dt.date]:
    prov, dist = m.province, m.district
    level = _level(prov, dist)
    committee = _committee(prov, dist)
    published = m.held_on + dt.timedelta(days=rng.choice([0, 0, 1, 1, 1, 2, 3]))
    period = m.period.phrase(rng)
    # The year is often left out ("Chiều 29/12"): readers take it from the page.
    with_year = m.held_on.year != m.period.year or rng.random() < 0.4
    date_text = _d(m.held_on, with_year, rng)
    lines = [_headline(rng, m, period)]
    stamp = _stamp(rng, published)
    if stamp:
        lines.append(stamp)
    lines.append("")
    lines.append(_lead(rng, m, period, date_text))

    if m.attending:
        sep = rng.choice([" – ", ", "])
        people = "; ".join(f"{p.name}{sep}{p.title}" for p in m.attending)
        opener = rng.choice(
            [
                "Dự Hội nghị có các đồng chí",
                "Cùng dự có các đồng chí",
                "Tham dự Hội nghị có các đồng chí",
            ]
        )
        lines.append(
            f"{opener}: {people}; cùng đại diện lãnh đạo "
            f"{'các phòng, ban, ngành' if dist else 'các sở, ban, ngành'} và các đơn vị "
            "liên quan."
        )
    lines.append("")
    lines.append(
        rng.choice(["Quang cảnh Hội nghị.", "Các đại biểu tham dự hội nghị", "Toàn cảnh hội nghị."])
    )
    if m.reporting:
        lines.append(
            f"Báo cáo tại Hội nghị, đồng chí {m.reporting.name} – {m.reporting.title} cho biết, "
            f"trong {period}, Mặt trận Tổ quốc và các tổ chức chính trị – xã hội {level} đã "
            "phối hợp với các cấp, các ngành thực hiện tốt các nhiệm vụ trọng tâm, bám sát "
            "nhiệm vụ chính trị của địa phương."
        )
    else:
        lines.append(
            f"Theo báo cáo, {period}, MTTQ Việt Nam và các tổ chức chính trị - xã hội {level} đã "
            "phát huy tinh thần đoàn kết, chủ động bám sát nhiệm vụ chính trị; tập trung tuyên "
            "truyền, vận động Nhân dân thực hiện tốt chủ trương, đường lối của Đảng, chính sách "
            "pháp luật của Nhà nước."
        )
    lines.append("")

    keys = ["mttq", "ldld", "lhpn", "nongdan", "ccb", "doan"]
    if m.series in keys:
        keys.remove(m.series)
        keys.insert(0, m.series)
    else:
        rng.shuffle(keys)
    unit_text = dist and f"{dist[1]}" or rng.choice([prov.unit, prov.full])
    for key in keys[: rng.randint(3, 6)]:
        forms = ORGS[key][1] if rng.random() < 0.5 else [ORGS[key][0]]
        name = rng.choice(forms).format(unit=unit_text, youth=_youth(prov, dist))
        name = name[0].upper() + name[1:]
        lines.append(_org_paragraph(key, rng, m, name))
        lines.append("")
        if rng.random() < 0.3 and m.attending:
            p = rng.choice(m.attending)
            lines.append(f"{_short_title(p)} {p.name} phát biểu tại Hội nghị.")
            lines.append("")

    docs = [d for d in NATIONAL_DIRECTIVES if d[2] < m.held_on]
    rng.shuffle(docs)
    local = _local_directives(seed, m)
    rng.shuffle(local)
    cited = docs[: rng.randint(0, 2)] + local[: rng.randint(0, 2)]
    title = _short_title(m.presiding)
    closing = (
        f"Phát biểu kết luận Hội nghị, {title} {m.presiding.name} ghi nhận, đánh giá cao sự "
        f"chủ động, tích cực của Ủy ban MTTQ Việt Nam và các tổ chức chính trị – xã hội {level} "
        f"trong {period}; đề nghị trong {m.period.next_phrase()} tiếp tục đổi mới nội dung, "
        "phương thức hoạt động, hướng mạnh về cơ sở"
    )
    if cited:
        closing += "; quán triệt và tổ chức thực hiện " + " và ".join(
            _cite(rng, d, m) for d in cited
        )
    lines.append(closing + ".")
    lines.append("")
    lines.append(f"{title} {m.presiding.name} phát biểu kết luận Hội nghị.")
    lines.append("")
    lines.append(_byline(seed, rng, m, outlet))
    text = "\n".join(lines)
    # Some portals name their province only in the page footer (as Hải Phòng's does).
    if rng.random() < 0.3 or fold(prov.name) not in fold(text):
        outlet_name = OUTLETS[outlet][1].format(full=prov.full, name=prov.name, committee=committee)
        outlet_name = outlet_name[0].upper() + outlet_name[1:]
        text += rng.choice(
            [
                f"\n\nTiện ích thông tin\nNguồn tin\nMã QR Code truy cập vào Fanpage {outlet_name}"
                "\nTin khác",
                f"\n\n{outlet_name}",
                f"\n\nTin khác\nBản quyền thuộc {outlet_name}",
            ]
        )
    return text, published


def _short_title(p: Official) -> str:
    """The title as captions run it into the name: its last office only."""
    last = p.title.split(", ")[-1]
    return last[0].upper() + last[1:]


def _byline(seed: int, rng: random.Random, m: DemoMeeting, outlet: int) -> str:
    names = [
        person_name(_rng(seed, "byline", m.province.name, outlet, i)) for i in range(BYLINE_NAMES)
    ]
    author = rng.choice(names)
    author = " ".join(author.split()[-2:]) if rng.random() < 0.6 else author
    style = rng.random()
    if style < 0.4:
        return author
    if style < 0.65:
        photo = " ".join(rng.choice(names).split()[-2:])
        return f"{author}. Ảnh: {photo}"
    if style < 0.8:
        return author.upper()
    return f"Tin, ảnh: {author}"


def _url(
    seed: int, m: DemoMeeting, index: int, outlet: int, published: dt.date, headline: str
) -> str:
    """https://demo.invalid/s<seed>/<province>/<outlet>/<yyyy>/<mm>/<headline>-d<index>.html"""
    from django.utils.text import slugify

    slug = slugify(fold(headline))[:80].strip("-")
    site = OUTLETS[outlet][0]
    return (
        f"{DEMO_URL_PREFIX}s{seed}/{slugify(fold(m.province.name))}/{site}/"
        f"{published:%Y/%m}/{slug}-d{index}.html"
    )


def is_second_report(seed: int, index: int) -> bool:
    return index >= 50 and _rng(seed, "dup", index).random() < DUPLICATE_SHARE


def generate_article(
    index: int, *, seed: int = 0, space: tuple[int, int] | None = None
) -> DemoArticle:
    """Article `index` of the corpus of `seed`; `space` is slot_space(n) of the corpus."""
    space = space or slot_space(index + 1)
    size, first_year = space
    second = is_second_report(seed, index)
    if second:
        # Report an earlier, original article's meeting again, from another outlet.
        r = _rng(seed, "dup-of", index)
        original = r.randrange(max(0, index - 2000), index)
        while is_second_report(seed, original):
            original -= 1
        slot = slot_of(original, size)
    else:
        slot = slot_of(index, size)
    meeting = meeting_for_slot(seed, slot, first_year)
    rng = _rng(seed, "article", index)
    first_outlet = _rng(seed, "outlet", slot).randrange(len(OUTLETS))
    outlet = (first_outlet + (1 + rng.randrange(len(OUTLETS) - 1) if second else 0)) % len(OUTLETS)
    text, published = _article_text(seed, meeting, rng, outlet)
    url = _url(seed, meeting, index, outlet, published, text.split("\n", 1)[0])
    return DemoArticle(index, meeting, second, url, published, text)


def generate(
    n: int, *, seed: int = 0, start: int = 0, total: int | None = None
) -> Iterator[DemoArticle]:
    """Articles start … start+n-1 of the corpus of `total` articles (default: start+n)."""
    space = slot_space(total or start + n)
    for index in range(start, start + n):
        yield generate_article(index, seed=seed, space=space)


def write_corpus(
    out_dir: str | Path, n: int, *, seed: int = 0, start: int = 0, total: int | None = None
) -> list[Path]:
    """Write articles start … start+n-1 as .txt files with front matter into out_dir."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in generate(n, seed=seed, start=start, total=total):
        path = out / article.filename
        path.write_text(article.render(), encoding="utf-8")
        paths.append(path)
    return paths
