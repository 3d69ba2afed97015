#!/usr/bin/python3
# Prints, one "name:arm64=version" a line, the arm64 packages a sysroot needs
# to cross-build against the -dev packages named on the command line: their
# Depends and Pre-Depends, recursively, as apt's candidates. Left out: what
# the build machine's own packages provide (Architecture: all, Multi-Arch:
# foreign, dependencies on :any or :native) and gobject-introspection, whose
# arm64 build needs the arm64 python3 (only its .gir data is depended on).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import sys

import apt_pkg

ARCH = "arm64"
LEFT_OUT = {"gobject-introspection"}


def main(wanted):
    apt_pkg.init()
    cache = apt_pkg.Cache(None)
    policy = apt_pkg.DepCache(cache)
    chosen = {}
    visited = set()
    todo = list(wanted)
    while todo:
        name = todo.pop()
        if name in visited or name in LEFT_OUT:
            continue
        visited.add(name)
        try:
            pkg = cache[name, ARCH]
        except KeyError:
            if name in wanted:
                sys.exit("arm64-sysroot: no arm64 package %s (is arm64 in dpkg "
                         "--print-foreign-architectures, and apt updated?)" % name)
            continue
        ver = policy.get_candidate_ver(pkg)
        if ver is None:
            # A virtual package: its first provider.
            if pkg.provides_list:
                todo.append(pkg.provides_list[0][2].parent_pkg.name)
            continue
        if ver.arch == "all" or ver.multi_arch == ver.MULTI_ARCH_FOREIGN:
            continue
        chosen[name] = ver.ver_str
        for kind in ("Depends", "PreDepends"):
            for group in ver.depends_list.get(kind, []):
                # An alternative group: its first member, as apt would.
                target = group[0].target_pkg
                if target.architecture == ARCH:
                    todo.append(target.name)
    for name in sorted(chosen):
        print("%s:%s=%s" % (name, ARCH, chosen[name]))


if __name__ == "__main__":
    main(sys.argv[1:])
