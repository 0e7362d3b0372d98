"""robots.txt as RFC 9309 reads it (meetings/fetch/robots.py)."""

from meetings.fetch.robots import parse_robots

AGENT = "MeetingReportsPortal/1.0 (+https://portal.example.org)"


def test_the_group_naming_the_crawler_wins_over_the_star_group():
    rules = parse_robots(
        "User-agent: *\nDisallow: /\n\nUser-agent: meetingreportsportal\nDisallow: /admin/\n",
        AGENT,
    )
    assert rules.allows("/tin-tuc/bai.html")
    assert not rules.allows("/admin/login")


def test_longest_match_wins_and_allow_wins_a_tie():
    rules = parse_robots(
        "User-agent: *\nDisallow: /tin-tuc/\nAllow: /tin-tuc/chinh-tri/\nDisallow: /a\nAllow: /a\n",
        AGENT,
    )
    assert not rules.allows("/tin-tuc/the-thao/1.html")
    assert rules.allows("/tin-tuc/chinh-tri/1.html")
    assert rules.allows("/a")


def test_wildcards_and_end_anchor():
    rules = parse_robots("User-agent: *\nDisallow: /*?print=\nDisallow: /*.pdf$\n", AGENT)
    assert not rules.allows("/tin/1.html?print=1")
    assert rules.allows("/tin/1.html?page=2")
    assert not rules.allows("/files/bao-cao.pdf")
    assert rules.allows("/files/bao-cao.pdf.html")


def test_groups_of_several_agents_comments_and_crawl_delay():
    text = (
        "# portal rules\nUser-agent: Googlebot\nUser-agent: MeetingReportsPortal # us\n"
        "Crawl-delay: 5\nDisallow: /private/\n\nUser-agent: *\nDisallow:\n"
    )
    rules = parse_robots(text, AGENT)
    assert rules.crawl_delay == 5.0
    assert not rules.allows("/private/x")
    other = parse_robots(text, "OtherBot/2")
    assert other.allows("/private/x") and other.crawl_delay is None


def test_no_rules_empty_disallow_and_non_ascii_paths():
    assert parse_robots("", AGENT).allows("/anything")
    assert parse_robots("User-agent: *\nDisallow:\n", AGENT).allows("/x")
    rules = parse_robots("User-agent: *\nDisallow: /tin-tức/\n", AGENT)
    assert not rules.allows("/tin-t%E1%BB%A9c/1.html")
    assert not rules.allows("/tin-tức/1.html")


def test_robots_txt_itself_is_always_allowed():
    assert parse_robots("User-agent: *\nDisallow: /\n", AGENT).allows("/robots.txt")
