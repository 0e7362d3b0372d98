"""People: names by cue, titles on either side, roles, and bylines."""

from __future__ import annotations

import pytest

from meetings.extraction.organizations import Context, find_organizations
from meetings.extraction.people import extract_participants, normalise_name
from meetings.extraction.reader import layout
from meetings.extraction.text import normalize


def _people(text: str) -> dict[str, tuple[str | None, list[str]]]:
    text = normalize(text)
    body = [line for line in layout(text) if line.is_body]
    orgs = find_organizations(text, [(0, len(text))], Context())
    found = extract_participants(text, body, [(o.evidence.start, o.evidence.end) for o in orgs])
    for p in found:
        assert text[p.evidence.start : p.evidence.end] in (p.name, p.name.upper())
    return {p.name: (p.title, p.roles) for p in found}


def test_cue_and_title_after_with_presiding():
    people = _people(
        "Đồng chí Nguyễn Thị Tuyến – Ủy viên Trung ương Đảng, Phó Bí thư Thường trực Thành ủy "
        "Hà Nội chủ trì Hội nghị."
    )
    assert people == {
        "Nguyễn Thị Tuyến": (
            "Ủy viên Trung ương Đảng, Phó Bí thư Thường trực Thành ủy Hà Nội",
            ["presiding"],
        )
    }


def test_attendee_list_separated_by_semicolons():
    people = _people(
        "Cùng dự có các đồng chí: Cao Xuân Liên, Ủy viên Ban Thường vụ Thành ủy, Chủ tịch Ủy "
        "ban MTTQ Việt Nam thành phố; Lê Trí Vũ, Ủy viên Ban Thường vụ Thành ủy, Trưởng Ban Dân "
        "vận Thành ủy; Lê Khắc Nam, Uỷ viên Thành uỷ, Phó Chủ tịch UBND thành phố. Tham dự có "
        "đại diện lãnh đạo Sở, ban, ngành."
    )
    assert list(people) == ["Cao Xuân Liên", "Lê Trí Vũ", "Lê Khắc Nam"]
    assert all(roles == ["attending"] for _, roles in people.values())
    assert people["Lê Khắc Nam"][0] == "Uỷ viên Thành uỷ, Phó Chủ tịch UBND thành phố"


def test_title_glued_before_the_name():
    people = _people(
        "Trưởng Ban Dân vận Thành ủy Hà Nội Đỗ Anh Tuấn phát biểu tại Hội nghị.\n"
        "Phó Chủ tịch LĐLĐ thành phố Hà Nội Lê Đình Hùng tham gia thảo luận tại Hội nghị.\n"
        "Phó Chủ tịch UBND tỉnh Lâm Đồng Đặng Trí Dũng cho biết.\n"
        "Chủ tịch UBND huyện Nguyễn Văn Trường báo cáo."
    )
    assert people["Đỗ Anh Tuấn"] == ("Trưởng Ban Dân vận Thành ủy Hà Nội", ["speaking"])
    assert "Lê Đình Hùng" in people and "Đặng Trí Dũng" in people
    assert people["Nguyễn Văn Trường"][1] == ["reporting"]
    assert len(people) == 4


def test_roles_from_the_sentence_opening():
    people = _people(
        "Báo cáo tại Hội nghị, đồng chí Vũ Hà – Phó Trưởng Ban Thường trực Ban Dân vận Thành ủy "
        "cho biết, trong quý III/2023 các tổ chức đã phối hợp.\n"
        "Phát biểu kết luận Hội nghị, Phó Bí thư Thường trực Thành ủy Đỗ Mạnh Hiến ghi nhận."
    )
    assert people["Vũ Hà"][1] == ["reporting", "speaking"]
    assert people["Đỗ Mạnh Hiến"][1] == ["speaking", "concluding"]


def test_ong_ba_cues_and_non_people():
    people = _people(
        "Đến tham dự hội nghị có ông Vũ Mạnh Hải – UVTT, Trưởng ban Dân tộc – Tôn giáo Ủy ban "
        "MTTQ Việt Nam Thành phố; ông Tham Vị Hào – Phó ban Dân vận Quận ủy.\n"
        "Đại hội đại biểu Đoàn Thanh niên cộng sản Hồ Chí Minh thành phố lần thứ XIV.\n"
        "Bí thư Đảng ủy phường Trần Phú phát biểu. Tỉnh Bà Rịa Vũng Tàu có nhiều đổi mới."
    )
    assert list(people) == ["Vũ Mạnh Hải", "Tham Vị Hào"]


