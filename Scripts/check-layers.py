#!/usr/bin/env python3
"""Checks that every target imports only what Package.swift declares for it.

SwiftPM refuses (with --explicit-target-dependency-import-check error) an
import of a package target outside a target's dependency closure, but not
one reached through it (RSearchOutput importing RSearchStore through
RSearchEngine), nor a product of another package (GRDB). This closes both:
every `import` of a module built by this package or its dependencies must
name a direct dependency of the importing target.

Usage: swift package dump-package | python3 Scripts/check-layers.py
Exit status 0 when every import is declared, 1 otherwise (each listed).
"""
import json
import os
import re
import sys

# Modules of the toolchain and the system, importable anywhere.
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Dispatch", "Testing", "XCTest",
          "PackageDescription", "CoreFoundation", "FoundationXML", "FoundationNetworking"}
# Modules that a product brings besides its own name.
PRODUCT_MODULES = {"GRDB": {"GRDB", "GRDBSQLite"}, "ArgumentParser": {"ArgumentParser"},
                   "ZIPFoundation": {"ZIPFoundation"}, "GRDBSQLite": {"GRDBSQLite"},
                   "Hummingbird": {"Hummingbird"}, "HummingbirdCore": {"HummingbirdCore"},
                   "HTTPTypes": {"HTTPTypes"}, "NIOCore": {"NIOCore"}, "NIOPosix": {"NIOPosix"}, "Logging": {"Logging"}}

package = json.load(sys.stdin)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
targets = {t["name"]: t for t in package["targets"]}
failures = []
for name, target in targets.items():
    allowed = set()
    for dep in target.get("dependencies", []):
        if "byName" in dep:
            allowed.add(dep["byName"][0])
        elif "target" in dep:
            allowed.add(dep["target"][0])
        elif "product" in dep:
            product = dep["product"][0]
            allowed |= PRODUCT_MODULES.get(product, {product})
    folder = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", name)
    for directory, _, files in os.walk(os.path.join(root, folder)):
        for file in files:
            if not file.endswith(".swift"):
                continue
            path = os.path.join(directory, file)
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                # Imports come first: stop at the first declaration.
                if line.strip() and not re.match(r"^\s*(//|#if|#else|#elseif|#endif|@testable|@_exported|import|public import|package import|internal import)", line):
                    break
                m = re.match(r"^\s*(?:@testable\s+|@_exported\s+|public\s+|package\s+|internal\s+)?import\s+(\w+)", line)
                if m and m.group(1) not in SYSTEM and m.group(1) not in allowed:
                    failures.append(f"{os.path.relpath(path, root)}:{number}: {name} imports {m.group(1)}, "
                                    f"which is not among its dependencies in Package.swift")
for f in failures:
    print(f)
print(f"layers: {len(targets)} targets checked, {len(failures)} undeclared imports")
sys.exit(1 if failures else 0)
