"""Line charts drawn on the server as inline SVG: no chart library runs in the browser.

The SVG is decorative for assistive technology only in part: it carries a title and a
description (the text alternative); the page shows the same data as a table.
"""

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 14, 36
DASHES = ["", "6 4", "2 3"]
MARKS = ["circle", "square", "diamond"]


def _nice_range(values, target=None):
    low, high = min(values), max(values)
    if target is not None:
        low, high = min(low, target), max(high, target)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return low - pad, high + pad


def _mark(kind, x, y):
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"/>'
    if kind == "diamond":
        return (f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y:.1f} L{x:.1f} {y + 5:.1f} '
                f'L{x - 5:.1f} {y:.1f} Z"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4"/>'


def line_chart(series, title, description, fmt=str, date_fmt=None, target=None,
               target_label=""):
    """SVG markup for one or more series [(label, [(date, value)])] sharing a y axis.

    `fmt` formats values and `date_fmt` dates for the axis labels; `title` and
    `description` become the chart's accessible name and description.
    """
    points = [p for _label, pts in series for p in pts]
    if not points:
        return Markup("")
    date_fmt = date_fmt or (lambda d: d.isoformat())
    days = [p[0] for p in points]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    low, high = _nice_range([p[1] for p in points], target)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(day):
        return LEFT + plot_w * ((day - first).days / span if last != first else 0.5)

    def y_of(value):
        return TOP + plot_h * (1 - (value - low) / (high - low))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
           f'role="img" aria-labelledby="chart-title chart-desc" focusable="false">',
           f'<title id="chart-title">{escape(title)}</title>',
           f'<desc id="chart-desc">{escape(description)}</desc>',
           '<g aria-hidden="true" font-size="15">']
    for i in range(5):  # horizontal grid with value labels
        value = low + (high - low) * i / 4
        y = y_of(value)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="currentColor" stroke-opacity="0.25"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                   f'{escape(fmt(value))}</text>')
    for day, anchor in ((first, "start"), (last, "end")):
        out.append(f'<text x="{x_of(day):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
                   f'{escape(date_fmt(day))}</text>')
    if target is not None:
        y = y_of(target)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                   f'stroke="currentColor" stroke-width="2" stroke-dasharray="10 6"/>')
        out.append(f'<text x="{WIDTH - RIGHT}" y="{y - 6:.1f}" text-anchor="end">'
                   f'{escape(target_label)}</text>')
    for index, (_label, pts) in enumerate(series):
        pts = sorted(pts)
        dash = DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="currentColor" '
                   f'stroke-width="2"{dash_attr}/>')
        out.append('<g fill="currentColor">' + "".join(
            _mark(MARKS[index % len(MARKS)], x_of(d), y_of(v)) for d, v in pts) + "</g>")
    out.append("</g></svg>")
    return Markup("".join(out))


def describe(points, fmt, date_fmt, unit):
    """A one-sentence-per-fact summary of a series for the text alternative (French msgids)."""
    if not points:
        return _("Aucune mesure.")
    pts = sorted(points)
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

