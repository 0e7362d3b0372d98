"""meetings/highlight.py: escaped article text with evidence spans in well-nested <mark>s."""

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from meetings.highlight import Span, highlight_evidence


class NestingChecker(HTMLParser):
    """Records the text and fails on a tag closed out of order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.ids += [value for name, value in attrs if name == "id"]

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()

    def handle_data(self, data):
        if self.stack[-1:] != ["a"]:  # back-links are ours, not the article's
            self.text.append(data)


def parse(html):
    checker = NestingChecker()
    checker.feed(str(html))
    checker.close()
    assert checker.stack == []
    return checker


def test_plain_text_is_escaped():
    result = highlight_evidence('<script>alert("x")</script> & Hà Nội', [])
    assert str(result.html) == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Hà Nội"
    assert result.anchors == set()


def test_one_span():
    text = "tiếp nhận trên 55 tỷ đồng ủng hộ"
    start = text.index("55")
    result = highlight_evidence(
        text, [Span(start, start + len("55 tỷ đồng"), "ev-m-1", "55 tỷ", back="val-m-1")]
    )
    html = str(result.html)
    assert '<mark id="ev-m-1" class="ev" title="55 tỷ">55 tỷ đồng</mark>' in html
    assert 'href="#val-m-1"' in html
    assert result.anchors == {"ev-m-1"}
    assert "".join(parse(html).text) == text


def test_hostile_text_inside_a_span_and_in_its_label():
    text = "a <b onmouseover=x>bold</b> z"
    result = highlight_evidence(
        text, [Span(2, 27, "ev-1", label='"><script>', back='x" onclick="y')]
    )
    html = str(result.html)
    assert "<b " not in html and "<script>" not in html
    assert 'onclick="y' not in html
    assert "".join(parse(html).text) == text


def test_nested_spans():
    text = "Đồng chí Nguyễn Thị Tuyến chủ trì"
    outer = Span(0, len(text), "ev-outer")
    inner = Span(9, 25, "ev-inner")
    html = str(highlight_evidence(text, [inner, outer]).html)
    assert html.startswith('<mark id="ev-outer"')
    assert '<mark id="ev-inner" class="ev" title="">Nguyễn Thị Tuyến</mark>' in html
    assert "".join(parse(html).text) == text


def test_overlapping_spans_are_split_and_stay_well_nested():
    text = "0123456789"
    result = highlight_evidence(text, [Span(2, 6, "ev-a"), Span(4, 8, "ev-b")])
    checker = parse(result.html)
    assert "".join(checker.text) == text
    assert sorted(checker.ids) == ["ev-a", "ev-b"]  # each id once, on the span's first piece
    # a is closed and reopened around b's start; b continues after a ends.
    assert str(result.html) == (
        '01<mark id="ev-a" class="ev" title="">23</mark>'
        '<mark class="ev ev-cont" data-ev="ev-a"><mark id="ev-b" class="ev" title="">45</mark>'
        '</mark><mark class="ev ev-cont" data-ev="ev-b">67</mark>89'
    )


def test_identical_spans_and_same_start():
    text = "abcdef"
    result = highlight_evidence(text, [Span(1, 4, "ev-a"), Span(1, 4, "ev-b"), Span(1, 2, "ev-c")])
    checker = parse(result.html)
    assert sorted(checker.ids) == ["ev-a", "ev-b", "ev-c"]
    assert "".join(checker.text) == text


def test_invalid_spans_are_left_out():
    text = "abcdef"
    spans = [
        Span(-1, 2, "ev-neg"),
        Span(3, 99, "ev-past-end"),
        Span(4, 2, "ev-reversed"),
        Span(3, 3, "ev-empty"),
        Span(0, 1, ""),
        Span(0, 2, "ev-ok"),
        Span(1, 3, "ev-ok"),  # a repeated anchor
    ]
    result = highlight_evidence(text, spans)
    assert result.anchors == {"ev-ok"}
    assert "".join(parse(result.html).text) == text


def test_empty_text():
    assert str(highlight_evidence("", [Span(0, 1, "ev-x")]).html) == ""
    assert str(highlight_evidence(None, []).html) == ""


@given(
    text=st.text(alphabet="ab<>&\"' ủỷ\n", max_size=40),
    raw=st.lists(st.tuples(st.integers(-3, 45), st.integers(-3, 45)), max_size=8),
)
def test_any_spans_give_well_nested_html_with_the_whole_text(text, raw):
    spans = [Span(a, b, f"ev-{i}", label=text[:5], back=f"val-{i}") for i, (a, b) in enumerate(raw)]
    result = highlight_evidence(text, spans)
    checker = parse(result.html)
    assert "".join(checker.text) == text
    assert sorted(checker.ids) == sorted(result.anchors)
    assert "<script" not in str(result.html) and "<b" not in str(result.html)