def test_bylines_and_photo_credits():
    assert _people("Hội nghị kết thúc.\n\nMai Quý") == {"Mai Quý": (None, ["author"])}
    assert _people("Hội nghị kết thúc.\n\nNguyễn Hải. Ảnh: Đàm Thanh") == {
        "Nguyễn Hải": (None, ["author"]),
        "Đàm Thanh": (None, ["photographer"]),
    }
    assert _people("Hội nghị kết thúc.\nDIỆU HUYỀN") == {"Diệu Huyền": (None, ["author"])}
    assert _people("Hội nghị kết thúc.\nTin, ảnh: Anh Phong") == {
        "Anh Phong": (None, ["author", "photographer"])
    }
    assert _people("Quang cảnh Hội nghị.\nHội nghị kết thúc.") == {}


def test_normalise_name():
    assert normalise_name("DIỆU HUYỀN") == "Diệu Huyền"
    assert normalise_name("Đàm  Thanh") == "Đàm Thanh"


# -- given names that are also common words -----------------------------------------------------

GIVEN_NAMES_THAT_ARE_WORDS = [
    *("Hòa", "Bình", "Minh", "Nam", "Trung", "Hải", "Đông", "Tây", "Tâm", "Phúc", "Thịnh"),
    *("Hưng", "Hà", "Ninh", "Giang", "Sơn", "Thủy", "Xuân", "Thu", "Hạ", "Nguyên", "Thành"),
    *("Sáng", "Chiều", "Hội", "Quang", "Long", "An", "Hồng", "Yên"),
]


@pytest.mark.parametrize("given", GIVEN_NAMES_THAT_ARE_WORDS)
@pytest.mark.parametrize("middle", ["Văn", "Quang", "Đình", "Thị"])
def test_given_names_that_are_common_words(given, middle):
    name = f"Trần {middle} {given}"
    people = _people(
        f"Sáng 12/3, đồng chí {name} – Phó Bí thư Thường trực Tỉnh ủy chủ trì Hội nghị.\n"
        f"Chủ tịch UBND tỉnh {name} phát biểu tại Hội nghị.\n"
        f"Trưởng Ban Dân vận Thành ủy Hà Nội {name}, Chủ tịch Hội Nông dân tỉnh Lê Văn Tám dự."
    )
    assert people[name][0] == "Phó Bí thư Thường trực Tỉnh ủy"
    assert people[name][1] == ["presiding", "attending", "speaking"]
    assert people["Lê Văn Tám"] == ("Chủ tịch Hội Nông dân tỉnh", ["attending"])
    assert len(people) == 2


@pytest.mark.parametrize(
    ("text", "name", "title", "roles"),
    [
        (
            "Đồng chí Nguyễn Văn Bình, Phó Bí thư Tỉnh ủy chủ trì Hội nghị.",
            "Nguyễn Văn Bình",
            "Phó Bí thư Tỉnh ủy",
            ["presiding"],
        ),
        (
            "Chủ tịch UBND tỉnh Lê Hồng Sơn phát biểu chỉ đạo.",
            "Lê Hồng Sơn",
            "Chủ tịch UBND tỉnh",
            ["speaking"],
        ),
        (
            "Đồng chí Trần Văn Thành – Chủ tịch UBND thành phố chủ trì Hội nghị.",
            "Trần Văn Thành",
            "Chủ tịch UBND thành phố",
            ["presiding"],
        ),
        (
            "Chiều 5/4, Phó Bí thư Tỉnh ủy Hà Quang Hiến chủ trì hội nghị.",
            "Hà Quang Hiến",
            "Phó Bí thư Tỉnh ủy",
            ["presiding"],
        ),
        (
            "Ông Tô Đình Thành, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh chủ trì hội nghị.",
            "Tô Đình Thành",
            "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
            ["presiding"],
        ),
        (
            "Phát biểu kết luận, Bí thư Thành đoàn Nguyễn Văn Sáng đề nghị các cấp bộ Đoàn.",
            "Nguyễn Văn Sáng",
            "Bí thư Thành đoàn",
            ["speaking", "concluding"],
        ),
        (
            "Dự Hội nghị có các đồng chí: Đào Sáng – Chủ tịch LĐLĐ tỉnh; Lê Văn Chiều – Chủ "
            "tịch Hội CCB tỉnh.",
            "Đào Sáng",
            "Chủ tịch LĐLĐ tỉnh",
            ["attending"],
        ),
        (
            "Phó Bí thư Tỉnh ủy Nguyễn Văn Tám và Chủ tịch UBND tỉnh Lê Văn Hội đồng chủ trì.",
            "Lê Văn Hội",
            "Chủ tịch UBND tỉnh",
            ["presiding"],
        ),
    ],
)
def test_realistic_sentences_with_such_names(text, name, title, roles):
    assert _people(text)[name] == (title, roles)


