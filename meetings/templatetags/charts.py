"""Server-rendered SVG charts: no JavaScript, readable without colour, titled for screen readers.

    {% load charts %}
    {% bar_chart points title=_("Meetings per quarter") unit="" %}

`points` is a sequence of (label, value) pairs, or of objects with `.label` and `.value`.
Each bar has its own <title> (label and value), and the whole chart a <title> and <desc>,
so the figure reads as a list to assistive technology and shows tooltips on hover.
"""

from __future__ import annotations

import itertools
from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()

_ids = itertools.count(1)

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 20, 40
LABEL_SPACING = 110  # units between the starts of two axis labels


def _pairs(points) -> list[tuple[str, float, object]]:
    pairs = []
    for point in points or ():
        if isinstance(point, (tuple, list)):
            label, value = point[0], point[1]
        else:
            label, value = getattr(point, "label", ""), getattr(point, "value", 0)
        if value is None:
            continue
        pairs.append((str(label), float(value), value))
    return pairs


def format_number(value) -> str:
    """A number as the current locale writes it, without trailing decimal zeros."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral():
            value = value.quantize(Decimal(1))
    # Grouped by thousands in every language (Django's vi formats set no NUMBER_GROUPING).
    return numberformat.format(
        value,
        get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def compact_number(value) -> str:
    """A short form for axes and bar labels: 55000000000 → "55 bn" ("55 tỷ" in Vietnamese)."""
    number = float(value)
    for size, short_form in (
        (1e9, _("%(n)s bn")),
        (1e6, _("%(n)s m")),
        (1e4, _("%(n)s k")),
    ):
        if abs(number) >= size:
            short = Decimal(str(round(number / size, 1)))
            return short_form % {"n": format_number(short)}
    return format_number(Decimal(str(round(number, 2))))


def _nice_max(top: float) -> float:
    """A round number at or above `top` for the axis: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^n."""
    if top <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(top))) - 1) if top >= 1 else 1
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if top <= step * magnitude:
            return step * magnitude
    return 10.0 * magnitude


@register.simple_tag
def bar_chart(points, title="", description="", unit=""):
    """A vertical bar chart of (label, value) pairs as inline SVG."""
    pairs = _pairs(points)
    n = next(_ids)
    title_id, desc_id = f"chart-{n}-title", f"chart-{n}-desc"
    if not description:
        description = "; ".join(
            f"{label}: {format_number(raw)}{' ' + unit if unit else ''}" for label, _, raw in pairs
        )
    top = _nice_max(max((v for _, v, _ in pairs), default=0))
    integers = all(float(v).is_integer() for _, v, _ in pairs)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(pairs), 1)
    bar_w = max(min(slot * 0.7, 48), 1)
    # Label every bar when they fit, else every k-th, so the axis never overprints, even at
    # the larger type of phones (portal.css: 22 units, a label such as "III/2023" ~100).
    every = max(1, int(len(pairs) / (plot_w / LABEL_SPACING)) + 1) if pairs else 1
    bars = []
    for i, (label, value, raw) in enumerate(pairs):
        h = max(value / top * plot_h, 0)
        x = LEFT + i * slot + (slot - bar_w) / 2
        y = TOP + plot_h - h
        shown = f"{format_number(raw)}{' ' + unit if unit else ''}"
        bars.append(
            format_html(
                '<g class="bar"><title>{}: {}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="2"></rect>{}{}</g>',
                label,
                shown,
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar_w:.1f}",
                f"{h:.1f}",
                format_html(
                    '<text class="value" x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{x + bar_w / 2:.1f}",
                    f"{y - 4:.1f}",
                    compact_number(raw),
                )
                if len(pairs) <= 12
                else "",
                format_html(
                    '<text class="label" x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{x + bar_w / 2:.1f}",
                    f"{TOP + plot_h + 26:.1f}",  # below the axis at phones' 22 units too
                    label,
                )
                if i % every == 0
                else "",
            )
        )
    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="tick" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (
                LEFT,
                WIDTH - RIGHT,
                f"{TOP + plot_h * (1 - f):.1f}",
                f"{TOP + plot_h * (1 - f):.1f}",
                LEFT - 6,
                f"{TOP + plot_h * (1 - f) + 4:.1f}",
                compact_number(top * f),
            )
            # Counts get no half-way tick that would read "0,5 meetings".
            for f in ((0, 1) if integers and not (top / 2).is_integer() else (0, 0.5, 1))
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}" '
        'preserveAspectRatio="xMidYMid meet">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}{}</svg>',
        WIDTH,
        HEIGHT,
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        description,
        grid,
        mark_safe("".join(bars)),  # each bar built with format_html above
    )


QUARTER_CELL_W, QUARTER_CELL_H, QUARTER_LABEL_W, QUARTER_HEAD_H = 64, 34, 56, 26


@register.simple_tag
def quarter_grid(per_quarter, title=""):
    """A grid of years (rows) by quarters (columns), each cell shaded by the meetings held
    and labelled with their number: a small map of when a province met, as inline SVG.

    `per_quarter` is [("III/2023", 4), …] as meetings.views.home.meetings_per_quarter gives.
    """
    from meetings.models.meetings import ROMAN_QUARTERS

    numbers = {roman: n for n, roman in ROMAN_QUARTERS.items()}
    counts: dict[tuple[int, int], int] = {}
    for label, value in per_quarter or ():
        roman, _sep, year = str(label).partition("/")
        if roman in numbers and year.isdigit():
            counts[(int(year), numbers[roman])] = int(value)
    if not counts:
        return ""
    years = list(range(min(y for y, _ in counts), max(y for y, _ in counts) + 1))
    top = max(counts.values()) or 1
    width = QUARTER_LABEL_W + 4 * QUARTER_CELL_W
    height = QUARTER_HEAD_H + len(years) * QUARTER_CELL_H
    n = next(_ids)
    title_id, desc_id = f"grid-{n}-title", f"grid-{n}-desc"
    parts = [
        format_html(
            '<text class="head" x="{}" y="{}" text-anchor="middle">{}</text>',
            QUARTER_LABEL_W + (q - 0.5) * QUARTER_CELL_W,
            QUARTER_HEAD_H - 8,
            _("Q%(q)s") % {"q": ROMAN_QUARTERS[q]},
        )
        for q in range(1, 5)
    ]
    for row, year in enumerate(years):
        y = QUARTER_HEAD_H + row * QUARTER_CELL_H
        parts.append(
            format_html(
                '<text class="year" x="{}" y="{}" text-anchor="end">{}</text>',
                QUARTER_LABEL_W - 8,
                y + QUARTER_CELL_H / 2 + 5,
                year,
            )
        )
        for q in range(1, 5):
            value = counts.get((year, q), 0)
            level = 0 if value == 0 else 1 + min(3, int(3 * value / top))
            x = QUARTER_LABEL_W + (q - 1) * QUARTER_CELL_W
            parts.append(
                format_html(
                    '<g class="cell level-{}"><title>{}/{}: {}</title>'
                    '<rect x="{}" y="{}" width="{}" height="{}" rx="3"></rect>'
                    '<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
                    level,
                    ROMAN_QUARTERS[q],
                    year,
                    format_number(value),
                    x + 2,
                    y + 2,
                    QUARTER_CELL_W - 4,
                    QUARTER_CELL_H - 4,
                    x + QUARTER_CELL_W / 2,
                    y + QUARTER_CELL_H / 2 + 5,
                    format_number(value) if value else "",
                )
            )
    description = "; ".join(
        f"{ROMAN_QUARTERS[q]}/{y}: {format_number(n)}" for (y, q), n in sorted(counts.items())
    )
    return format_html(
        '<svg class="quarter-grid" viewBox="0 0 {} {}" width="{}" role="img" '
        'aria-labelledby="{} {}"><title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        width,
        height,
        width,
        title_id,
        desc_id,
        title_id,
        title,
        desc_id,
        description,
        mark_safe("".join(parts)),  # each part built with format_html above
    )
