#!/usr/bin/python3
"""A slow, independent oracle for the vocabulary and the validation split.

Re-implements, in Python with real numpy, what Keras does in the tutorial:
text_dataset_from_directory's index_directory and validation split
(np.random.RandomState(seed).shuffle), the tutorial's custom_standardization
(tf.strings.lower, regex_replace '<br />' -> ' ', strip string.punctuation)
or Keras's built-in modes, whitespace split, and IndexLookup.finalize_state
(np.lexsort((tokens, counts))[::-1], reserved tokens removed, max_tokens cap).

Usage: keras_vocabulary_oracle.py DIR SEED SPLIT MAX_TOKENS STANDARDIZE
Prints the vocabulary, one token per line, index order, like
`sentiment inspect MODEL --vocabulary`.
"""
import os
import re
import string
import sys

import numpy as np

PUNCTUATION = re.compile(b"[" + re.escape(string.punctuation).encode() + b"]")
KERAS_STRIP = re.compile(rb'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')


def index_directory(directory):
    classes = sorted(d for d in os.listdir(directory)
                     if os.path.isdir(os.path.join(directory, d)) and not d.startswith("."))
    paths, labels = [], []
    for label, name in enumerate(classes):
        walk = sorted(os.walk(os.path.join(directory, name)), key=lambda x: x[0])
        for root, _, files in walk:
            for fname in sorted(files):
                if fname.lower().endswith(".txt"):
                    paths.append(os.path.join(root, fname))
                    labels.append(label)
    return paths, labels


def standardize(text, mode):
    if mode in ("tutorial", "lower_and_strip_punctuation", "lower"):
        text = text.lower()  # bytes.lower() is ASCII-only, like tf.strings.lower
    if mode == "tutorial":
        text = text.replace(b"<br />", b" ")
        text = PUNCTUATION.sub(b"", text)
    elif mode in ("lower_and_strip_punctuation", "strip_punctuation"):
        text = KERAS_STRIP.sub(b"", text)
    return text


def main():
    directory, seed, split, max_tokens, mode = sys.argv[1:]
    seed, split, max_tokens = int(seed), float(split), int(max_tokens)
    paths, _ = index_directory(directory)
    np.random.RandomState(seed).shuffle(paths)
    num_val = int(split * len(paths))
    training = paths[:-num_val] if num_val else paths

    counts = {}
    for path in training:
        with open(path, "rb") as f:
            for token in standardize(f.read(), mode).split():
                counts[token] = counts.get(token, 0) + 1
    counts.pop(b"", None)
    counts.pop(b"[UNK]", None)
    tokens = np.array(list(counts.keys()), dtype=object)
    values = np.array(list(counts.values()), dtype=np.int64)
    order = np.lexsort((tokens, values))[::-1][: max_tokens - 2]
    out = sys.stdout.buffer
    out.write(b"\n[UNK]\n")
    for i in order:
        out.write(tokens[i] + b"\n")


if __name__ == "__main__":
    main()
