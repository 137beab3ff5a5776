#!/usr/bin/env python3
# check-abi.py: libsmelt-host exports exactly its documented public API, nothing private
# SPDX-License-Identifier: GPL-3.0-or-later
#
# usage: check-abi.py NM LIBRARY GIR   (TAP output)
#
# The public API is what the GIR lists: the functions, methods and
# constructors the scanner found in the installed headers, and the get-type
# functions of the registered types.  Besides those the library may export
# one symbol, smelt__embed__, the table through which the application reaches
# the private API (plugin-host/smelt-embed.h).
import subprocess
import sys
import xml.etree.ElementTree as ET

CORE = "{http://www.gtk.org/introspection/core/1.0}"
C = "{http://www.gtk.org/introspection/c/1.0}"
GLIB = "{http://www.gtk.org/introspection/glib/1.0}"
PRIVATE_ALLOWED = {"smelt__embed__"}

results = []


def check(name, ok, detail=""):
    results.append((name, ok, detail))


def exported(nm, library):
    out = subprocess.run([nm, "-D", "--defined-only", library],
                         check=True, capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.split()
        # "ADDRESS TYPE NAME"; absolute symbols (A) are the linker's version nodes
        if len(fields) == 3 and fields[1] != "A":
            names.add(fields[2].split("@")[0])
    return names


def documented(node):
    # a gtk-doc block gives the element, its return value or a parameter a <doc>
    return node.find(".//" + CORE + "doc") is not None


def main():
    nm, library, gir = sys.argv[1:4]
    root = ET.parse(gir).getroot()
    public = {}          # symbol -> documented?
    enums = {}           # enumeration name -> element
    quarks = set()
    for node in root.iter():
        tag = node.tag[len(CORE):] if node.tag.startswith(CORE) else None
        symbol = node.get(C + "identifier")
        if tag in ("function", "method", "constructor") and symbol:
            public[symbol] = documented(node)
            if symbol.endswith("_error_quark"):
                quarks.add(symbol)
        if node.get(GLIB + "get-type"):
            # a registered type's get_type is documented with the type
            public[node.get(GLIB + "get-type")] = documented(node)
        if tag == "enumeration":
            enums[node.get("name")] = node

    exports = exported(nm, library)
    leaked = sorted(exports - set(public) - PRIVATE_ALLOWED)
    check("the library exports no private symbol (%d exported, %d public)" % (len(exports), len(public)),
          not leaked,
          "exported but not in the GIR (make it static or take SMELT_AVAILABLE_IN_ALL off;\n"
          "if the application needs it, add it to smelt-embed.h):\n  " + "\n  ".join(leaked))
    missing = sorted(set(public) - exports)
    check("every public function is exported", not missing,
          "in the GIR but not exported (put SMELT_AVAILABLE_IN_ALL on its declaration):\n  "
          + "\n  ".join(missing))
    undocumented = sorted(s for s, doc in public.items() if not doc)
    check("every public function has a gtk-doc comment", not undocumented,
          "no gtk-doc block:\n  " + "\n  ".join(undocumented))
    check("the embedding table is exported", PRIVATE_ALLOWED <= exports,
          "missing: " + ", ".join(sorted(PRIVATE_ALLOWED - exports)))
    for quark in sorted(quarks):
        # smelt_host_error_quark pairs with SmeltHostError, named HostError in the GIR
        name = "".join(w.capitalize() for w in quark[len("smelt_"):-len("_quark")].split("_"))
        enum = enums.get(name)
        check("%s is the error domain of a registered enum %s" % (quark, name),
              enum is not None and enum.get(GLIB + "error-domain") is not None
              and enum.get(GLIB + "get-type") is not None,
              "enumeration: %s" % (None if enum is None else dict(enum.attrib)))

    print("1..%d" % len(results))
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok:
            failed += 1
            for line in detail.splitlines():
                print("# " + line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
