#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check an `ndisrt run --trace` file (docs/trace.md): valid Chrome
trace-event JSON whose slices nest properly on each vCPU and whose flow
arrows have both ends, each bound inside a slice of its track.

usage: trace_check.py TRACE [--max-bytes N] [--min-isrs N] [--require CAT]...
  --require sync|spin: at least one slice of that category
Prints one line per failure and exits 1; prints a summary and exits 0.
"""
import json
import os
import sys
from collections import defaultdict

REQ_TID, DEV_TID = 1000, 2000


def ns(us):
    return round(float(us) * 1000)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 64
    path = args[0]
    max_bytes = None
    min_isrs = 1
    require = []
    i = 1
    while i < len(args):
        if args[i] == "--max-bytes":
            max_bytes = int(args[i + 1])
            i += 2
        elif args[i] == "--require":
            require.append(args[i + 1])
            i += 2
        elif args[i] == "--min-isrs":
            min_isrs = int(args[i + 1])
            i += 2
        else:
            print("trace_check: unknown option " + args[i], file=sys.stderr)
            return 64
    fails = []
    size = os.path.getsize(path)
    if max_bytes is not None and size > max_bytes:
        fails.append("size %d bytes is over the bound %d" % (size, max_bytes))
    with open(path) as f:
        doc = json.load(f)  # raises on invalid JSON: the test fails
    evs = doc["traceEvents"]

    slices = defaultdict(list)  # tid -> [(start, end, cat, args)]
    be = defaultdict(int)
    flows = defaultdict(dict)  # (cat, id) -> {"s": ev, "f": ev}
    counters = 0
    device = 0
    for e in evs:
        ph = e["ph"]
        if e.get("pid") != 1:
            fails.append("event outside pid 1: %r" % e)
        if ph == "X":
            s = ns(e["ts"])
            slices[e["tid"]].append((s, s + ns(e["dur"]), e["cat"], e.get("args", {}), e["name"]))
        elif ph == "B":
            be[e["tid"]] += 1
        elif ph == "E":
            be[e["tid"]] -= 1
        elif ph in ("s", "f"):
            key = (e["cat"], e["id"])
            if ph in flows[key]:
                fails.append("flow %s %s has two '%s' ends" % (e["cat"], e["id"], ph))
            flows[key][ph] = e
        elif ph == "C":
            counters += 1
            if not e["name"].startswith("IRQL vCPU "):
                fails.append("unexpected counter %r" % e["name"])
        elif ph == "i":
            device += 1
        elif ph != "M":
            fails.append("unexpected phase %r" % ph)
    for tid, n in be.items():
        if n:
            fails.append("tid %d: B/E unbalanced by %d" % (tid, n))

    counts = defaultdict(int)
    for tid, sl in slices.items():
        # Longer first at the same start: the enclosing slice opens first.
        sl.sort(key=lambda x: (x[0], -(x[1] - x[0])))
        stack = []
        for s, t, cat, a, name in sl:
            counts[cat] += 1
            while stack and stack[-1][1] <= s and not (stack[-1][0] == s == t):
                stack.pop()
            if stack:
                ps, pt, pcat, pa, pname = stack[-1]
                if t > pt:
                    fails.append("tid %d: %s [%d, %d] overlaps %s [%d, %d] without nesting"
                                 % (tid, name, s, t, pname, ps, pt))
                if tid < REQ_TID:
                    outer = [c for c in stack]
                    for os_, ot, ocat, oa, oname in outer:
                        if cat == "dpc" and ocat in ("isr", "sync"):
                            fails.append("vCPU %d: DPC %s at %d inside %s %s"
                                         % (tid, name, s, ocat, oname))
                        if cat == "isr" and ocat == "isr" and a["irql"] <= oa["irql"]:
                            fails.append("vCPU %d: ISR %s (IRQL %d) at %d inside ISR %s at "
                                         "the same or a higher IRQL (%d)"
                                         % (tid, name, a["irql"], s, oname, oa["irql"]))
            stack.append((s, t, cat, a, name))

    def inside(tid, ts, cats):
        return any(s <= ts <= t and c in cats for s, t, c, a, n in slices.get(tid, []))

    nflows = defaultdict(int)
    for (cat, fid), ends in flows.items():
        if "s" not in ends or "f" not in ends:
            fails.append("flow %s %s has only its '%s' end" % (cat, fid, "".join(ends)))
            continue
        s, f = ends["s"], ends["f"]
        nflows[cat] += 1
        if f.get("bp") != "e":
            fails.append("flow %s %s: finish not bound to its enclosing slice" % (cat, fid))
        want_s = ("irq",) if cat == "irq" else ("isr",)
        want_f = ("isr",) if cat == "irq" else ("dpc",)
        if not inside(s["tid"], ns(s["ts"]), want_s):
            fails.append("flow %s %s starts outside a %s slice" % (cat, fid, want_s[0]))
        if not inside(f["tid"], ns(f["ts"]), want_f):
            fails.append("flow %s %s ends outside a %s slice" % (cat, fid, want_f[0]))
        if ns(f["ts"]) + 1000 < ns(s["ts"]):
            fails.append("flow %s %s goes back in time" % (cat, fid))

    if counts["isr"] < min_isrs:
        fails.append("only %d ISR slices (want at least %d)" % (counts["isr"], min_isrs))
    for what, n in (("DPC slices", counts["dpc"]), ("request slices", counts["irq"]),
                    ("IRQL counter events", counters), ("device events", device),
                    ("request->ISR flows", nflows["irq"]), ("ISR->DPC flows", nflows["dpc"])):
        if n == 0:
            fails.append("no %s" % what)
    for cat in require:
        if counts[cat] == 0:
            fails.append("no %s slices" % cat)
    for msg in fails[:20]:
        print("trace_check: " + msg)
    if fails:
        print("trace_check: %d failure(s) in %s" % (len(fails), path))
        return 1
    print("trace_check: %s: %d bytes, %d events: %d ISR, %d DPC, %d sync, %d spin-wait slices, "
          "%d requests, %d IRQL samples, %d device events, %d+%d flows; nesting OK"
          % (path, size, len(evs), counts["isr"], counts["dpc"], counts["sync"], counts["spin"],
             counts["irq"], counters, device, nflows["irq"], nflows["dpc"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
