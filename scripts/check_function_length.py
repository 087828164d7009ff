#!/usr/bin/env python3
"""Fails when a function in the given C++ sources is longer than the limit (issue #16).

Long functions in the engine hid the per-sync-mode branches and the mixed jobs of the
attempt; the limit keeps each piece readable on one screen. The check is deliberately
simple: comments, strings and character literals are blanked, then every brace block that
opens at namespace or class scope after a ')' (optionally followed by const, noexcept,
override, a trailing return type or a constructor's member initialisers) is a function
body, and its length is counted from the line of the signature's ')' to the closing brace.
Lambdas and blocks inside a function count towards that function.

Usage: check_function_length.py [--max N] PATH...   (directories are searched for
*.h and *.cc)
"""
import argparse
import os
import re
import sys


def blank(text):
    """Replace comments and string/char literals by spaces, keeping newlines."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            if c == "'" and i > 0 and text[i - 1].isalnum() and text[i + 1: i + 2].isdigit():
                out.append(" ")  # digit separator: 1'000'000
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


# What may stand between a parameter list's ')' and the body's '{'.
TAIL = re.compile(
    r"\)\s*(?:const\s*|noexcept(?:\([^()]*\))?\s*|override\s*|final\s*|mutable\s*|&{1,2}\s*|"
    r"->\s*[\w:<>,\s*&]+?\s*)*$")


def functions(text):
    """Yield (name, first line, last line) of each function body at namespace/class scope."""
    code = blank(text)
    scope = []  # for each open brace: True when it is a function body, None for a brace-init
    starts = []
    boundary = 0  # where the declaration before the next top-level '{' starts
    line_of = lambda pos: code.count("\n", 0, pos) + 1
    for m in re.finditer(r"[{};]", code):
        pos = m.start()
        inside_function = any(s for s in scope)
        if m.group() == ";":
            if not inside_function:
                boundary = pos + 1
            continue
        if m.group() == "}":
            if not scope:
                continue
            kind = scope.pop()
            name, head_line = starts.pop()
            if kind:
                yield name, head_line, line_of(pos)
            if kind is not None and not any(s for s in scope):
                boundary = pos + 1
            continue
        if inside_function:
            scope.append(False)
            starts.append(("?", None))
            continue
        head = code[boundary:pos]
        stripped = head.rstrip()
        # A member initialised with braces in a constructor's initialiser list: "b_{y}".
        init = re.search(r"\)\s*(?:noexcept\s*)?:\s*[\w:]+\s*[({]", head + "{")
        if init and re.search(r"[\w>]$", stripped):
            scope.append(None)
            starts.append(("?", None))
            continue
        if init:  # ") : a_(x), b_{y} {": the signature ends at the initialiser list's ':'
            stripped = head[: init.start() + 1]
        name, head_line, is_function = "?", None, False
        if stripped.endswith(")") or TAIL.search(stripped):
            close = stripped.rfind(")")
            depth, k = 0, close
            while k >= 0:
                if stripped[k] == ")":
                    depth += 1
                elif stripped[k] == "(":
                    depth -= 1
                    if depth == 0:
                        break
                k -= 1
            before = stripped[:k].rstrip()
            word = re.search(r"([\w:~]+|operator\s*\S+)$", before)
            keyword = word.group(1) if word else ""
            if keyword in ("TEST_F", "TEST", "TEST_P"):
                is_function, name = True, keyword + stripped[k:close + 1]
            elif keyword and keyword not in ("if", "for", "while", "switch", "catch", "return",
                                             "sizeof", "decltype", "alignas", "static_assert"):
                is_function, name = True, keyword
            head_line = line_of(boundary + close)
        scope.append(is_function)
        starts.append((name, head_line))
        if not is_function:
            boundary = pos + 1


def sources(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                for f in sorted(files):
                    if f.endswith((".h", ".cc")):
                        yield os.path.join(root, f)
        else:
            yield path


def self_test():
    """The check finds what it must: run by ctest before the real check."""
    body = "\n".join("    x += %d;  // {" % i for i in range(80))
    text = (
        "namespace n {\n"
        "class K {\n public:\n  K() : a_{1}, b_(2) {\n" + body + "\n  }\n"
        "  int F() const override { return a_; }\n  int a_, b_;\n};\n"
        "TEST_F(Suite, Name) {\n  auto f = [](int y) { return y; };\n  const char* s = \"}\";\n}\n"
        "}  // namespace n\n")
    found = {name: last - first + 1 for name, first, last in functions(text)}
    expected = {"K": 82, "F": 1, "TEST_F(Suite, Name)": 4}
    if found != expected:
        print(f"self-test failed: found {found}, expected {expected}", file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=80)
    parser.add_argument("--report", action="store_true", help="print every function's length")
    parser.add_argument("--self-test", action="store_true", help="check the checker first")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    if args.self_test and self_test() != 0:
        return 1
    too_long = []
    for path in sources(args.paths):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for name, first, last in functions(text):
            length = last - first + 1
            if args.report:
                print(f"{length:5d} {path}:{first} {name}")
            if length > args.max:
                too_long.append(f"{path}:{first}: {name} is {length} lines (at most {args.max})")
    for line in too_long:
        print(line, file=sys.stderr)
    return 1 if too_long else 0


if __name__ == "__main__":
    sys.exit(main())
