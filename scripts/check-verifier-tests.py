#!/usr/bin/env python3
"""Audit: every line of verifier/violations.def has a test that expects its
report and a false-positive guard, as docs/verifier.md's table "Report tests
and guards" says (issue 11).

For each violation the table names one or more report tests and guards:
`suite::test` (a Criterion Test() under tests/) or `tests/...sh` (a CLI
test). The check fails when
  - a violation has no row, or a row names no violation of the table;
  - a named test does not exist;
  - a report test does not mention the violation (NDISRT_VIOLATION_<NAME>,
    or its bug check with its parameter 1; a CLI test: parameter 1 or the
    name);
  - a guard is a Criterion test that expects a bug check or a signal.
A row may say `gap: <why>` instead of a report test: it is listed on stdout
and allowed (the report names what is missing), so a gap is visible, never
silent.

usage: check-verifier-tests.py [ROOT]   exit 0 when all hold, 1 otherwise.
"""
import glob
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
os.chdir(root)
errors = []


def fail(msg):
    errors.append(msg)


src = open("verifier/violations.def").read()
viol = {}
for name, bc, p1 in re.findall(r"^VIOLATION\((\w+),\s*(\w+),\s*(0x[0-9A-Fa-f]+)", src, re.M):
    viol[name] = (bc, int(p1, 16))

# Every Criterion test: "suite::name" -> (its Test() line and body, up to the next Test()).
tests = {}
for f in sorted(glob.glob("tests/**/*.c", recursive=True)):
    txt = open(f, errors="replace").read()
    ms = list(re.finditer(r"\bTest\(\s*(\w+),\s*(\w+)([^{]*)\{", txt))
    for k, m in enumerate(ms):
        end = ms[k + 1].start() if k + 1 < len(ms) else len(txt)
        tests[m.group(1) + "::" + m.group(2)] = (m.group(3), txt[m.start():end])

doc = open("docs/verifier.md").read()
sec = re.search(r"^## Report tests and guards\n(.*?)(?=^## )", doc, re.M | re.S)
if not sec:
    print("check-verifier-tests: docs/verifier.md has no '## Report tests and guards'")
    sys.exit(1)
rows = {}
for line in sec.group(1).splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) != 4 or not cells[0].startswith("`"):
        continue
    name = cells[0].strip("`")
    if name in rows:
        fail(f"{name}: two rows")
    rows[name] = (cells[2], cells[3])

gaps = []
for name in viol:
    if name not in rows:
        fail(f"{name} (verifier/violations.def) has no row in the table")
for name, (report, guard) in rows.items():
    if name not in viol:
        fail(f"row {name}: not a line of verifier/violations.def")
        continue
    bc, p1 = viol[name]
    reps = [] if report.startswith("gap:") else re.findall(r"`([^`]+)`", report)
    if report.startswith("gap:"):
        gaps.append(f"{name}: {report}")
    elif not reps:
        fail(f"{name}: no report test")
    for r in reps:
        if r.startswith("tests/"):
            if not os.path.isfile(r):
                fail(f"{name}: {r} does not exist")
                continue
            body = open(r).read()
            if not re.search(rf"0x0*{p1:X}\b|\b{name}\b", body, re.I):
                fail(f"{name}: {r} never mentions 0x{p1:X} or {name}")
            continue
        if r not in tests:
            fail(f"{name}: test {r} is not in tests/")
            continue
        body = tests[r][1]
        mentions = f"NDISRT_VIOLATION_{name}" in body
        # Or the bug check itself, parameter 1 written as a number (hex or decimal).
        for m in re.finditer(rf"expect_bugcheck\(\s*KE_BUGCHECK_{bc}\s*,\s*\w+\s*,\s*(\w+)", body):
            try:
                mentions = mentions or int(m.group(1), 0) == p1
            except ValueError:
                pass
        if not mentions:
            fail(f"{name}: report test {r} expects neither NDISRT_VIOLATION_{name} "
                 f"nor KE_BUGCHECK_{bc} with 0x{p1:X}")
    guards = re.findall(r"`([^`]+)`", guard)
    if not guards:
        fail(f"{name}: no guard")
    for g in guards:
        if g.startswith("tests/"):
            if not os.path.isfile(g):
                fail(f"{name}: guard {g} does not exist")
            continue
        if g not in tests:
            fail(f"{name}: guard {g} is not in tests/")
            continue
        attrs = tests[g][0]
        if "KE_BUGCHECK_EXIT_STATUS" in attrs or ".signal" in attrs:
            fail(f"{name}: guard {g} expects a bug check: it is no guard")
        if g in reps:
            fail(f"{name}: {g} is both the report test and the guard")

for g in gaps:
    print("gap (named in the table):", g)
for e in errors:
    print("check-verifier-tests:", e)
if errors:
    sys.exit(1)
print(f"verifier tests: ok ({len(viol)} violations, each with its report test and a guard"
      f"{'; ' + str(len(gaps)) + ' gap(s) named' if gaps else ''})")
