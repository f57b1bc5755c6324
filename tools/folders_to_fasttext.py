#!/usr/bin/env python3
"""Writes a folder of class folders as fastText supervised input.

Usage: tools/folders_to_fasttext.py DIR OUT [--shuffle-seed S]

DIR is laid out as `sentiment train` reads it (Keras
text_dataset_from_directory): one subfolder per class, folders starting with
`.` skipped, each class folder walked recursively, files whose names end in
`.txt` in any case read as raw bytes. OUT gets one line per file,

    __label__<class> <text>

with every `\\n` and `\\r` of the text replaced by a space (fastText ends an
example at a newline) and nothing else changed: fastText is given raw text,
as its users give it, and does its own splitting on whitespace.

Lines are written in a shuffled order (numpy-free `random.Random(S)`, S = 1
by default): fastText's SGD walks the file in order, and class-sorted input
would train it on one class at a time. `--shuffle-seed -1` keeps the folder
order (fine for test files, which are only counted).

A class name holding whitespace cannot be a fastText label and is refused.
Prints the number of lines per class to stderr.
"""

import os
import random
import sys


def class_folders(root):
    names = sorted(
        (e.name for e in os.scandir(root)
         if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")),
        key=os.fsencode)
    if not names:
        sys.exit(f"folders_to_fasttext.py: {root}: no class folders")
    for name in names:
        if any(c.isspace() for c in name):
            sys.exit(f"folders_to_fasttext.py: {root}/{name!r}: a class name "
                     "with whitespace cannot be a fastText label")
    return names


def text_files(folder):
    found = []
    for top, dirs, files in os.walk(folder):
        dirs.sort(key=os.fsencode)
        found.extend(os.path.join(top, f) for f in sorted(files, key=os.fsencode)
                     if f.lower().endswith(".txt"))
    return found


def main(argv):
    args = argv[1:]
    seed = 1
    if "--shuffle-seed" in args:
        i = args.index("--shuffle-seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__.split("\n\n")[1])
    root, out = args
    lines = []
    counts = {}
    flatten = bytes.maketrans(b"\n\r", b"  ")
    for name in class_folders(root):
        label = b"__label__" + os.fsencode(name) + b" "
        files = text_files(os.path.join(root, name))
        counts[name] = len(files)
        for path in files:
            with open(path, "rb") as f:
                lines.append(label + f.read().translate(flatten) + b"\n")
    if seed >= 0:
        random.Random(seed).shuffle(lines)
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.writelines(lines)
    os.replace(tmp, out)
    print("folders_to_fasttext.py: " + root + ": " +
          ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