def test_time_of_day_and_meeting_words_are_no_names():
    people = _people(
        "Sáng 12/3, Tỉnh ủy tổ chức Hội nghị. Chiều cùng ngày, đồng chí Nguyễn Văn Tám Sáng "
        "nay đã đến dự. Sáng Chủ nhật, ông Lê Văn Hùng Hội nghị viên dự.\n"
        "Đồng chí Trần Quang Tùng chủ trì Hội nghị.\n"
        "Quang cảnh Hội nghị."
    )
    assert list(people) == ["Nguyễn Văn Tám", "Lê Văn Hùng", "Trần Quang Tùng"]
    assert people["Trần Quang Tùng"][1] == ["presiding"]


def test_a_four_word_name_after_an_unnamed_level_word():
    people = _people(
        "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Hồ Thị Hà Lan phát biểu.\n"
        "Chủ tịch Hội Nông dân huyện Triệu Kim Hà Mai phát biểu.\n"
        "Bí thư Đảng ủy phường Trần Phú Nguyễn Văn Tám phát biểu."
    )
    assert list(people) == ["Hồ Thị Hà Lan", "Triệu Kim Hà Mai", "Nguyễn Văn Tám"]


def test_districts_named_after_people_are_places():
    people = _people(
        "Đồng chí Hồ Hữu Long, Phó Bí thư Thường trực Huyện ủy Dương Minh Châu chủ trì Hội "
        "nghị giao ban huyện Dương Minh Châu.\n"
        "Phó Bí thư Huyện ủy Trần Văn Thời Nguyễn Văn Tám phát biểu.\n"
        "Chủ tịch UBND huyện Nguyễn Văn Trường báo cáo."
    )
    assert list(people) == ["Hồ Hữu Long", "Nguyễn Văn Tám", "Nguyễn Văn Trường"]
    assert people["Hồ Hữu Long"] == (
        "Phó Bí thư Thường trực Huyện ủy Dương Minh Châu",
        ["presiding"],
    )
    assert people["Nguyễn Văn Tám"][0] == "Phó Bí thư Huyện ủy Trần Văn Thời"


def test_byline_name_ending_in_a_common_word():
    assert _people("Hội nghị kết thúc.\nTin, ảnh: Xuân Sáng") == {
        "Xuân Sáng": (None, ["author", "photographer"])
    }
    assert _people("Hội nghị kết thúc.\nTin khác") == {}


# -- who presided: the forms real reports use ---------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "presiding"),
    [
        (
            "Chủ trì cuộc họp là ông Lê Văn An – Chủ tịch Ủy ban MTTQ Việt Nam tỉnh.",
            ["Lê Văn An"],
        ),
        (
            "Chủ trì buổi làm việc là bà Nguyễn Thị Hoa – Phó Chủ tịch HĐND tỉnh.",
            ["Nguyễn Thị Hoa"],
        ),
        ("Chủ tọa hội nghị là đồng chí Nguyễn Văn An, Bí thư Huyện ủy.", ["Nguyễn Văn An"]),
        (
            "Chủ trì Hội nghị: đồng chí Nguyễn Văn An, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh.",
            ["Nguyễn Văn An"],
        ),
        (
            "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Bình Định Hồ Văn Thường chủ trì hội nghị.",
            ["Hồ Văn Thường"],
        ),
        (
            "Trưởng Ban Dân vận Tỉnh ủy, Chủ tịch Ủy ban MTTQ Việt Nam tỉnh Nguyễn Thị Hương chủ "
            "trì hội nghị.",
            ["Nguyễn Thị Hương"],
        ),
        (
            "Đồng chí Nguyễn Văn An - Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Dân vận Tỉnh ủy, "
            "Chủ tịch Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Trưởng Ban Chỉ đạo thực hiện Quy "
            "chế dân chủ ở cơ sở của tỉnh, Trưởng Khối thi đua các cơ quan Đảng chủ trì hội nghị.",
            ["Nguyễn Văn An"],
        ),
        (
            "Hội nghị diễn ra dưới sự chủ trì của ông Nguyễn Văn An, Chủ tịch UBND thành phố.",
            ["Nguyễn Văn An"],
        ),
        ("Cuộc họp do Phó Chủ tịch UBND tỉnh Nguyễn Văn An chủ trì.", ["Nguyễn Văn An"]),
    ],
)
def test_presiding_forms(sentence, presiding):
    people = _people("Sáng 5/4/2024, hội nghị giao ban quý I/2024 đã diễn ra.\n" + sentence)
    assert [name for name, (_, roles) in people.items() if "presiding" in roles] == presiding


