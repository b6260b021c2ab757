#!/usr/bin/env python3
"""Draws throughput.svg from a perf/compare-jms-with-artemis.sh output directory: per jmsbench workload, the
messages/s sent and received by Tributary and by Artemis as bars (log axis), each pair labelled with the ratio
Tributary / Artemis. Standard library only.

    perf/jms-compare-chart.py OUT_DIR
"""
import csv
import math
import os
import sys


def rows(out, name):
    path = os.path.join(out, name, "summary.tsv")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        lines = [line for line in f if not line.startswith("#")]
    return {r["id"]: r for r in csv.DictReader(lines, delimiter="\t")}


def number(row, column):
    try:
        return float(row.get(column, ""))
    except ValueError:
        return 0.0


def main(out):
    trib, art = rows(out, "tributary"), rows(out, "artemis")
    ids = [i for i in sorted(set(trib) | set(art)) if not i.endswith("-raw")]
    figures = [("send_msg_s", "sent"), ("recv_msg_s", "received")]
    bar, gap, group_gap = 16, 4, 36
    left, top, height = 70, 40, 260
    width = left + len(ids) * (len(figures) * (2 * bar + gap + 14) + group_gap) + 20
    top_value = max([number(r, c) for r in list(trib.values()) + list(art.values()) for c, _ in figures] + [10])
    decades = math.ceil(math.log10(top_value))

    def y(v):
        return top + height - (height * math.log10(max(v, 1)) / decades)

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 70}" '
           f'font-family="sans-serif" font-size="11">',
           f'<text x="{left}" y="20" font-size="13">jmsbench messages/s, Tributary (blue) and Artemis (grey); '
           f'label: Tributary / Artemis</text>']
    for d in range(decades + 1):
        yy = y(10 ** d)
        svg.append(f'<line x1="{left}" x2="{width - 10}" y1="{yy:.1f}" y2="{yy:.1f}" stroke="#ddd"/>')
        svg.append(f'<text x="{left - 6}" y="{yy + 4:.1f}" text-anchor="end">{10 ** d:,}</text>')
    x = left + 10
    for wid in ids:
        start = x
        for column, label in figures:
            t, a = number(trib.get(wid, {}), column), number(art.get(wid, {}), column)
            for value, colour in ((t, "#2b6cb0"), (a, "#999")):
                if value > 0:
                    svg.append(f'<rect x="{x}" y="{y(value):.1f}" width="{bar}" height="{top + height - y(value):.1f}" '
                               f'fill="{colour}"/>')
                x += bar
            ratio = f"{t / a:.2f}" if a > 0 and t > 0 else "-"
            svg.append(f'<text x="{x - bar}" y="{top + height + 14}" text-anchor="middle">{label}</text>')
            svg.append(f'<text x="{x - bar}" y="{top + height + 28}" text-anchor="middle">{ratio}</text>')
            x += gap + 14
        svg.append(f'<text x="{(start + x) / 2:.0f}" y="{top + height + 46}" text-anchor="middle" '
                   f'font-weight="bold">{wid}</text>')
        x += group_gap
    svg.append("</svg>")
    with open(os.path.join(out, "throughput.svg"), "w") as f:
        f.write("\n".join(svg) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
