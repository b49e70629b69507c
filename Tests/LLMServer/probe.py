#!/usr/bin/env python3
"""Probe a running serve.sh server: one summary request and ten judge prompts.

Usage: python3 Tests/LLMServer/probe.py PORT [API_KEY]
Stdlib only. Prints latency, usage and whether each judge answer contains a
parseable <choice>k</choice>; exits 0 if every request got an HTTP 200.
"""
import json
import re
import sys
import time
import urllib.request

PORT = int(sys.argv[1])
KEY = sys.argv[2] if len(sys.argv) > 2 else None
BASE = f"http://127.0.0.1:{PORT}"


def chat(messages, max_tokens=200):
    body = json.dumps({"model": "smollm2-135m-instruct", "messages": messages,
                       "temperature": 0, "max_tokens": max_tokens}).encode()
    req = urllib.request.Request(BASE + "/v1/chat/completions", data=body,
                                 headers={"Content-Type": "application/json"})
    if KEY:
        req.add_header("Authorization", f"Bearer {KEY}")
    t0 = time.monotonic()
    with urllib.request.urlopen(req, timeout=120) as r:
        out = json.load(r)
    return out, time.monotonic() - t0


TRAJECTORY = """Task: fix failing test test_parse_dates in utils/dates.py.
Step 1: ran `pytest tests/test_dates.py` -> 1 failed: expected 2024-02-29, got ValueError.
Step 2: opened utils/dates.py; parse_date() builds datetime(year, month, day) after adding 1 to day for 'end of month'.
Step 3: edited parse_date() to use calendar.monthrange(year, month)[1] for the last day.
Step 4: reran pytest -> 12 passed.
Step 5: ran `ruff check` -> clean. Submitted the patch."""

SUMMARY_PROMPT = ("Summarise the following coding-agent trajectory under the headings "
                  "## Goal, ## Actions, ## Outcome.\n\n" + TRAJECTORY)

JUDGE_CASES = [
    ("Return the sum of a list of integers.",
     "def f(xs):\n    return sum(xs)", "def f(xs):\n    return max(xs)"),
    ("Reverse a string.",
     "def f(s):\n    return s[::-1]", "def f(s):\n    return s"),
    ("Check whether n is even.",
     "def f(n):\n    return n % 2 == 1", "def f(n):\n    return n % 2 == 0"),
    ("Return the length of a list.",
     "def f(xs):\n    return len(xs) + 1", "def f(xs):\n    return len(xs)"),
    ("Return the largest element of a non-empty list.",
     "def f(xs):\n    return sorted(xs)[-1]", "def f(xs):\n    return sorted(xs)[0]"),
    ("Count vowels in a string.",
     "def f(s):\n    return sum(c in 'aeiou' for c in s.lower())", "def f(s):\n    return len(s)"),
    ("Compute n factorial.",
     "def f(n):\n    return 1 if n <= 1 else n * f(n - 1)", "def f(n):\n    return n * n"),
    ("Return True if a string is a palindrome.",
     "def f(s):\n    return s == s[1:]", "def f(s):\n    return s == s[::-1]"),
    ("Remove duplicates from a list, keeping order.",
     "def f(xs):\n    return list(dict.fromkeys(xs))", "def f(xs):\n    return xs[:1]"),
    ("Convert Celsius to Fahrenheit.",
     "def f(c):\n    return c * 9 / 5 + 32", "def f(c):\n    return (c - 32) * 5 / 9"),
]

CHOICE = re.compile(r"<choice>\s*(\d+)\s*</choice>")


def judge_prompt(task, a, b):
    return (f"Task: {task}\n\nTwo candidate solutions are below.\n\n"
            f"## Candidate 1\n```python\n{a}\n```\n\n## Candidate 2\n```python\n{b}\n```\n\n"
            "Which candidate is more likely correct? Answer with the index inside "
            "<choice></choice> tags, e.g. <choice>1</choice>.")


def main():
    out, dt = chat([{"role": "user", "content": SUMMARY_PROMPT}])
    print(f"[summary] {dt:.2f}s usage={out['usage']} finish={out['choices'][0]['finish_reason']}")
    print(out["choices"][0]["message"]["content"])
    print()
    parseable = correct = 0
    correct_idx = [1, 1, 2, 2, 1, 1, 1, 2, 1, 1]
    for i, (task, a, b) in enumerate(JUDGE_CASES):
        out, dt = chat([{"role": "user", "content": judge_prompt(task, a, b)}])
        text = out["choices"][0]["message"]["content"]
        m = CHOICE.search(text)
        k = int(m.group(1)) if m else None
        parseable += m is not None and k in (1, 2)
        correct += k == correct_idx[i]
        print(f"[judge {i + 1}] {dt:.2f}s usage={out['usage']} choice={k} "
              f"(right={correct_idx[i]}) answer={text[:160]!r}")
    print(f"\njudge: {parseable}/{len(JUDGE_CASES)} parseable, {correct}/{len(JUDGE_CASES)} right")


if __name__ == "__main__":
    main()
