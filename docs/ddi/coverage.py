#!/usr/bin/env python3
"""docs/ddi/coverage.py - what <ndis.h> declares, checked against docs/ddi/names.tsv.

  coverage.py --check  SRC CC BINARY   fail (exit 1) when the headers declare a
                                       WDK name the table lacks, a declared
                                       structure has no layout test, or a
                                       declared function is neither defined in
                                       BINARY nor refused (docs/ddi/refused.tsv)
  coverage.py --write  SRC CC BINARY   also (re)write docs/ddi-coverage.md

SRC is the source tree, CC the C compiler, BINARY the linked ndisrt (its
defined symbols are what "implemented" means for a function). Names are
read from the preprocessed headers with Universal Ctags (declarations) and
from the compiler's macro dump (macros). Run by ctest (ddi_coverage).

Which declared names must have a row (docs/ddi/README.md):
  functions, structures, unions, enums and typedefs whose name starts with
  an upper-case letter; function-like macros whose name starts with an
  upper-case letter; OID_* and NDIS_STATUS_* constants. Lower-case names
  (ndis_*) are the runtime's halves of WDK macros, not WDK names.
"""
import os
import re
import subprocess
import sys
import tempfile

# What a miniport includes. Each is preprocessed as the runtime sees the
# headers (NDIS_WRAPPER: every version's declarations).
ENTRY_HEADERS = ["ndis.h"]
OPTIONAL_ENTRY_HEADERS = ["wdm.h", "ntddk.h", "ntdef.h", "ntddndis.h"]


