"""Line charts drawn on the server: no chart library runs in the browser.

The lines are an inline SVG stretched over a plot whose height is in em; every text
(unit, values, dates, legend) is HTML beside it, so it grows with the reader's text size
and never shrinks with a narrow screen. Strokes and points keep their size whatever the
stretch (non-scaling strokes; a point is a zero-length line with a round or square cap).
The SVG carries a title and a description (the text alternative); the visible labels
are hidden from assistive technology, and the page shows the same data as a table.
"""

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

SIZE = 1000  # the SVG's viewBox is SIZE × SIZE, stretched over the plot
MARGIN_X, MARGIN_Y = 20, 50  # room for the points at the edges (0.05 of the height)
TICKS = 5  # value labels at 5 %, 27.5 %, 50 %, 72.5 % and 95 % of the height (app.css)
DASHES = ["", "12 6", "3 4"]
CAPS = ["round", "square"]


def _nice_range(values, target=None):
    low, high = min(values), max(values)
    if target is not None:
        low, high = min(low, target), max(high, target)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return low - pad, high + pad


def _line(x1, y1, x2, y2, width=2, dash="", cap="butt", opacity=None):
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    extra += f' stroke-opacity="{opacity}"' if opacity is not None else ""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
            f'stroke="currentColor" stroke-width="{width}" stroke-linecap="{cap}" '
            f'vector-effect="non-scaling-stroke"{extra}/>')


def _sample(dash="", cap=None):
    """A short line as drawn in the chart, for the legend."""
    mark = _line(12, 6, 12, 6, width=8, cap=cap) if cap else ""
    return Markup(f'<svg viewBox="0 0 24 12" width="24" height="12" focusable="false">'
                  f'{_line(0, 6, 24, 6, dash=dash)}{mark}</svg>')


def line_chart(series, title, description, fmt=str, date_fmt=None, target=None,
               target_label="", unit=""):
    """Markup of a chart of one or more series [(label, [(date, value)])] sharing a y axis
    in `unit`; `fmt` formats values and `date_fmt` dates; `target_label` names the target
    in the legend; `title` and `description` are the chart's accessible name and
    description."""
    points = [p for _label, pts in series for p in pts]
    if not points:
        return Markup("")
    date_fmt = date_fmt or (lambda d: d.isoformat())
    days = [p[0] for p in points]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    low, high = _nice_range([p[1] for p in points], target)

    def x_of(day):
        share = (day - first).days / span if last != first else 0.5
        return MARGIN_X + (SIZE - 2 * MARGIN_X) * share

    def y_of(value):
        return MARGIN_Y + (SIZE - 2 * MARGIN_Y) * (1 - (value - low) / (high - low))

    ticks = [fmt(low + (high - low) * i / (TICKS - 1)) for i in range(TICKS)]
    svg = [f'<svg class="chart__plot" xmlns="http://www.w3.org/2000/svg" '
           f'viewBox="0 0 {SIZE} {SIZE}" preserveAspectRatio="none" role="img" '
           f'aria-labelledby="chart-title chart-desc" focusable="false">',
           f'<title id="chart-title">{escape(title)}</title>',
           f'<desc id="chart-desc">{escape(description)}</desc>']
    for i in range(TICKS):
        y = y_of(low + (high - low) * i / (TICKS - 1))
        svg.append(_line(0, y, SIZE, y, width=1, opacity=0.25))
    legend = []
    if target is not None:
        y = y_of(target)
        svg.append(_line(0, y, SIZE, y, dash="10 6"))
        legend.append((_sample("10 6"), target_label))
    for index, (label, pts) in enumerate(series):
        pts = sorted(pts, key=lambda p: p[0])  # by day; a day's values stay in their order
        dash, cap = DASHES[index % len(DASHES)], CAPS[index % len(CAPS)]
        for (d1, v1), (d2, v2) in zip(pts, pts[1:], strict=False):
            svg.append(_line(x_of(d1), y_of(v1), x_of(d2), y_of(v2), dash=dash))
        svg.extend('<g class="chart__point">' + _line(x_of(d), y_of(v), x_of(d), y_of(v), 8,
                                                       cap=cap) + "</g>" for d, v in pts)
        if len(series) > 1:
            legend.insert(index, (_sample(dash, cap), label))
    svg.append("</svg>")
    html = ['<div class="chart__graph">']
    if legend:
        html.append('<p class="chart__legend" aria-hidden="true">' + "".join(
            f"<span>{sample} {escape(text)}</span>" for sample, text in legend) + "</p>")
    html.append(f'<span class="chart__unit" aria-hidden="true">{escape(unit)}</span>')
    html.append('<div class="chart__y" aria-hidden="true">'
                f'<span class="chart__sizer">{escape(max(ticks, key=len))}</span>' + "".join(
                    f'<span class="chart__tick chart__tick--{i}">{escape(t)}</span>'
                    for i, t in enumerate(ticks)) + "</div>")
    html.append("".join(svg))
    html.append(f'<div class="chart__x" aria-hidden="true"><span>{escape(date_fmt(first))}'
                f'</span><span>{escape(date_fmt(last))}</span></div></div>')
    return Markup("".join(html))


def describe(points, fmt, date_fmt, unit):
    """A one-sentence-per-fact summary of a series for the text alternative (French msgids)."""
    if not points:
        return _("Aucune mesure.")
    pts = sorted(points, key=lambda p: p[0])  # by day, a day's in their order (by time)
    values = [v for _d, v in pts]
    if len(pts) == 1:
        return _("Une mesure le %(day)s : %(value)s %(unit)s.", day=date_fmt(pts[0][0]),
                 value=fmt(values[0]), unit=unit)
    return ngettext("%(num)d mesure du %(first)s au %(last)s. Minimum %(min)s %(unit)s, "
                    "maximum %(max)s %(unit)s, dernière valeur %(latest)s %(unit)s.",
                    "%(num)d mesures du %(first)s au %(last)s. Minimum %(min)s %(unit)s, "
                    "maximum %(max)s %(unit)s, dernière valeur %(latest)s %(unit)s.",
                    len(pts), first=date_fmt(pts[0][0]), last=date_fmt(pts[-1][0]),
                    min=fmt(min(values)), max=fmt(max(values)), latest=fmt(values[-1]),
                    unit=unit)
