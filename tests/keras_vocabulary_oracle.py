#!/usr/bin/python3
"""A slow, independent oracle for the vocabulary and the validation split.

Re-implements, in Python with real numpy, what Keras does in the tutorial:
text_dataset_from_directory's index_directory (class folders sorted, label =
position, any number of classes) and validation split
(np.random.RandomState(seed).shuffle of paths and, with a fresh generator of
the same seed, of labels), the tutorial's custom_standardization
(tf.strings.lower, regex_replace '<br />' -> ' ', strip string.punctuation)
or Keras's built-in modes, whitespace split, TextVectorization(ngrams=N)
(tf.strings.ngrams with ngram_width=(1, ..., N), separator " ", no padding:
all 1-grams in order, then all 2-grams in order, ...; a text of L tokens has
max(0, L - n + 1) n-grams), and IndexLookup.finalize_state
(np.lexsort((tokens, counts))[::-1], reserved tokens removed, max_tokens cap).
adapt counts the n-grams of whole texts: --sequence-length truncation
happens only when a text is vectorized, never in adapt.

Usage: keras_vocabulary_oracle.py DIR SEED SPLIT MAX_TOKENS STANDARDIZE
                                  [--ngrams N] [--training-files]
       keras_vocabulary_oracle.py --self-test
Prints the vocabulary, one token per line, index order, like
`sentiment inspect MODEL --vocabulary`; with --training-files, prints the
training split instead, one `label<TAB>path` line per file in split order.
--self-test checks the n-gram, vocabulary and vectorizing functions on
hand-worked examples and exits 0 if they all hold. (The vocabulary does not
depend on the order of a text's n-grams; the order matters when a text is
vectorized and truncated, which vectorize() shows.)
"""
import argparse
import os
import re
import string
import sys

import numpy as np

