"""An article's text as HTML, with the evidence of each extracted value in a <mark>.

Every piece of article text is escaped; only the <mark> and back-link tags are ours. Spans
may overlap or nest (a person's title inside a sentence that is also a metric's evidence):
the text is cut at every span boundary and each piece is wrapped in the marks that cover it,
closed and reopened at each cut, so the HTML is always well nested. The first piece of a span
carries its id (`ev-…`, the target of the value's link); a small link after its last piece
leads back to the value in the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    """The evidence of one value: text[start:end], shown as <mark id=anchor>."""

    start: int
    end: int
    anchor: str  # "ev-metric-12": the id of the mark
    label: str = ""  # a tooltip: what was extracted here
    back: str = ""  # the id of the value in the page the back-link leads to ("" for none)
    kind: str = ""  # a CSS modifier: "metric", "person" …


@dataclass
class Highlighted:
    html: SafeString
    anchors: set[str] = field(default_factory=set)  # the ids actually placed in the HTML


def _valid(spans, length: int) -> list[Span]:
    """Spans inside the text, non-empty, with an anchor not seen before; in text order."""
    seen, valid = set(), []
    for span in spans:
        if not span.anchor or span.anchor in seen:
            continue
        if not (isinstance(span.start, int) and isinstance(span.end, int)):
            continue
        if not 0 <= span.start < span.end <= length:
            continue
        seen.add(span.anchor)
        valid.append(span)
    # Longer spans first among those starting together, so the outer one opens first.
    valid.sort(key=lambda s: (s.start, -s.end, s.anchor))
    return valid


def _open(span: Span, first: bool) -> str:
    classes = "ev" + (f" ev-{span.kind}" if span.kind else "") + ("" if first else " ev-cont")
    if first:
        return format_html('<mark id="{}" class="{}" title="{}">', span.anchor, classes, span.label)
    return format_html('<mark class="{}" data-ev="{}">', classes, span.anchor)


def _back(span: Span, back_label: str) -> str:
    """The ↩ after a span, named by what it goes back to ("Back to the value: Nguyễn Thị
    Tuyến"), so that a screen reader's list of links tells them apart."""
    if not span.back:
        return ""
    name = f"{back_label}: {span.label}" if back_label and span.label else back_label
    return format_html(
        '<a class="ev-back" href="#{}" aria-label="{}" title="{}">↩</a>', span.back, name, name
    )


def highlight_evidence(text: str, spans, *, back_label: str = "") -> Highlighted:
    """`text` as escaped HTML with each valid span marked (see the module docstring).

    Invalid spans (outside the text, empty, reversed, or a repeated anchor) are left out;
    `Highlighted.anchors` says which were placed, so a page links only to those.
    """
    text = text or ""
    spans = _valid(spans, len(text))
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    started: set[str] = set()
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in spans if s.start <= left and right <= s.end]
        for span in covering:
            first = span.anchor not in started
            started.add(span.anchor)
            out.append(_open(span, first))
        out.append(escape(text[left:right]))
        out.append("</mark>" * len(covering))
        # Back-links after the piece that ends a span, outside every mark.
        out.extend(_back(s, back_label) for s in spans if s.end == right)
    # Every piece is escaped above and every tag built with format_html.
    return Highlighted(html=mark_safe("".join(out)), anchors=started)
