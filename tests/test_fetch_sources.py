"""The sources file (meetings/fetch/sources.py): every mistake names the file, site and field."""

import pytest

from meetings.fetch.sources import SourcesError, load_sources


def write(tmp_path, text):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file(tmp_path):
    path = write(
        tmp_path,
        'delay = 3\n[[site]]\nname = "Hải Phòng"\nprovince = "TP Hải Phòng"\n'
        'feeds = ["https://haiphong.gov.vn/rss/tin-tuc"]\n'
        'sitemaps = ["https://haiphong.gov.vn/sitemap.xml"]\ninclude = ["/tin-tuc/"]\n'
        '[[site]]\nname = "Mỹ Hào"\npages = ["https://myhao.hungyen.gov.vn/a"]\ndelay = 10\n',
    )
    first, second = load_sources(path)
    assert first.province == "Hải Phòng" and first.delay == 3.0
    assert first.wants("https://haiphong.gov.vn/tin-tuc/1") and not first.wants("https://x/v/1")
    assert second.delay == 10.0 and second.province is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[site]\n", "not valid TOML"),
        ("dely = 2\n", r"unknown setting\(s\) dely"),
        ("delay = 2\n", "no sites"),
        ('[[site]]\nfeeds = ["https://a.vn/rss"]\n', "site 1: name: required"),
        ('[[site]]\nname = "A"\n', r"site 1 \(A\): nothing to fetch"),
        ('[[site]]\nname = "A"\nfeeds = "https://a.vn/rss"\nsitemap = []\n', "unknown field"),
        ('[[site]]\nname = "A"\nfeeds = ["a.vn/rss"]\n', r"feeds\[1\]: 'a.vn/rss': only http"),
        ('[[site]]\nname = "A"\nfeeds = ["https://a.vn/"]\ndelay = "2"\n', "delay: expected"),
        ('[[site]]\nname = "A"\nfeeds = ["https://a.vn/"]\ndelay = -1\n', "0 to 3600"),
        ('[[site]]\nname = "A"\nfeeds = ["https://a.vn/"]\nprovince = "Atlantis"\n', "Atlantis"),
        ('[[site]]\nname = "A"\nfeeds = ["https://a.vn/"]\ninclude = [1]\n', "include"),
        (
            '[[site]]\nname = "A"\nfeeds = ["https://a.vn/"]\n[[site]]\nname = "A"\n'
            'feeds = ["https://b.vn/"]\n',
            r"site 2 \(A\): name: another site has the same name",
        ),
    ],
)
def test_mistakes_are_named(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert str(info.value).startswith(str(path))


def test_missing_and_binary_files(tmp_path):
    with pytest.raises(SourcesError, match="no such file"):
        load_sources(tmp_path / "none.toml")
    path = tmp_path / "bin.toml"
    path.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(SourcesError, match="not UTF-8"):
        load_sources(path)
