#!/usr/bin/python3
"""Cross-checks --standardize unicode against Python's unicodedata.

Usage: unicode_oracle_test.py UNICODE_STANDARDIZE_TOOL

The oracle applies the documented steps with the standard library:
NFC(casefold(NFKC(s))), "<br />" to a space, general category P* deleted,
White_Space to a space. Python's Unicode version may differ from
utf8proc's, so only code points assigned in Python's version are used
(private use left out), alone and after "A" (which composes with many
marks), plus random strings of letters, marks, punctuation and spaces from
long-stable blocks. U+0345 COMBINING GREEK YPOGEGRAMMENI is left out of the
random strings: it is the one mark that case-folds (to iota, a starter), and
folding it before composing (utf8proc, one pass) or after (this oracle)
orders it differently next to other marks.
"""
import random
import subprocess
import sys
import unicodedata

WHITE_SPACE = set(
    [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680]
    + list(range(0x2000, 0x200B))
    + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000])


def standardize(text):
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFC", text)
    text = text.replace("<br />", " ")
    out = []
    for ch in text:
        if unicodedata.category(ch).startswith("P"):
            continue
        out.append(" " if ord(ch) in WHITE_SPACE else ch)
    return "".join(out)


def inputs():
    for c in range(0x110000):
        ch = chr(c)
        category = unicodedata.category(ch)
        if category in ("Cn", "Cs", "Co"):
            continue
        yield ch
        yield "A" + ch
    pool = ([chr(c) for c in range(0x20, 0x7F)]
            + [chr(c) for c in range(0xA0, 0x180)]
            + [chr(c) for c in range(0x300, 0x370) if c != 0x345]
            + [chr(c) for c in range(0x391, 0x3CA)]
            + [chr(c) for c in range(0x410, 0x450)]
            + [chr(c) for c in range(0x2010, 0x2030)]
            + [chr(c) for c in range(0x3000, 0x3004)]
            + [chr(c) for c in range(0xFF01, 0xFF5F)]
            + ["<br />", "<BR />", "\u00df", "\u1e9e", "\u03c2", "\u4f60"])
    pool = [ch for ch in pool if unicodedata.category(ch[0]) != "Cn"]
    rng = random.Random(8)
    for _ in range(20000):
        yield "".join(rng.choice(pool) for _ in range(rng.randint(1, 12)))


def main():
    tool = sys.argv[1]
    texts = list(inputs())
    request = "".join(t.encode("utf-8").hex() + "\n" for t in texts)
    result = subprocess.run([tool], input=request.encode(), capture_output=True, check=True)
    lines = result.stdout.decode().split("\n")
    failures = 0
    for text, line in zip(texts, lines):
        ours = bytes.fromhex(line).decode("utf-8", errors="backslashreplace")
        expected = standardize(text)
        if ours != expected:
            failures += 1
            if failures <= 20:
                print("MISMATCH %s: ours %s, oracle %s" % (
                    ascii(text), ascii(ours), ascii(expected)))
    if len(lines) != len(texts) + 1:
        print("tool gave %d lines for %d texts" % (len(lines) - 1, len(texts)))
        return 1
    print("%d texts, %d mismatches (Python Unicode %s)" % (
        len(texts), failures, unicodedata.unidata_version))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
