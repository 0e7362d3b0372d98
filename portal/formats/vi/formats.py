"""Vietnamese dates as the reports write them: 3/7/2024, not Django's "Ngày 03 tháng 7 năm
2024" (a capital and a zero in the middle of a sentence)."""

DATE_FORMAT = "j/n/Y"
SHORT_DATE_FORMAT = "j/n/Y"
DATETIME_FORMAT = "H:i j/n/Y"
SHORT_DATETIME_FORMAT = "H:i j/n/Y"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "n/Y"
