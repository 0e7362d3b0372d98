"""A page's HTML → its article (meetings/fetch/article.py, trafilatura)."""

import pytest

from meetings.fetch.article import NoArticle, decode_html, html_to_article
from tests.fetch_site import MENU, MOST_READ, RELATED, portal_page

TEXT = (
    "Hội nghị giao ban Khối MTTQ và các tổ chức chính trị - xã hội quý III/2023\n"
    "Chiều 23/10, Thành ủy Hà Nội tổ chức Hội nghị giao ban với Mặt trận Tổ quốc và các tổ "
    "chức chính trị – xã hội Thành phố quý III/2023. Đồng chí Nguyễn Thị Tuyến, Phó Bí thư "
    "Thường trực Thành ủy chủ trì hội nghị.\n"
    "Quý III/2023, các tổ chức đã vận động được 55 tỷ đồng ủng hộ Quỹ Vì người nghèo.\n"
    "MAI QUÝ"
)
URL = "http://portal.test/tin-tuc/giao-ban.html"


@pytest.mark.parametrize("layout", [0, 1, 2])
def test_main_text_without_menus_related_news_and_footer(layout):
    page = portal_page(TEXT, url=URL, layout=layout, published="2023-10-24")
    article = html_to_article(page.encode(), url=URL, content_type="text/html; charset=utf-8")
    assert article.title == TEXT.splitlines()[0]
    assert article.text.splitlines()[0] == article.title
    assert "Đồng chí Nguyễn Thị Tuyến" in article.text
    assert article.text.rstrip().endswith("MAI QUÝ")
    assert article.published == "2023-10-24"
    assert article.url == URL == article.canonical_url
    for chrome in [*MENU[1:], *MOST_READ, RELATED[3][0], "Cơ quan chủ quản", "Lượt truy cập"]:
        assert chrome not in article.text, chrome


def test_a_byline_given_only_as_markup_is_added_at_the_end():
    page = (
        "<html><head><meta name='author' content='Nguyễn Hải'></head><body><article>"
        + "".join(f"<p>{line}</p>" for line in TEXT.splitlines()[1:3])
        + "</article></body></html>"
    )
    article = html_to_article(page.encode(), url=URL)
    assert article.byline == "Nguyễn Hải"
    assert article.text.splitlines()[-1] == "Nguyễn Hải"


def test_a_canonical_address_on_another_site_is_not_taken():
    page = portal_page(TEXT, url="https://other-site.test/copied.html", layout=1)
    article = html_to_article(page.encode(), url=URL)
    assert article.url == URL and article.canonical_url is None


def test_a_title_the_page_does_not_show_is_not_a_headline():
    page = portal_page("\n".join(TEXT.splitlines()[1:]), url=URL, layout=1)
    article = html_to_article(page.encode(), url=URL)
    assert article.title is None
    assert article.text.startswith("Chiều 23/10")


def test_pages_without_an_article():
    with pytest.raises(NoArticle, match="no article text"):
        html_to_article(
            b"<html><body><ul><li><a href='/a'>Tin</a></li></ul></body></html>", url=URL
        )
    with pytest.raises(NoArticle):
        html_to_article(b"", url=URL)


def test_decoding_follows_header_then_meta_then_utf8():
    text = "Hội nghị"
    assert decode_html(text.encode("utf-16"), "text/html; charset=utf-16") == text
    assert decode_html(b'<meta charset="windows-1258">' + "Đà".encode("cp1258"), "").endswith("Đà")
    assert decode_html(text.encode(), "") == text