PUNCTUATION = re.compile(b"[" + re.escape(string.punctuation).encode() + b"]")
KERAS_STRIP = re.compile(rb'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
RESERVED = (b"", b"[UNK]")  # padding (index 0) and OOV (index 1)
MODES = ("tutorial", "lower_and_strip_punctuation", "lower", "strip_punctuation", "none")


def index_directory(directory):
    """Returns (paths, labels, class_names) in Keras's index order."""
    class_names = sorted(d for d in os.listdir(directory)
                         if os.path.isdir(os.path.join(directory, d)) and not d.startswith("."))
    paths, labels = [], []
    for label, name in enumerate(class_names):
        walk = sorted(os.walk(os.path.join(directory, name)), key=lambda x: x[0])
        for root, _, files in walk:
            for fname in sorted(files):
                if fname.lower().endswith(".txt"):
                    paths.append(os.path.join(root, fname))
                    labels.append(label)
    return paths, labels, class_names


def training_split(paths, labels, seed, split):
    """Keras's shuffle (index_directory) and get_training_or_validation_split."""
    paths, labels = list(paths), list(labels)
    np.random.RandomState(seed).shuffle(paths)
    np.random.RandomState(seed).shuffle(labels)
    num_val = int(split * len(paths))
    if num_val == 0:
        return paths, labels
    return paths[:-num_val], labels[:-num_val]


def standardize(text, mode):
    if mode in ("tutorial", "lower_and_strip_punctuation", "lower"):
        text = text.lower()  # bytes.lower() is ASCII-only, like tf.strings.lower
    if mode == "tutorial":
        text = text.replace(b"<br />", b" ")
        text = PUNCTUATION.sub(b"", text)
    elif mode in ("lower_and_strip_punctuation", "strip_punctuation"):
        text = KERAS_STRIP.sub(b"", text)
    return text


def ngrams(tokens, n):
    """tf.strings.ngrams(tokens, ngram_width=(1, ..., n), separator=" ").

    For each width w = 1..n in turn, every window of w adjacent tokens, left to
    right, joined by one space; no padding, so a text shorter than w has no
    w-gram (get_num_ngrams = max(0, L - w + 1) in string_ngrams_op.cc).
    """
    out = []
    for width in range(1, n + 1):
        for start in range(len(tokens) - width + 1):
            out.append(b" ".join(tokens[start:start + width]))
    return out


def count_terms(texts, mode, n):
    counts = {}
    for text in texts:
        for term in ngrams(standardize(text, mode).split(), n):
            counts[term] = counts.get(term, 0) + 1
    return counts


def vocabulary(counts, max_tokens):
    """IndexLookup.finalize_state: by count, ties by token, both descending."""
    counts = {t: c for t, c in counts.items() if t not in RESERVED}
    tokens = np.array(list(counts.keys()), dtype=object)
    values = np.array(list(counts.values()), dtype=np.int64)
    order = np.lexsort((tokens, values))[::-1][: max_tokens - len(RESERVED)]
    return list(RESERVED) + [tokens[i] for i in order]


def vectorize(text, vocab, mode, n, sequence_length):
    """TextVectorization.call, output_mode="int": the ids of the terms in
    ngrams() order (1-grams, then 2-grams, ...), unknown terms -> 1, truncated
    to sequence_length, so the longest n-grams go first, then padded with 0."""
    index = {term: i for i, term in enumerate(vocab)}
    ids = [index.get(term, 1) for term in ngrams(standardize(text, mode).split(), n)]
    ids = ids[:sequence_length]
    return ids + [0] * (sequence_length - len(ids))


def self_test():
    failures = []

    def check(what, got, want):
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    t = [b"a", b"b", b"c"]
    check("ngrams('a b c', 1)", ngrams(t, 1), [b"a", b"b", b"c"])
    check("ngrams('a b c', 2)", ngrams(t, 2), [b"a", b"b", b"c", b"a b", b"b c"])
    check("ngrams('a b c', 3)", ngrams(t, 3),
          [b"a", b"b", b"c", b"a b", b"b c", b"a b c"])
    check("ngrams('a b c', 4)", ngrams(t, 4),
          [b"a", b"b", b"c", b"a b", b"b c", b"a b c"])
    check("ngrams('a', 2): no 2-gram", ngrams([b"a"], 2), [b"a"])
    check("ngrams('a b', 3): no 3-gram", ngrams([b"a", b"b"], 3), [b"a", b"b", b"a b"])
    check("ngrams('', 3)", ngrams([], 3), [])
    check("ngrams('x x x', 2): repeats kept", ngrams([b"x"] * 3, 2),
          [b"x", b"x", b"x", b"x x", b"x x"])
    # Split first (runs of whitespace are one separator), then n-grams, which
    # therefore never contain a double space or punctuation the mode strips.
    check("count_terms tutorial 2", count_terms([b"The  cat,<br />sat."], "tutorial", 2),
          {b"the": 1, b"cat": 1, b"sat": 1, b"the cat": 1, b"cat sat": 1})
    # a: 3, b: 3, "a b": 2, "b a": 1; ties (a, b) break by token, descending.
    counts = count_terms([b"a b", b"a b", b"b a"], "none", 2)
    check("counts of 'a b','a b','b a' (N=2)", counts,
          {b"a": 3, b"b": 3, b"a b": 2, b"b a": 1})
    check("vocabulary, no cap", vocabulary(counts, 100),
          [b"", b"[UNK]", b"b", b"a", b"a b", b"b a"])
    check("vocabulary, max_tokens=5", vocabulary(counts, 5), [b"", b"[UNK]", b"b", b"a", b"a b"])
    # A 1-gram equal to a reserved token is dropped; an n-gram containing it is
    # an ordinary term.
    check("reserved tokens", vocabulary(count_terms([b"[UNK] x"], "none", 2), 10),
          [b"", b"[UNK]", b"x", b"[UNK] x"])
    # Vectorizing: 1-grams come first, so truncation drops the longest n-grams.
    vocab = [b"", b"[UNK]", b"b", b"a", b"a b", b"b a"]
    check("vectorize 'a b c' N=2 len 4", vectorize(b"a b c", vocab, "none", 2, 4), [3, 2, 1, 4])
    check("vectorize 'a b c' N=2 len 7", vectorize(b"a b c", vocab, "none", 2, 7),
          [3, 2, 1, 4, 1, 0, 0])
    check("vectorize 'b' N=3 len 3", vectorize(b"b", vocab, "none", 3, 3), [2, 0, 0])
    # K classes: labels are positions of the sorted class folders; the label
    # shuffle uses a fresh RandomState(seed), so pairs stay together.
    paths = [f"c{k}/{i}.txt" for k in range(3) for i in range(5)]
    labels = [k for k in range(3) for _ in range(5)]
    train_paths, train_labels = training_split(paths, labels, 7, 0.2)
    check("split sizes", (len(train_paths), len(train_labels)), (12, 12))
    check("split keeps (path, label) pairs",
          all(p.startswith(f"c{label}/") for p, label in zip(train_paths, train_labels)), True)
    check("split with int(F*n) == 0 keeps every file", len(training_split(paths, labels, 7, 0.05)[0]), 15)

    for failure in failures:
        print("FAIL", failure, file=sys.stderr)
    print(f"keras_vocabulary_oracle self-test: {'FAILED' if failures else 'ok'}", file=sys.stderr)
    return 1 if failures else 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory")
    parser.add_argument("seed", type=int)
    parser.add_argument("split", type=float)
    parser.add_argument("max_tokens", type=int)
    parser.add_argument("mode", choices=MODES)
    parser.add_argument("--ngrams", type=int, default=1, help="TextVectorization(ngrams=N)")
    parser.add_argument("--training-files", action="store_true",
                        help="print the training split (label TAB path) instead")
    args = parser.parse_args()
    if args.ngrams < 1:
        parser.error("--ngrams must be at least 1")
    if args.max_tokens < len(RESERVED):
        parser.error("MAX_TOKENS must be at least 2")

    paths, labels, class_names = index_directory(args.directory)
    if not class_names:
        parser.error(f"{args.directory}: no class folders")
    training, training_labels = training_split(paths, labels, args.seed, args.split)
    out = sys.stdout.buffer
    if args.training_files:
        for path, label in zip(training, training_labels):
            out.write(f"{label}\t{path}\n".encode())
        return 0

    texts = []
    for path in training:
        with open(path, "rb") as f:
            texts.append(f.read())
    for token in vocabulary(count_terms(texts, args.mode, args.ngrams), args.max_tokens):
        out.write(token + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
