#!/usr/bin/env python3
"""The man page cbc(1) and docs/cli.md describe the tool as it is.

Asks the built tool for its commands (`cbc --help`, `cbc GROUP --help`)
and each command's options (`cbc GROUP SUB --help`), then checks:
  - every command and subcommand has its entry in examples/cbc/cbc.1
    (a `.TP` / `.B cbc GROUP SUB ...` heading) and is named as
    `cbc GROUP SUB` in docs/cli.md;
  - every option a command's --help names is in that command's entry of
    the man page (or is one of the options every command takes);
  - every option the man page gives a command (its synopsis line and its
    option list) is one the tool accepts: `cbc GROUP SUB --opt --help`
    or `... --opt=x --help` exits 0, where an unknown option exits 2;
    likewise the common options of COMMON OPTIONS on every command;
  - every option of the tool is named somewhere in docs/cli.md;
  - every exit status of examples/cbc/cli.h is in the man page's EXIT
    STATUS and in docs/cli.md's table;
  - the page renders with no warnings (groff -man -Tutf8 -ww -z, and
    mandoc -Tlint -W warning when given).
Prints every finding and exits 1 if there is one.

    check_cli_docs.py --cbc PATH --source SOURCE_DIR [--groff PATH] [--mandoc PATH]
    check_cli_docs.py --self-test    (each rule finds what it should)
"""
import argparse
import os
import re
import shlex
import subprocess
import sys
import tempfile

MAN_PAGE = "examples/cbc/cbc.1"
GUIDE = "docs/cli.md"
CLI_H = "examples/cbc/cli.h"
# The options every command takes (cli.c, common_opts, and --help).
COMMON = {"--help", "--json", "--quiet", "--now"}
OPTION = re.compile(r"--[a-z][a-z0-9-]*")
USAGE_EXIT = 2


def options_in(text):
    """The option names in a text ("--plan-*" gives "--plan")."""
    return {o.rstrip("-") for o in OPTION.findall(text)}


def roff_text(line):
    """A roff line as plain text: fonts, \\- and quoting removed."""
    line = re.sub(r"\\f(?:\[[A-Z]*\]|[BIRP])", "", line)
    line = re.sub(r"\\\[u([0-9A-F]{4,5})\]", lambda m: chr(int(m.group(1), 16)), line)
    line = line.replace("\\-", "-").replace("\\%", "").replace("\\&", "")
    line = line.replace("\\(dq", '"').replace("\\e", "\\")
    return line


# ------------------------------------------------------------------ the tool

