#!/usr/bin/env python3
"""docs/ddi/extract.py - build docs/ddi/names.tsv from Microsoft's documentation.

Run by hand when the table is refreshed; nothing in the build or the tests
runs it (they read the checked-in names.tsv). Reads two git mirrors
without a work tree:

  extract.py DDI_GIT_DIR DOCS_GIT_DIR > docs/ddi/names.tsv

  DDI_GIT_DIR   MicrosoftDocs/windows-driver-docs-ddi (reference pages)
  DOCS_GIT_DIR  MicrosoftDocs/windows-driver-docs (OID and status pages)

Only facts are taken from a page: its name (UID, title), its kind (UID
prefix, "macro" in the title), the lowest NDIS version its requirements
line names, and its path. Scope is decided by the name rules below
(docs/ddi/README.md explains them), never by reading prose. Rows that no
page of these repositories covers (NDIS 5.1-only names, wdm.h/ntdef.h
basics) come from docs/ddi/extra.tsv, which says where each is documented.
"""
import os
import re
import subprocess
import sys

# Reference folders whose pages say "req.header: ndis.h / ntddndis.h" (or
# include them through Ndis.h): the ndis.h split headers (nbl*, mdlapi,
# oidrequest, ...) and ntddndis.h. Wireless (windot11, wlantypes,
# dot11wdi, wlclient) and NDK (ndisndk) folders are read but are out of
# scope as a whole.
DDI_DIRS = [
    "ndis", "ntddndis", "nblapi", "nblaccessors", "nbl", "nblhash", "nbltimestamp",
    "nblrsc", "nbluso", "nbllso", "nblinfo", "nblchecksum", "nbl8021q", "mdlapi",
    "oidrequest", "oidtypes", "objectheader", "netpnp", "poll", "encapsulationconfig",
    "hashtypes",
]
WIRELESS_DIRS = ["windot11", "wlantypes", "dot11wdi", "wlclient"]
NDK_DIRS = ["ndisndk"]


def git(gitdir, *args):
    return subprocess.run(["git", "--git-dir", gitdir, *args], check=True,
                          capture_output=True, text=True).stdout


def front_matter(text):
    fm = {}
    if not text.startswith("---"):
        return fm
    end = text.find("\n---", 3)
    key = None
    for line in text[3:end].splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+):\s*(.*)$", line)
        if m:
            key = m.group(1)
            fm[key] = m.group(2).strip()
        elif key and line.startswith(" - "):
            fm[key] = (fm[key] + "\n" + line[3:].strip()).strip()
    return fm


VERSION_RE = re.compile(r"NDIS\s+(\d)\.(\d+)")


def min_version(text):
    """The lowest NDIS version a requirements text names, as '6.20'; '?' if none."""
    best = None
    for major, minor in VERSION_RE.findall(text or ""):
        # "6.1" and "6.20" are two-digit minors written as on the page.
        key = (int(major), int(minor) * 10 if len(minor) == 1 else int(minor))
        label = f"{major}.{minor}"
        if best is None or key < best[0]:
            best = (key, label)
    if best:
        return best[1]
    t = (text or "").lower()
    if "windows 10" in t or "windows 11" in t:
        return "win10"
    return "?"


def scope_of(name, folder):
    """Decide the scope of a name. The order matters: the first rule wins."""
    if folder in WIRELESS_DIRS:
        return "out-of-scope-wireless"
    if folder in NDK_DIRS:
        return "out-of-scope-ndk"
    n = name
    u = n.upper()
    if re.search(r"(^|_)WAN(_|$)|Wan[A-Z]|NDISWAN", n):
        return "out-of-scope-WAN"
    if re.search(r"DOT11|WWAN|WDI_|_WLAN|^WLAN", u):
        return "out-of-scope-wireless"
    if re.match(r"^(Co|NdisCo|NdisCl|NdisCm|NdisMCm|NdisMCo|NdisMCmo)[A-Z]", n) or \
            re.search(r"(^|_)(CO|CL|CM)_|CALL_MANAGER|_CO$|ATM|^Q2931|^AF_|^NDIS_AF_|_VC_|_VC$|^OID_CO_|^OID_GEN_CO_", u) and not u.startswith("CM_PARTIAL") and not u.startswith("CM_RESOURCE"):
        return "out-of-scope-CoNDIS"
    if re.match(r"^(Filter|NdisF[A-Z])", n) or re.search(r"^FILTER_|^NDIS_FILTER_|SWITCH", u):
        return "out-of-scope-filter"
    if re.match(r"^NdisIM|^NdisMSetMiniportSecondary|^NdisMPromoteMiniport|^NdisIf|^IF_QUERY|^IF_SET|^NDIS_IF_", n):
        return "out-of-scope-intermediate"
    if re.match(r"^(Protocol|NdisOpenAdapter|NdisCloseAdapter|NdisSendNetBufferLists$|NdisReturnNetBufferLists$|NdisOidRequest$|NdisDirectOidRequest$|NdisCancelOidRequest$|NdisCancelDirectOidRequest$|NdisCancelSendNetBufferLists$|NdisUnbindAdapter|NdisCompleteBindAdapter|NdisCompleteUnbindAdapter|NdisRegisterProtocol|NdisDeregisterProtocol|NdisReEnumerateProtocolBindings|NdisCompleteNetPnPEvent|NdisSetProtocolFilter|NdisOpenProtocolConfiguration|NdisReadConfigurationEx$|NdisRequest$)", n) or \
            re.search(r"^PROTOCOL_|^NDIS_PROTOCOL_|^NDIS_BIND_|^NDIS_OPEN_PARAMETERS|^NET_PNP_EVENT|^NDIS_(UN)?BIND|^NDIS_PROTOCOL", u):
        return "out-of-scope-protocol"
    return "miniport"


