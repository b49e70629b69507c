#!/usr/bin/env python3
"""Lists Swift functions longer than the limits of issue 13 (docs/ARCHITECTURE.md, "Code size").

A function is a `func`, `init`, `deinit`, subscript or computed-property/closure-less accessor
body found by brace matching (strings and comments skipped). Its length is the number of lines
from the declaration line to the closing brace. Limits: 60 lines in Sources/Workflows and
Sources/isoplan, 80 elsewhere under Sources. A function preceded (within 3 lines) by a comment
containing `length-exception:` is reported as allowed, with its reason.

Usage: function_lengths.py [--check] [--top N] [ROOT]
  --check  exit 1 when a function is over its limit without an exception
"""
import os
import re
import sys

DECL = re.compile(r'^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|open|static|class|'
                  r'final|override|mutating|nonisolated|convenience|required|@inlinable|@usableFromInline|'
                  r'@discardableResult)\s+)*(func\s+[^\s(<]+|init[?!]?|deinit|subscript)\b')


def strip_code(text):
    """Replaces string literals and comments with spaces, keeping newlines and braces in code."""
    out = []
    n = len(text)

    def blank(a, b):
        out.append(re.sub(r'[^\n]', ' ', text[a:b]))

    def string_end(i):
        """Index past the string literal starting at i (handles interpolations with nested strings)."""
        triple = text.startswith('"""', i)
        j = i + (3 if triple else 1)
        while j < n:
            if text[j] == '\\':
                if j + 1 < n and text[j + 1] == '(':
                    j = code_end(j + 2, ')')
                    continue
                j += 2
                continue
            if triple and text.startswith('"""', j):
                return j + 3
            if not triple and (text[j] == '"' or text[j] == '\n'):
                return j + 1
            j += 1
        return n

    def code_end(i, closer):
        """Index past the `closer` that ends the code starting at i (an interpolation)."""
        depth = 0
        j = i
        while j < n:
            c = text[j]
            if c == '"':
                j = string_end(j)
                continue
            if c == '(':
                depth += 1
            elif c == ')':
                if depth == 0:
                    return j + 1
                depth -= 1
            j += 1
        return n

    i = 0
    while i < n:
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif text[i] == '"':
            j = string_end(i)
            blank(i, j)
            i = j
        else:
            out.append(text[i])
            i += 1
    return ''.join(out)


def functions(path):
    text = open(path, encoding='utf-8').read()
    raw_lines = text.split('\n')
    code = strip_code(text)
    lines = code.split('\n')
    result = []
    for index, line in enumerate(lines):
        m = DECL.match(line)
        if not m:
            continue
        # the body's opening brace is within a few lines; a protocol requirement has none
        start = None
        for j in range(index, min(index + 15, len(lines))):
            if j > index and DECL.match(lines[j]):
                break
            if '{' in lines[j]:
                start = j
                break
        if start is None:
            continue
        depth = 0
        end = start
        for j in range(start, len(lines)):
            segment = lines[j][lines[j].find('{'):] if j == start else lines[j]
            depth += segment.count('{') - segment.count('}')
            if depth <= 0:
                end = j
                break
        length = end - index + 1
        reason = None
        for j in range(max(0, index - 3), index):
            if 'length-exception:' in raw_lines[j]:
                reason = raw_lines[j].split('length-exception:', 1)[1].strip()
        result.append((m.group(1), index + 1, length, reason))
    return result


def limit(path):
    parts = path.split(os.sep)
    if 'Sources' in parts:
        module = parts[parts.index('Sources') + 1]
        return 60 if module in ('Workflows', 'isoplan') else 80
    return None


def main(argv):
    check = '--check' in argv
    top = 20
    if '--top' in argv:
        top = int(argv[argv.index('--top') + 1])
    args = [a for i, a in enumerate(argv) if not a.startswith('--') and (i == 0 or argv[i - 1] != '--top')]
    root = args[0] if args else '.'
    found = []
    for folder, _, files in os.walk(os.path.join(root, 'Sources')):
        for name in files:
            if name.endswith('.swift'):
                path = os.path.join(folder, name)
                for decl, line, length, reason in functions(path):
                    found.append((length, os.path.relpath(path, root), line, decl, reason, limit(path)))
    found.sort(reverse=True)
    over = [f for f in found if f[0] > f[5] and not f[4]]
    allowed = [f for f in found if f[0] > f[5] and f[4]]
    print(f'{len(found)} functions; longest {found[0][0] if found else 0} lines; '
          f'{len(over)} over their limit, {len(allowed)} allowed exceptions')
    for length, path, line, decl, reason, lim in found[:top]:
        mark = 'OVER' if length > lim and not reason else ('exception: ' + reason if reason else 'ok')
        print(f'{length:4d}  {path}:{line}  {decl}  (limit {lim}; {mark})')
    for length, path, line, decl, reason, lim in over[top:]:
        print(f'{length:4d}  {path}:{line}  {decl}  (limit {lim}; OVER)')
    return 1 if check and over else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