@pytest.mark.parametrize(
    "sentence",
    [
        "Các đồng chí: Lê Quang Tùng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy; Nguyễn Đăng "
        "Quang, Phó Bí thư Thường trực Tỉnh ủy chủ trì hội nghị.",
        "Đồng chí Lê Quang Tùng, Bí thư Tỉnh ủy cùng đồng chí Nguyễn Đăng Quang, Phó Bí thư "
        "Thường trực Tỉnh ủy đồng chủ trì hội nghị.",
        "Các đồng chí Lê Quang Tùng, Bí thư Tỉnh ủy và Nguyễn Đăng Quang, Chủ tịch UBND tỉnh "
        "đồng chủ trì hội nghị.",
    ],
)
def test_co_chairs_listed_before_the_verb_all_preside(sentence):
    people = _people(sentence)
    assert people["Lê Quang Tùng"][1] == ["presiding"]
    assert people["Nguyễn Đăng Quang"][1] == ["presiding"]


def test_a_list_of_attendees_before_a_presiding_official_does_not_preside():
    people = _people(
        "Tham dự hội nghị có đồng chí Nguyễn Văn An - Phó Bí thư Thường trực Tỉnh ủy; đồng chí "
        "Trần Văn Bình, Trưởng Ban Dân vận Tỉnh ủy chủ trì hội nghị."
    )
    assert people["Nguyễn Văn An"][1] == ["attending"]
    assert people["Trần Văn Bình"][1] == ["presiding"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh dự và chỉ đạo hội nghị.",
        "Tới dự và chỉ đạo hội nghị có đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy.",
    ],
)
def test_attending_and_directing_is_not_presiding(sentence):
    roles = _people(sentence)["Nguyễn Văn An"][1]
    assert "attending" in roles
    assert "presiding" not in roles


@pytest.mark.parametrize(
    ("byline", "credits"),
    [
        (
            "CTV Khánh Phượng – Văn Thạch (TP.Pleiku)",
            {"Khánh Phượng": ["author"], "Văn Thạch": ["author"]},
        ),
        ("PV Minh Anh", {"Minh Anh": ["author"]}),
        ("NV Lê Thu Hà", {"Lê Thu Hà": ["author"]}),
        ("Nguyễn Hoàng (TTXVN)", {"Nguyễn Hoàng": ["author"]}),
        ("Bài, ảnh: Nguyễn Văn An", {"Nguyễn Văn An": ["author", "photographer"]}),
        ("Tác giả: Nguyễn Thị Tuyết Trinh", {"Nguyễn Thị Tuyết Trinh": ["author"]}),
        ("CTV Lê Hà – PV Trần Nam", {"Lê Hà": ["author"], "Trần Nam": ["author"]}),
        ("TTXVN", {}),
    ],
)
def test_credit_prefixes_are_not_part_of_the_name(byline, credits):
    people = _people(f"Đồng chí Nguyễn Văn Bình, Chủ tịch UBND tỉnh chủ trì hội nghị.\n{byline}")
    people.pop("Nguyễn Văn Bình")
    assert {name: roles for name, (_, roles) in people.items()} == credits


def test_a_lower_case_title_right_after_the_name():
    people = _people(
        "Đồng chí Trịnh Thị Hằng phó bí thư thường trực thị ủy chủ trì hội nghị.Tại hội nghị."
    )
    assert people == {"Trịnh Thị Hằng": ("phó bí thư thường trực thị ủy", ["presiding"])}
