"""Addresses (meetings/fetch/urls.py)."""

import pytest

from meetings.fetch.urls import AddressError, clean_url, same_site


def test_clean_url_spells_each_address_one_way():
    assert clean_url(" HTTPS://Portal.Test:443/Tin Tức/a.html?x=ý#top ") == (
        "https://portal.test/Tin%20T%E1%BB%A9c/a.html?x=%C3%BD"
    )
    assert (
        clean_url("../b.html", base="http://portal.test/tin/a.html") == "http://portal.test/b.html"
    )
    assert clean_url("http://portal.test:8080") == "http://portal.test:8080/"
    assert clean_url("http://hànội.vn/").startswith("http://xn--")
    assert clean_url("http://portal.test/a%20b") == "http://portal.test/a%20b"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "empty address"),
        ("mailto:a@b.vn", "only http"),
        ("http:///a", "no host"),
        ("http://a.vn:99999/", "not an address"),
        ("http://a.vn/" + "x" * 2000, "longer than 2000"),
    ],
)
def test_bad_addresses_are_named(raw, message):
    with pytest.raises(AddressError, match=message):
        clean_url(raw)


def test_same_site_ignores_www():
    assert same_site("https://www.portal.test/a", "http://portal.test/b")
    assert not same_site("https://other.test/a", "https://portal.test/a")