def run(args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout


def read_table(path, ncols):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != ncols:
                sys.exit(f"{path}: expected {ncols} tab-separated columns: {line.strip()}")
            rows.append(cols)
    return rows


def declared_names(src, cc):
    inc = os.path.join(src, "include")
    headers = ENTRY_HEADERS + [h for h in OPTIONAL_ENTRY_HEADERS if os.path.exists(os.path.join(inc, h))]
    with tempfile.TemporaryDirectory() as tmp:
        c = os.path.join(tmp, "all.c")
        with open(c, "w") as f:
            f.write("#define NDIS_WRAPPER 1\n")
            for h in headers:
                f.write(f"#include <{h}>\n")
        flags = ["-std=c11", "-fms-extensions", "-I", inc]
        pre = run([cc, "-E", "-P"] + flags + [c])
        macros = run([cc, "-E", "-dM"] + flags + [c])
        builtin = run([cc, "-E", "-dM", "-std=c11", "-x", "c", os.devnull])
        i = os.path.join(tmp, "all.i")
        with open(i, "w") as f:
            f.write(pre)
        tags = run(["ctags", "-f", "-", "--fields=+tK", "--c-kinds=+p-m-e-v-l", "--language-force=C", i])
    # Only macros defined by ndisrt's headers, not by the compiler or libc.
    libc = set(re.findall(r"#define (\w+)", run([cc, "-E", "-dM", "-std=c11", "-include", "stddef.h",
                                                  "-include", "stdint.h", "-x", "c", os.devnull])))
    builtin_names = set(re.findall(r"#define (\w+)", builtin)) | libc
    kinds = {}        # name -> kind
    body_tags = set()  # struct/union tags declared with a body
    typeref = {}      # typedef name -> (struct|union|enum, tag)
    for line in tags.splitlines():
        cols = line.split("\t")
        if len(cols) < 4:
            continue
        name, kind = cols[0], cols[3]
        extra = cols[4:]
        pointer = re.search(r"\*\s*" + re.escape(name) + r"\b", cols[2]) is not None
        if kind in ("struct", "union"):
            if not name.startswith("__anon"):
                body_tags.add(name)
            continue
        if kind == "enum":
            continue
        if kind == "prototype":
            kinds[name] = "function"
        elif kind == "function":
            kinds[name] = "inline"  # defined in the header (static FORCEINLINE)
        elif kind == "typedef":
            kinds.setdefault(name, "type")
            for e in extra:
                m = re.match(r"typeref:(struct|union|enum):(\w+)", e)
                if m and not pointer:
                    typeref[name] = (m.group(1), m.group(2))
                    kinds[name] = m.group(1)
    # Pointer typedefs of role types: "typedef ROLE (*ROLE_HANDLER);"
    for m in re.finditer(r"typedef\s+\w+\s*\(\s*\*\s*(\w+)\s*\)\s*;", pre):
        kinds.setdefault(m.group(1), "type")
    for m in re.finditer(r"#define (\w+)(\(?)", macros):
        name, fn = m.group(1), m.group(2)
        if name in builtin_names or name.startswith("_") or name.endswith("__"):
            continue
        if fn and name[0].isupper():
            kinds[name] = "macro"
        elif re.match(r"^(OID_|NDIS_STATUS_)", name):
            kinds[name] = "constant"
    # NDISRT_*: ndisrt's own helpers behind WDK macros, not WDK names.
    wdk = {n: k for n, k in kinds.items() if n[0].isupper() and not n.startswith("NDISRT_")}
    layouts = {n: t for n, t in typeref.items()
               if t[0] in ("struct", "union") and t[1] in body_tags and not is_pointer_alias(n, typeref)}
    return wdk, layouts


def layout_tested(src):
    text = ""
    d = os.path.join(src, "tests", "ndis")
    for f in sorted(os.listdir(d)):
        if f.startswith("test_layout") and f.endswith(".c"):
            text += open(os.path.join(d, f)).read()
    return set(re.findall(r"\bSIZE\(\s*(\w+)\s*,", text))


def defined_symbols(binary):
    # The dynamic symbols: what a driver's imports can bind to (the binary
    # exports the DDI tables only), not whatever happens to be linked in.
    out = run(["nm", "-D", "--defined-only", binary])
    return {l.split()[-1] for l in out.splitlines() if len(l.split()) >= 3 and l.split()[1] in "TtWwi"}


def is_pointer_alias(name, known):
    """PFOO / PPFOO of a declared or listed FOO: documented on FOO's page."""
    return ((name.startswith("PP") and name[2:] in known) or
            (name.startswith("PR") and name[2:] in known) or
            (name.startswith("P") and name[1:] in known))


VERSION_ORDER = {"5.0": 50, "5.1": 51, "6.0": 60, "6.1": 61, "6.20": 620, "6.30": 630}


def group_of(ver):
    v = VERSION_ORDER.get(ver)
    if ver == "any":
        return "any"
    if v is None:
        return "later" if ver not in ("?",) else "unstated"
    return "5.x" if v < 60 else "6.0-6.30"


def main():
    mode, src, cc, binary = sys.argv[1:5]
    here = os.path.join(src, "docs", "ddi")
    table = {r[0]: r for r in read_table(os.path.join(here, "names.tsv"), 5)}
    refused = {r[0]: r[1] for r in read_table(os.path.join(here, "refused.tsv"), 2)}
    wdk, layouts = declared_names(src, cc)
    tested = layout_tested(src)
    symbols = defined_symbols(binary)
    errors = []
    for name in sorted(wdk):
        if name not in table and not is_pointer_alias(name, set(wdk) | set(table)):
            errors.append(f"<ndis.h> declares {name} ({wdk[name]}), which docs/ddi/names.tsv lacks")
    by_tag = {}
    for name, (_, tag) in layouts.items():
        by_tag.setdefault(tag, []).append(name)
    for tag, names in sorted(by_tag.items()):
        if not any(n in tested for n in names):
            n = sorted(names)[0]
            errors.append(f"{n} is a declared structure without a layout test (SIZE({n}, ...) in tests/ndis/test_layout*.c)")
    implemented = set()
    for name, kind in wdk.items():
        if kind == "function":
            if name in refused:
                continue  # refused: exported or not, it does not provide the service
            if name in symbols:
                implemented.add(name)
            else:
                errors.append(f"{name} is declared but neither implemented nor in docs/ddi/refused.tsv")
        else:
            implemented.add(name)  # macros, types and constants are their declaration
    for name in refused:
        if wdk.get(name) != "function":
            errors.append(f"{name} is in docs/ddi/refused.tsv but not a function <ndis.h> declares")
    if mode == "--write":
        write_doc(src, table, wdk, implemented, refused, symbols)
    for e in errors:
        print("ddi coverage: " + e, file=sys.stderr)
    if errors:
        print(f"ddi coverage: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"ddi coverage: {len(wdk)} WDK names declared, all in the table; {len(by_tag)} structures, all layout-tested")
    return 0


def write_doc(src, table, wdk, implemented, refused, symbols):
    groups = ["any", "5.x", "6.0-6.30", "later", "unstated"]
    titles = {"any": "any version (base types, kernel routines)", "5.x": "NDIS 5.0/5.1", "6.0-6.30": "NDIS 6.0-6.30", "later": "NDIS 6.40 and later / Windows 10+",
              "unstated": "version not stated by the page"}
    stats = {g: [0, 0, 0, 0] for g in groups}  # rows, declared, implemented, refused
    by_kind = {}
    for name, r in table.items():
        if r[4] != "miniport":
            continue
        g = group_of(r[2])
        s = stats[g]
        s[0] += 1
        if name in wdk:
            s[1] += 1
        if name in implemented:
            s[2] += 1
        if name in refused:
            s[3] += 1
        k = by_kind.setdefault((g, r[1]), [0, 0])
        k[0] += 1
        k[1] += name in wdk
    scopes = {}
    for r in table.values():
        scopes[r[4]] = scopes.get(r[4], 0) + 1
    out = []
    w = out.append
    w("# DDI coverage (generated)")
    w("")
    w("Generated by `docs/ddi/coverage.py --write` from `docs/ddi/names.tsv` (the names Microsoft")
    w("documents for ndis.h and ntddndis.h, with their scope), the headers under `include/` and")
    w("the symbols of the linked `ndisrt`. Do not edit by hand; `docs/ddi/README.md` says how the")
    w("table is built and what each column means. The `ddi_coverage` test fails when a header")
    w("declares a name the table lacks, a declared structure has no layout test, or a declared")
    w("function is neither implemented nor refused with a reason.")
    w("")
    w("*Declared*: the name exists in ndisrt's headers. *Implemented*: for a function, `ndisrt`")
    w("defines it; macros, types, OIDs and status codes count as implemented when declared.")
    w("")
    w("## In-scope (miniport) names by minimum NDIS version")
    w("")
    w("| Minimum version | Names | Declared | % | Implemented | % | Refused |")
    w("|---|---:|---:|---:|---:|---:|---:|")
    for g in groups:
        n, d, i, rf = stats[g]
        pct = lambda x: f"{100.0 * x / n:.1f}" if n else "-"
        w(f"| {titles[g]} | {n} | {d} | {pct(d)} | {i} | {pct(i)} | {rf} |")
    w("")
    w("## Declared by kind (in scope)")
    w("")
    w("| Minimum version | Kind | Names | Declared |")
    w("|---|---|---:|---:|")
    for (g, k), (n, d) in sorted(by_kind.items(), key=lambda x: (groups.index(x[0][0]), x[0][1])):
        w(f"| {titles[g]} | {k} | {n} | {d} |")
    w("")
    w("## Rows by scope")
    w("")
    w("| Scope | Rows |")
    w("|---|---:|")
    for s in sorted(scopes):
        w(f"| {s} | {scopes[s]} |")
    w("")
    w("## Isolation")
    w("")
    w("The `ndisrt` binary exports the DDI tables (`ndis/host_ddi.c`, `ndis/wdk_ddi.c`,")
    w("`ndis/ndis6_ddi.c`) and")
    w("the C library calls it takes over for drivers (`exit` and friends), nothing else;")
    w("*implemented* above counts only exported symbols. A driver that")
    w("jumps through a bad function pointer on a vCPU ends in bug check 0x1E naming the calling")
    w("driver frame and exit status 1 (`tests/tools/test_reliability.sh`, `BAD_JUMP`: a DPC")
    w("calling 0xDEAD0000); a fault outside the driver's image (a NULL dereference in")
    w("MiniportInitializeEx) is bug check 0x1E too (`tests/host/test_load.c`,")
    w("`null_dereference_in_driver_is_bug_check_0x1E`; `tests/tools/test_run.sh` end to end).")
    w("")
    w("## Refused functions")
    w("")
    w("Declared so that a driver compiles. Those marked *exported* answer a call with the failure")
    w("their page documents (`NDIS_STATUS_NOT_SUPPORTED`, 0 bytes), or bug check 0xC4 where the")
    w("call can only complete something ndisrt never started; the others are not exported: a")
    w("driver that imports one does not load (`ndisrt run` names the missing routine, exit 66).")
    w("The reason says why.")
    w("")
    w("| Function | Exported | Reason |")
    w("|---|---|---|")
    for name in sorted(refused):
        w(f"| `{name}` | {'exported' if name in symbols else 'no'} | {refused[name]} |")
    w("")
    w("## In-scope NDIS 5.x and 6.0-6.30 names not declared yet")
    w("")
    for g in ("5.x", "6.0-6.30"):
        missing = sorted(n for n, r in table.items() if r[4] == "miniport" and group_of(r[2]) == g and n not in wdk)
        w(f"**{titles[g]}** ({len(missing)}): " + (", ".join(f"`{m}`" for m in missing) if missing else "none"))
        w("")
    with open(os.path.join(src, "docs", "ddi-coverage.md"), "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