def ddi_rows(gitdir):
    rows = []
    files = git(gitdir, "ls-tree", "-r", "--name-only", "HEAD", "wdk-ddi-src/content/").split("\n")
    wanted = set(DDI_DIRS + WIRELESS_DIRS + NDK_DIRS)
    for path in files:
        parts = path.split("/")
        if len(parts) != 4 or parts[2] not in wanted or parts[3] == "index.md":
            continue
        text = git(gitdir, "show", "HEAD:" + path)
        fm = front_matter(text)
        uid = fm.get("UID", "")
        m = re.match(r"^(NF|NS|NE|NC|NN|NI):[A-Za-z0-9_]+\.(\w+)$", uid)
        if not m:
            continue
        prefix, name = m.group(1), m.group(2)
        title = fm.get("title", "")
        if prefix == "NF":
            kind = "macro" if re.search(r"\bmacro\b", title, re.I) else "function"
        elif prefix == "NS":
            kind = "union" if re.search(r"\bunion\b", title, re.I) else "struct"
            tn = fm.get("req.typenames", "").split(",")[0].strip()
            name = tn if re.match(r"^\w+$", tn) else name.lstrip("_")
        elif prefix == "NE":
            kind = "enum"
            tn = fm.get("req.typenames", "").split(",")[0].strip()
            name = tn if re.match(r"^\w+$", tn) else name.lstrip("_")
        elif prefix == "NC":
            kind = "callback"
        else:
            continue
        ver = min_version(fm.get("req.target-min-winverclnt", ""))
        if ver == "?":
            ver = min_version(text[text.find("\n---", 3):])
        rows.append((name, kind, ver, "ddi:" + "/".join(parts[2:]), scope_of(name, parts[2])))
    return rows


def oid_status_rows(gitdir):
    rows = []
    base = "windows-driver-docs-pr/network/"
    files = git(gitdir, "ls-tree", "--name-only", "HEAD", base).split("\n")
    for path in files:
        leaf = path[len(base):]
        if not (leaf.startswith("oid-") or leaf.startswith("ndis-status-")) or not leaf.endswith(".md"):
            continue
        text = git(gitdir, "show", "HEAD:" + path)
        fm = front_matter(text)
        title = fm.get("title", "").replace("\\_", "_").strip()
        m = re.match(r"^((OID|NDIS_STATUS)_[A-Z0-9_]+)", title)
        if not m:
            continue
        name = m.group(1)
        kind = "oid" if name.startswith("OID_") else "status"
        vi = text.find("Version Information")
        section = text[vi:vi + 1500] if vi >= 0 else fm.get("description", "")
        ver = min_version(section)
        if ver == "?":
            ver = min_version(text)
        rows.append((name, kind, ver, "docs:network/" + leaf, scope_of(name, "")))
    return rows


def return_status_rows(gitdir, ddi):
    """NDIS_STATUS_ return codes have no page of their own: the first in-scope
    reference page (by path) that names one is its source."""
    seen = {}
    for name, kind, ver, src, scope in sorted(ddi, key=lambda r: r[3]):
        if scope != "miniport":
            continue
        path = "wdk-ddi-src/content/" + src[4:]
        text = git(gitdir, "show", "HEAD:" + path)
        for code in re.findall(r"NDIS_STATUS_[A-Z0-9_]+", text):
            if code not in seen:
                seen[code] = (code, "status", ver, src, "miniport")
    return list(seen.values())


def main():
    ddi_git, docs_git = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    rows = {}
    ddi = ddi_rows(ddi_git)
    for r in ddi + oid_status_rows(docs_git):
        rows.setdefault(r[0], r)
    for r in return_status_rows(ddi_git, ddi):
        rows.setdefault(r[0], r)
    with open(os.path.join(here, "extra.tsv")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            r = tuple(line.rstrip("\n").split("\t"))
            rows.setdefault(r[0], r)
    print("# name\tkind\tmin_ndis\tsource\tscope")
    print("# Generated by docs/ddi/extract.py from MicrosoftDocs/windows-driver-docs-ddi and")
    print("# MicrosoftDocs/windows-driver-docs (docs/ddi/README.md). Facts only.")
    for r in sorted(rows.values(), key=lambda r: r[0]):
        print("\t".join(r))


if __name__ == "__main__":
    main()