class Tool:
    def __init__(self, path):
        # CBC_CLI_WRAPPER (e.g. "valgrind -q --error-exitcode=99") prefixes
        # every run, as in tests/cli.
        self.command = shlex.split(os.environ.get("CBC_CLI_WRAPPER", "")) + [path]

    def run(self, *args):
        p = subprocess.run([*self.command, *args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.decode("utf-8", "replace")

    def help(self, *words):
        rc, out = self.run(*words, "--help")
        if rc != 0:
            raise RuntimeError("`cbc %s --help` exited %d" % (" ".join(words), rc))
        return out

    def accepts(self, words, option):
        """Does the command take @option (a flag, or one with a value)?"""
        for probe in (option, option + "=x"):
            rc, _ = self.run(*words, probe, "--help")
            if rc == 0:
                return True
        return False


def listed_commands(help_text):
    """The names under "commands:" in a --help text."""
    names, inside = [], False
    for line in help_text.splitlines():
        if line.strip() == "commands:":
            inside = True
        elif inside and line.startswith("  ") and line.strip():
            names.append(line.split()[0])
        elif inside:
            inside = False
    return names


def tool_commands(tool):
    """{"hazard report": help text, "init": help text, ...} in order."""
    commands = {}
    for name in listed_commands(tool.help()):
        text = tool.help(name)
        subs = listed_commands(text)
        if not subs:
            commands[name] = text
        for sub in subs:
            commands[name + " " + sub] = tool.help(name, sub)
    return commands


# ------------------------------------------------------------- the man page

def man_entries(man_lines, names):
    """{command: (synopsis lines, option-list lines, all lines)} for each
    `.TP`/`.TQ` heading `.B cbc COMMAND ...` of the page."""
    entries = {}
    current = None
    by_length = sorted(names, key=len, reverse=True)
    for i, line in enumerate(man_lines):
        heading = (line.startswith(".B cbc ") and i > 0 and
                   man_lines[i - 1].startswith((".TP", ".TQ")))
        if heading:
            text = roff_text(line[3:]).split()
            words = " ".join(text[1:3])
            current = next((n for n in by_length
                            if words == n or words.startswith(n + " ")), None)
            if current is None:
                current = "?" + words
            entry = entries.setdefault(current, ([], [], []))
            entry[0].append(line)
            entry[2].append(line)
            continue
        if line.startswith((".SS", ".SH")):
            current = None
        if current is None:
            continue
        entry = entries[current]
        entry[2].append(line)
        if (man_lines[i - 1].startswith(".TP") and
                line.startswith((".B ", ".BI ", ".BR ")) and "\\-\\-" in line):
            entry[1].append(line)
    return entries


def man_section(man_lines, title):
    out, inside = [], False
    for line in man_lines:
        if line.startswith(".SH"):
            inside = line[3:].strip().strip('"') == title
        elif inside:
            out.append(line)
    return out


def exit_statuses(cli_h):
    """{status: name} from cli.h's enum cli_exit."""
    return {int(v): n for n, v in re.findall(r"\b(CLI_[A-Z]+)\s*=\s*(\d+)", cli_h)}


# ------------------------------------------------------------------ checks

def check(tool, source, groff=None, mandoc=None):
    findings = []

    def find(message):
        findings.append(message)
        print(message)

    def read(rel):
        with open(os.path.join(source, rel), encoding="utf-8") as f:
            return f.read()

    man_raw = read(MAN_PAGE)
    man_lines = man_raw.splitlines()
    guide = read(GUIDE)
    commands = tool_commands(tool)
    entries = man_entries(man_lines, commands)

    for name in entries:
        if name.startswith("?"):
            find("%s: an entry for `cbc %s`, which the tool does not have"
                 % (MAN_PAGE, name[1:]))
    all_options = set()
    for name, help_text in commands.items():
        words = name.split()
        named = options_in(help_text)
        all_options |= named
        # A name may break across the guide's lines.
        spaced = r"\s+".join(map(re.escape, ["cbc"] + words))
        if not re.search(r"\b%s(?![\w-])" % spaced, guide):
            find("%s: `cbc %s` is not described" % (GUIDE, name))
        if name not in entries:
            find("%s: no entry for `cbc %s`" % (MAN_PAGE, name))
            continue
        synopsis, option_list, lines = entries[name]
        in_entry = options_in(roff_text("\n".join(lines)))
        for option in sorted(named - in_entry - COMMON):
            find("%s: `cbc %s` lacks %s, which its --help names" % (MAN_PAGE, name, option))
        given = options_in(roff_text("\n".join(synopsis + option_list)))
        for option in sorted(given):
            if tool.accepts(words, option):
                all_options.add(option)
            else:
                find("%s: `cbc %s %s` is no option of the tool" % (MAN_PAGE, name, option))

    common = man_section(man_lines, "COMMON OPTIONS")
    common_given = options_in(roff_text("\n".join(
        l for i, l in enumerate(common) if i and common[i - 1].startswith(".TP"))))
    for option in sorted(common_given - {"--as", "--help"}):
        for name in commands:
            if not tool.accepts(name.split(), option):
                find("%s: COMMON OPTIONS: `cbc %s` does not take %s" % (MAN_PAGE, name, option))

    for option in sorted(all_options - options_in(guide)):
        find("%s: %s is not named" % (GUIDE, option))

    statuses = exit_statuses(read(CLI_H))
    man_exit = roff_text("\n".join(man_section(man_lines, "EXIT STATUS")))
    for status in sorted(statuses):
        if not re.search(r"^\.B %d$" % status, man_exit, re.M):
            find("%s: EXIT STATUS lacks %d (%s)" % (MAN_PAGE, status, statuses[status]))
        if not re.search(r"^\| *%d *\|" % status, guide, re.M):
            find("%s: the exit status table lacks %d (%s)" % (GUIDE, status, statuses[status]))

    page = os.path.join(source, MAN_PAGE)
    if groff:
        p = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", page],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for line in p.stderr.decode("utf-8", "replace").splitlines():
            find("groff: %s" % line)
        if p.returncode:
            find("groff exited %d" % p.returncode)
    else:
        print("note: groff not given: the rendering is not checked")
    if mandoc:
        p = subprocess.run([mandoc, "-Tlint", "-W", "warning", page],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for line in (p.stdout + p.stderr).decode("utf-8", "replace").splitlines():
            find("mandoc: %s" % line)

    print("docs_cli: %d commands, %d options, %d findings"
          % (len(commands), len(all_options), len(findings)))
    return len(findings)


# ---------------------------------------------------------------- self-test

# A tool with a group `g` (subcommands `a`: --x, --flag; `b`: --y) and a
# command `c` (--z).  Unknown options exit 2, like cbc.
FAKE_TOOL = r'''#!/usr/bin/env python3
import sys
HELP = {
    (): "usage: cbc COMMAND\n\ncommands:\n  g   a group\n  c   a command\n",
    ("g",): "usage: cbc g COMMAND\n\ncommands:\n  a   does a\n  b   does b\n",
    ("g", "a"): "usage: cbc g a DB --x X [--flag]\n",
    ("g", "b"): "usage: cbc g b DB --y Y\n",
    ("c",): "usage: cbc c DB [--z Z]\n",
}
OPTS = {("g", "a"): {"--x": 1, "--flag": 0}, ("g", "b"): {"--y": 1}, ("c",): {"--z": 1}}
COMMON = {"--json": 0, "--quiet": 0, "--now": 1}
args = sys.argv[1:]
words = tuple(a for a in args if not a.startswith("-"))[:2]
while words and words not in HELP:
    words = words[:-1]
opts = dict(COMMON, **OPTS.get(words, {}))
i = len(words)
while i < len(args):
    a = args[i]
    if a == "--help":
        print(HELP[words], end="")
        sys.exit(0)
    name, eq, _ = a.partition("=")
    if name not in opts or (eq and not opts[name]):
        sys.exit(2)
    i += 1 if eq or not opts[name] else 2
sys.exit(2)
'''
GOOD_MAN = r""".TH CBC 1
.SH COMMANDS
.TP
.B cbc g a \fIdb\fP \-\-x \fIx\fP \fR[\fP\-\-flag\fR]\fP
Does a.
.TP
.B cbc g b \fIdb\fP \-\-y \fIy\fP
Does b.
.TP
.B cbc c \fIdb\fP
Does c.
.RS
.TP
.BI \-\-z " z"
a z
.RE
.SH COMMON OPTIONS
.TP
.B \-\-json
JSON.
.SH EXIT STATUS
.TP
.B 0
ok
.TP
.B 2
usage
"""
GOOD_GUIDE = """`cbc g a` with --x and --flag; `cbc g b` with --y; `cbc c` with --z.

| status | meaning |
|---|---|
| 0 | ok |
| 2 | usage |
"""
CLI_H_TEXT = "enum cli_exit { CLI_OK = 0, CLI_USAGE = 2 };\n"
# (what is changed, the change, findings it must give)
SELF_TEST = [
    ("nothing", None, 0),
    ("a subcommand missing from the page", ("man", ".TP\n.B cbc g b \\fIdb\\fP \\-\\-y \\fIy\\fP\nDoes b.\n", ""), 1),
    ("an option missing from the page", ("man", "\\fR[\\fP\\-\\-flag\\fR]\\fP", ""), 1),
    ("an option the tool lacks", ("man", ".BI \\-\\-z \" z\"", ".BI \\-\\-zz \" z\""), 2),
    ("a common option a command lacks", ("man", ".B \\-\\-json\n", ".B \\-\\-jsonl\n"), 3),
    ("an entry for no command", ("man", ".RE\n", ".RE\n.TP\n.B cbc g q\nGone.\n"), 1),
    ("a command missing from the guide", ("guide", "`cbc g b` with --y; ", "--y; "), 1),
    ("an option missing from the guide", ("guide", " and --flag", ""), 1),
    ("an exit status missing", ("both", "2", "9"), 2),
    ("a roff warning", ("man", "Does a.\n", "Does a.\n.xyzzy\n"), 1),
]


def self_test():
    failures = 0
    groff = next((os.path.join(d, "groff") for d in os.environ.get("PATH", "").split(":")
                  if os.access(os.path.join(d, "groff"), os.X_OK)), None)
    with tempfile.TemporaryDirectory() as root:
        tool = os.path.join(root, "cbc")
        with open(tool, "w") as f:
            f.write(FAKE_TOOL)
        os.chmod(tool, 0o755)
        for d in ("examples/cbc", "docs"):
            os.makedirs(os.path.join(root, d))
        for what, change, want in SELF_TEST:
            man, guide, cli_h = GOOD_MAN, GOOD_GUIDE, CLI_H_TEXT
            if change and change[0] == "man":
                man = man.replace(change[1], change[2])
            elif change and change[0] == "guide":
                guide = guide.replace(change[1], change[2])
            elif change:
                cli_h = cli_h.replace("= 2", "= 9")
            for rel, text in ((MAN_PAGE, man), (GUIDE, guide), (CLI_H, cli_h)):
                with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                    f.write(text)
            if what == "a roff warning" and not groff:
                print("self-test: no groff, skipping %r" % what)
                continue
            got = check(Tool(tool), root, groff=groff)
            if got != want:
                print("SELF-TEST FAILED: %s gave %d findings, want %d" % (what, got, want))
                failures += 1
    print("self-test: %d cases, %d failed" % (len(SELF_TEST), failures))
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cbc", required=True, help="the built cbc")
    ap.add_argument("--source", required=True, help="the source tree")
    ap.add_argument("--groff", help="groff, to check the page renders cleanly")
    ap.add_argument("--mandoc", help="mandoc, to lint the page")
    a = ap.parse_args()
    return 1 if check(Tool(a.cbc), a.source, a.groff, a.mandoc) else 0


if __name__ == "__main__":
    sys.exit(main())
