"""Vietnamese personal names: family names and common middle names.

Shared by people.py (who is named) and places.py (a province named after a person, such as
Hồ Chí Minh, is that person unless "thành phố"/"TP" or a body stands before it).
"""

from __future__ import annotations


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


# The most frequent family names; a name must begin with one unless a cue vouches for it.
STRONG_SURNAMES = _words(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn "
    "Trương Đinh Trịnh"
)
SURNAMES = STRONG_SURNAMES | _words(
    "Vương Lâm Mai Phùng Tô Tạ Hà Lương Cao Chu La Thái Tăng Quách Kiều Hứa Lưu Đàm "
    "Triệu Khúc Thân Tham Nông Lò Giang Châu Âu Mạc Từ Lục Doãn Tôn Trình Diệp Kim Mã "
    "Viên Bạch Nghiêm Ninh Quan Hàn Hầu Lại Lã Thạch Ông Phí Chử Chế Cù Cấn Bế Bạc "
    "Khổng Khương Lạc Lăng Mẫn Sầm Tống Tiêu Trang Vi Ứng Thiều Bành Biện Đậu Đới "
    "Giáp Kha Mông Nhan Lữ Lư Nghị Ngọ Sùng Giàng Thào Vàng Điểu Ksor Nay Y Rơ"
)
MIDDLE_NAMES = _words(
    "Văn Thị Đức Minh Xuân Hữu Quang Ngọc Thanh Hồng Quốc Anh Công Đình Trọng Tiến "
    "Việt Kim Mạnh Hải Thế Bá Duy Tuấn Trung Khắc Thu Bích Phương Như Tấn Chí Hoàng "
    "Huy Lan Mỹ Diệu Bảo Gia Khánh Thúy Thùy Hoài Cẩm Phước Nhật"
)


def looks_like_person(words: list[str]) -> bool:
    """Three or four words shaped like a full name: a surname, then a middle name or a second
    surname ("Lương Nguyễn Minh Triết")."""
    if not 3 <= len(words) <= 4 or words[0] not in SURNAMES:
        return False
    return words[1] in MIDDLE_NAMES or words[1] in STRONG_SURNAMES
