#!/usr/bin/env python3
"""The documentation stands alone: every relative link and every path it
names exists in the repository, and nothing cites a note kept outside it.

Scans README.md, docs/*.md, the READMEs the API reference includes
(bindings/python, tests/bench) and include/**/*.h: the text a reader of
the repository, of the Doxygen pages or of the installed headers sees.
Reports every finding as FILE:LINE: message and exits 1 if there is one.

    check_links.py SOURCE_DIR
    check_links.py --self-test    (each rule finds what it should)
"""
import glob
import os
import re
import sys
import tempfile

# Top-level directories whose paths the docs name ("lib/org_file.c").
TREE_DIRS = ("lib", "docs", "tests", "include", "examples", "scripts",
             "bindings", "cmake")
# A path into the tree, not preceded by another path component or a
# placeholder ("<build>/tests/..." is a build directory, not the source).
TREE_PATH = re.compile(
    r"(?<![\w/<>.-])((?:%s)/[\w.*<>/-]*[\w*>/])" % "|".join(TREE_DIRS))
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")
# Documents outside the repository that earlier versions cited, and the
# design notes' numbering ("seed 002", "seeds 002/003", "the seeds' own").
OUTSIDE = [
    (re.compile(r"\b(?:DOMAIN|STYLE)\.md\b"), "cites a file outside the repository"),
    (re.compile(r"\bseeds?\s+\d{3}\b"), "cites a design note by number"),
    (re.compile(r"\b[Tt]he seeds\b(?!\s+(?:of|are\s+in)\b)"), "cites the design notes"),
    (re.compile(r"/work/|shared/design"), "names a path outside the repository"),
]
# Pages docs/Doxyfile takes in beside README.md and docs/.
READMES = ("bindings/python/README.md", "tests/bench/README.md")
DOMAIN_SECTION = re.compile(r"domain\.md\s*§\s*(\d+)")
# A source file named alone in backticks ("`org_query.c`"): it must exist
# somewhere in the tree.
BARE_FILE = re.compile(r"`([\w-]+\.(?:c|h|py|sh|cmake))`")


def scanned_files(root):
    names = ["README.md"] + sorted(glob.glob("docs/*.md", root_dir=root))
    names += [n for n in READMES if os.path.exists(os.path.join(root, n))]
    names += sorted(glob.glob("include/**/*.h", root_dir=root, recursive=True))
    return names


def path_exists(root, path):
    """A literal path, a program built from PATH.c, or a pattern with * or
    <placeholder> parts."""
    if "*" in path or "<" in path:
        pattern = re.sub(r"<[^>]*>", "*", path)
        return bool(glob.glob(pattern, root_dir=root))
    full = os.path.join(root, path)
    return os.path.exists(full) or os.path.exists(full + ".c")


def tree_basenames(root):
    names = set()
    for d in TREE_DIRS:
        for _, _, files in os.walk(os.path.join(root, d)):
            names.update(files)
    return names


def domain_sections(root):
    with open(os.path.join(root, "docs/domain.md"), encoding="utf-8") as f:
        return {m.group(1) for m in re.finditer(r"^##\s+(\d+)\.", f.read(), re.M)}


def check_line(root, name, line, sections, basenames):
    found, missing = [], set()
    if name.endswith(".md"):
        for target in MD_LINK.findall(line):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            rel = target.split("#", 1)[0]
            full = os.path.normpath(os.path.join(os.path.dirname(name), rel))
            if full.startswith("..") or not os.path.exists(os.path.join(root, full)):
                found.append("link to a missing file: %s" % target)
                missing.add(rel)
    for path in TREE_PATH.findall(line):
        path = path.rstrip(".")
        if path not in missing and not path_exists(root, path):
            found.append("names a path that does not exist: %s" % path)
    for pattern, why in OUTSIDE:
        for m in pattern.finditer(line):
            found.append("%s: %s" % (why, m.group(0)))
    for bare in BARE_FILE.findall(line):
        if bare not in basenames:
            found.append("names a file that does not exist: %s" % bare)
    for section in DOMAIN_SECTION.findall(line):
        if section not in sections:
            found.append("docs/domain.md has no section %s" % section)
    return found


def check_tree(root):
    """Print every finding; return how many there were."""
    sections = domain_sections(root)
    basenames = tree_basenames(root)
    findings = 0
    names = scanned_files(root)
    for name in names:
        with open(os.path.join(root, name), encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                for message in check_line(root, name, line, sections, basenames):
                    print("%s:%d: %s" % (name, number, message))
                    findings += 1
    print("docs_links: %d files, %d findings" % (len(names), findings))
    return findings


# Lines of a README in a small tree, each with the findings it must give.
SELF_TEST = [
    ("[ok](docs/domain.md) `lib/a.c` `lib/*.c` tests/<name>/x `lib/a`", 0),
    ("<build>/tests/gone/ and build/python/ are not the source tree", 0),
    ("[gone](docs/gone.md) and [outside](../x.md)", 2),
    ("lib/gone.c and `include/cbc/gone.h`, `docs/*.txt`", 3),
    ("see DOMAIN.md §2 and STYLE.md", 2),
    ("seed 002, seeds 002/003; The seeds fix; /work/shared/design/x", 5),
    ("`a.c` exists, `gone.c` does not", 1),
    ("docs/domain.md §1 exists, domain.md §9 does not", 1),
    ("random seeds 4 x 300, the seeds of the fuzzer", 0),
]


def self_test():
    with tempfile.TemporaryDirectory() as root:
        for d in ("docs", "lib", "tests/x", "include/cbc"):
            os.makedirs(os.path.join(root, d))
        for f in ("lib/a.c", "tests/x/x", "include/cbc/a.h"):
            open(os.path.join(root, f), "w").close()
        with open(os.path.join(root, "docs/domain.md"), "w") as f:
            f.write("# domain\n## 1. People\n")
        failures = 0
        for line, want in SELF_TEST:
            with open(os.path.join(root, "README.md"), "w", encoding="utf-8") as f:
                f.write(line + "\n")
            got = check_tree(root)
            if got != want:
                print("SELF-TEST FAILED: %r gave %d findings, want %d" % (line, got, want))
                failures += 1
    print("self-test: %d cases, %d failed" % (len(SELF_TEST), failures))
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    return 1 if check_tree(sys.argv[1] if len(sys.argv) > 1 else ".") else 0


if __name__ == "__main__":
    sys.exit(main())
