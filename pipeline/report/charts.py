"""Static SVG charts for the HTML report: no JavaScript, no CDN, nothing fetched when opened."""
from __future__ import annotations

from html import escape
from typing import Sequence

import numpy as np

from vntopics.pipeline.report.language import ENGLISH, Language

LEGEND_CHAR_PX = 6.6   # widest average glyph of an 11 px legend label (Vietnamese included)
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22")


def heatmap(row_labels: Sequence[str], column_labels: Sequence[str], values: np.ndarray,
            title: str, *, cell: int = 34, lang: Language = ENGLISH,
            pale_rows: Sequence[bool] = ()) -> str:
    """Rows × columns coloured by value (white → deep blue), the value in % in each cell;
    `pale_rows` (groups below compare.min_group_docs) greyed out, label included."""
    values = np.asarray(values, dtype=float)
    left, top = 170, 40
    width = left + cell * len(column_labels) + 10
    height = top + cell * len(row_labels) + 10
    peak = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
    parts = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<title>{escape(title)}</title>']
    for j, label in enumerate(column_labels):
        x = left + j * cell + cell / 2
        parts.append(f'<text x="{x:.0f}" y="{top - 8}" text-anchor="middle" '
                     f'font-size="11">{escape(str(label))}</text>')
    for i, label in enumerate(row_labels):
        y = top + i * cell
        pale = i < len(pale_rows) and pale_rows[i]
        if pale:
            parts.append('<g class="low-support" opacity="0.45">')
        parts.append(f'<text x="{left - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end" '
                     f'font-size="12" fill="{"#666" if pale else "#000"}">'
                     f'{escape(str(label))}</text>')
        for j in range(len(column_labels)):
            value = values[i, j]
            share = 0.0 if not peak or np.isnan(value) else value / peak
            fill = f"rgb({int(255 - 225 * share)},{int(255 - 170 * share)},{int(255 - 75 * share)})"
            ink = "#fff" if share > 0.6 else "#222"
            parts.append(f'<rect x="{left + j * cell}" y="{y}" width="{cell - 2}" '
                         f'height="{cell - 2}" fill="{fill}"><title>{escape(str(label))}, '
                         f'{escape(str(column_labels[j]))}: '
                         f'{"–" if np.isnan(value) else lang.number(value, 3)}</title></rect>')
            parts.append(f'<text x="{left + j * cell + cell / 2 - 1:.0f}" '
                         f'y="{y + cell / 2 + 3:.0f}" text-anchor="middle" font-size="9" '
                         f'fill="{ink}">{"–" if np.isnan(value) else f"{value * 100:.0f}"}'
                         '</text>')
        if pale:
            parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def interval_lines(x_labels: Sequence[str], series: dict[str, tuple[np.ndarray, np.ndarray,
                   np.ndarray]], title: str, *, width: int = 640, height: int = 300,
                   lang: Language = ENGLISH, small_groups: Sequence[int | None] = ()) -> str:
    """One line per series over categorical x, with a shaded band for its interval.

    `small_groups`: per x, the group's number of documents when it is below
    compare.min_group_docs (else None). Such a group is left out of the line and the band
    and drawn as a hollow point with its interval as a whisker, "n = …" under its label:
    never as a confident point."""
    small = {i: n for i, n in enumerate(small_groups) if n is not None}
    left, right, top, bottom = 50, 170, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    # the legend (series names at the right) gets the room its longest name needs
    right = max(right, int(LEGEND_CHAR_PX * max(map(len, series), default=0)) + 16)
    width = left + plot_w + right
    highs = [np.nanmax(h) for _, _, h in series.values() if np.isfinite(h).any()]
    ymax = max(highs + [1e-9]) * 1.1
    n = len(x_labels)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n if n else 0)

    def py(v: float) -> float:
        return top + plot_h * (1 - v / ymax)

    parts = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<title>{escape(title)}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
             f'stroke="#444"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>']
    for tick in np.linspace(0, ymax, 5):
        parts.append(f'<text x="{left - 4}" y="{py(tick) + 4:.0f}" text-anchor="end" '
                     f'font-size="10">{lang.number(tick, 2)}</text>')
    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{px(i):.0f}" y="{top + plot_h + 16}" text-anchor="middle" '
                     f'font-size="11" fill="{"#888" if i in small else "#000"}">'
                     f'{escape(str(label))}</text>')
        if i in small:
            parts.append(f'<text class="low-support" x="{px(i):.0f}" y="{top + plot_h + 29}" '
                         f'text-anchor="middle" font-size="10" fill="#888">'
                         f'{escape(lang("format.n_equals", n=lang.count(small[i])))}</text>')
    for index, (name, (mid, low, high)) in enumerate(series.items()):
        colour = PALETTE[index % len(PALETTE)]
        finite = [i for i in range(len(mid)) if np.isfinite([mid[i], low[i], high[i]]).all()]
        known = [i for i in finite if i not in small]
        for i in (i for i in finite if i in small):
            parts.append(f'<line x1="{px(i):.1f}" x2="{px(i):.1f}" y1="{py(low[i]):.1f}" '
                         f'y2="{py(high[i]):.1f}" stroke="{colour}" stroke-opacity="0.35"/>'
                         f'<circle class="low-support" cx="{px(i):.1f}" cy="{py(mid[i]):.1f}" '
                         f'r="3" fill="#fff" stroke="{colour}"/>')
        band = [f"{px(i):.1f},{py(high[i]):.1f}" for i in known]
        band += [f"{px(i):.1f},{py(low[i]):.1f}" for i in reversed(known)]
        if band:   # a missing value (NaN) is left out, never drawn as "nan"
            parts.append(f'<polygon points="{" ".join(band)}" fill="{colour}" '
                         f'opacity="0.12"/>')
        line = " ".join(f"{px(i):.1f},{py(mid[i]):.1f}" for i in known)
        if line:
            parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" '
                         f'stroke-width="2"/>')
        parts.append(f'<text x="{left + plot_w + 8}" y="{top + 12 + 14 * index}" '
                     f'font-size="11" fill="{colour}">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def small_multiples(x_labels: Sequence[str], panels: dict[str, dict[str, np.ndarray]],
                    title: str, *, columns: int = 3, panel_w: int = 230, panel_h: int = 140,
                    lang: Language = ENGLISH) -> str:
    """One small line chart per panel (e.g. per province), same series, same y scale, so the
    panels can be compared at a glance; a missing value (NaN) breaks the line."""
    names = list(dict.fromkeys(name for series in panels.values() for name in series))
    peaks = [np.nanmax(v) for series in panels.values() for v in series.values()
             if np.isfinite(v).any()]
    ymax = max(peaks + [1e-9]) * 1.1
    rows = -(-len(panels) // columns)
    legend_h = 16 * len(names) + 10
    width, height = columns * panel_w, rows * panel_h + legend_h
    n = len(x_labels)
    pad_l, pad_r, pad_t, pad_b = 34, 8, 18, 20
    plot_w, plot_h = panel_w - pad_l - pad_r, panel_h - pad_t - pad_b
    parts = [f'<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<title>{escape(title)}</title>']
    for index, (panel, series) in enumerate(panels.items()):
        ox, oy = (index % columns) * panel_w + pad_l, (index // columns) * panel_h + pad_t

        def px(i: int) -> float:
            return ox + (plot_w * (i + 0.5) / n if n else 0)

        def py(v: float) -> float:
            return oy + plot_h * (1 - v / ymax)

        parts.append(f'<text x="{ox}" y="{oy - 5}" font-size="11" font-weight="bold">'
                     f'{escape(str(panel))}</text>')
        parts.append(f'<rect x="{ox}" y="{oy}" width="{plot_w}" height="{plot_h}" '
                     f'fill="none" stroke="#bbb"/>')
        parts.append(f'<text x="{ox - 3}" y="{oy + 8}" text-anchor="end" font-size="8">'
                     f'{lang.number(ymax, 2)}</text>')
        for i, label in enumerate(x_labels):
            parts.append(f'<text x="{px(i):.0f}" y="{oy + plot_h + 12}" text-anchor="middle" '
                         f'font-size="8">{escape(str(label))}</text>')
        for name, values in series.items():
            colour = PALETTE[names.index(name) % len(PALETTE)]
            segment: list[str] = []
            for i, value in enumerate(list(values) + [np.nan]):
                if np.isfinite(value):
                    segment.append(f"{px(i):.1f},{py(value):.1f}")
                    continue
                if len(segment) == 1:
                    x, y = segment[0].split(",")
                    parts.append(f'<circle cx="{x}" cy="{y}" r="2" fill="{colour}"/>')
                elif segment:
                    parts.append(f'<polyline points="{" ".join(segment)}" fill="none" '
                                 f'stroke="{colour}" stroke-width="1.5"/>')
                segment = []
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        y = rows * panel_h + 14 + 16 * index
        parts.append(f'<rect x="10" y="{y - 9}" width="12" height="4" fill="{colour}"/>'
                     f'<text x="28" y="{y - 3}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)
