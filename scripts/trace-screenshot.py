#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Render a window of an `ndisrt run --trace` file to a PNG, laid out as
Perfetto shows it: per vCPU its slices (ISR, DPC, sync, spin-wait; nested
ones below their parent) and its IRQL counter, the interrupt-request tracks,
each NIC's interrupt output, and the request -> ISR -> DPC arrows.
This made docs/trace.png (the command is in docs/trace.md).

usage: trace-screenshot.py TRACE OUT.png [--at-us T] [--window-us W]
  without --at-us: the window starts a little before the first request
  whose ISR queued a DPC that ran on another vCPU (or on the same one).
Needs python3-matplotlib (Debian).
"""
import json
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402

COLOURS = {"isr": "#d9534f", "dpc": "#428bca", "sync": "#5cb85c", "spin": "#f0ad4e",
           "irq": "#777777"}


def main():
    args = sys.argv[1:]
    if len(args) < 2:
        print(__doc__, file=sys.stderr)
        return 64
    src, out = args[0], args[1]
    at = None
    width = 60.0
    i = 2
    while i < len(args):
        if args[i] == "--at-us":
            at = float(args[i + 1])
        elif args[i] == "--window-us":
            width = float(args[i + 1])
        else:
            print("trace-screenshot: unknown option " + args[i], file=sys.stderr)
            return 64
        i += 2
    evs = json.load(open(src))["traceEvents"]
    names = {}
    slices = defaultdict(list)
    counters = defaultdict(list)
    instants = defaultdict(list)
    flows = defaultdict(dict)
    for e in evs:
        ph = e["ph"]
        if ph == "M" and e["name"] == "thread_name":
            names[e["tid"]] = e["args"]["name"]
        elif ph == "X":
            slices[e["tid"]].append((float(e["ts"]), float(e["dur"]), e["cat"], e["name"]))
        elif ph == "C":
            counters[e["tid"]].append((float(e["ts"]), e["args"]["irql"]))
        elif ph == "i":
            instants[e["tid"]].append((float(e["ts"]), e["name"]))
        elif ph in "sf":
            flows[(e["cat"], e["id"])][ph] = (float(e["ts"]), e["tid"])
    if at is None:
        # The busiest window: most vCPUs with slices, then most arrows.
        reqs = sorted(st[0] for (cat, fid), st in
                      ((k, v["s"]) for k, v in flows.items() if "s" in v and "f" in v)
                      if cat == "irq")
        vcpu_slices = [(s[0], tid) for tid, sl in slices.items() if tid < 1000 for s in sl]
        vcpu_slices.sort()
        starts = [r - 3.0 for r in reqs[:: max(1, len(reqs) // 3000)]]
        best = None
        import bisect
        keys = [v[0] for v in vcpu_slices]
        for st in starts:
            a = bisect.bisect_left(keys, st)
            b = bisect.bisect_right(keys, st + width)
            tids = {vcpu_slices[k][1] for k in range(a, b)}
            nreq = bisect.bisect_right(reqs, st + width) - bisect.bisect_left(reqs, st)
            score = (len(tids), min(nreq, 6), b - a)
            if best is None or score > best[0]:
                best = (score, st)
        at = best[1] if best else min(s[0] for sl in slices.values() for s in sl)
    lo, hi = at, at + width

    vcpus = sorted(t for t in names if t < 1000)
    rows = []  # (label, tid, kind)
    for v in vcpus:
        rows.append((names[v], v, "slices"))
        rows.append(("IRQL " + names[v], v, "irql"))
        if any(lo <= s[0] <= hi for s in slices.get(1000 + v, [])):
            rows.append((names[1000 + v], 1000 + v, "slices"))
    host = 1000 + len(vcpus)
    if host in names:
        rows.append((names[host], host, "slices"))
    for tid in sorted(t for t in names if t >= 2000):
        rows.append((names[tid], tid, "instants"))

    fig, ax = plt.subplots(figsize=(13, 0.62 * len(rows) + 1.4), dpi=110)
    y_of = {}
    ytop = {}
    for n, (label, tid, kind) in enumerate(rows):
        y = len(rows) - 1 - n
        if kind == "slices":
            y_of[tid] = y
        ytop[(tid, kind)] = y
        ax.axhspan(y - 0.5, y + 0.5, color="#f4f4f4" if n % 2 else "white", zorder=0)
    for (tid, kind), y in ytop.items():
        if kind == "slices":
            sl = sorted(slices.get(tid, []), key=lambda s: (s[0], -s[1]))
            stack = []
            for ts, dur, cat, name in sl:
                while stack and stack[-1] <= ts:
                    stack.pop()
                depth = len(stack)
                stack.append(ts + dur)
                if ts + dur < lo or ts > hi:
                    continue
                if cat == "irq":  # a request: 2 ns, drawn as a marker
                    ax.plot([ts], [y], marker="v", color=COLOURS["irq"], ms=7, zorder=3)
                    continue
                h = 0.7 / (1 + 0.6 * depth)
                y0 = y + 0.35 - 0.7 * sum(1 / (1 + 0.6 * d) for d in range(depth)) * 0.55 - h
                ax.add_patch(Rectangle((max(ts, lo), y0), min(ts + dur, hi) - max(ts, lo), h,
                                       color=COLOURS.get(cat, "#999999"), zorder=2, lw=0))
                if min(ts + dur, hi) - max(ts, lo) > width / 25:
                    ax.text(max(ts, lo) + width / 400, y0 + h / 2, name, fontsize=7,
                            va="center", color="white", zorder=3, clip_on=True)
        elif kind == "irql":
            pts = sorted(counters.get(tid, []))
            xs, ys = [], []
            last = None
            for ts, v in pts:
                if ts < lo:
                    last = v
                    continue
                if ts > hi:
                    break
                if last is not None:
                    xs.append(ts)
                    ys.append(last)
                xs.append(ts)
                ys.append(v)
                last = v
            if last is not None:
                xs.append(hi)
                ys.append(last)
            if xs:
                top = 15.0
                ax.plot(xs, [y - 0.4 + 0.8 * v / top for v in ys], color="#6f42c1", lw=1.2,
                        zorder=2, drawstyle="default")
                for v in (0, 2):
                    ax.text(lo - width / 200, y - 0.4 + 0.8 * v / top, str(v), fontsize=6,
                            ha="right", va="center", color="#6f42c1")
        else:
            for ts, name in instants.get(tid, []):
                if lo <= ts <= hi:
                    ax.plot([ts, ts], [y - 0.3, y + 0.3], color="#333333", lw=1, zorder=2)
                    ax.text(ts + width / 500, y + 0.12, name, fontsize=6, rotation=0,
                            zorder=3, clip_on=True)
    for (cat, fid), ends in flows.items():
        if "s" not in ends or "f" not in ends:
            continue
        (ts, st), (tf, ft) = ends["s"], ends["f"]
        if not (lo <= ts <= hi and lo <= tf <= hi) or st not in y_of or ft not in y_of:
            continue
        ax.add_patch(FancyArrowPatch((ts, y_of[st]), (tf, y_of[ft]), arrowstyle="-|>",
                                     mutation_scale=9, color="#222222", lw=0.8, zorder=4,
                                     connectionstyle="arc3,rad=-0.15"))
    ax.set_xlim(lo - width / 40, hi)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_yticks([len(rows) - 1 - n for n in range(len(rows))])
    ax.set_yticklabels([r[0] for r in rows], fontsize=8)
    ticks = [lo + width * k / 6 for k in range(7)]
    ax.set_xticks(ticks)
    ax.set_xticklabels(["+%.0f µs" % (t - lo) for t in ticks], fontsize=8)
    ax.xaxis.set_ticks_position("top")
    ax.set_title("ndisrt run --trace: %.0f µs of %s (engine clock from %.3f µs)"
                 % (width, src.split("/")[-1], lo), fontsize=9)
    handles = [Rectangle((0, 0), 1, 1, color=c) for c in COLOURS.values()]
    ax.legend(handles, ["ISR", "DPC", "sync routine", "spin-wait", "interrupt request"],
              fontsize=7, loc="upper center", ncol=5, bbox_to_anchor=(0.5, -0.05), frameon=False)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    fig.tight_layout()
    fig.savefig(out)
    print("trace-screenshot: wrote %s (%.3f..%.3f µs)" % (out, lo, hi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
