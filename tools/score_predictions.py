#!/usr/bin/env python3
"""Scores one predicted class per line against a fastText-format test file.

Usage: tools/score_predictions.py TEST_FT PREDICTIONS

TEST_FT holds `__label__<class> <text>` lines (tools/folders_to_fasttext.py);
PREDICTIONS one line per TEST_FT line, in the same order, whose last
tab-separated field is the predicted class, with or without the `__label__`
prefix (so `sentiment predict` and `fasttext predict` output both work).

Prints `accuracy balanced_accuracy lines`: the fraction predicted right, and
the mean over the true classes of each class's recall (scikit-learn's
balanced_accuracy_score), which a classifier that always answers the
largest class cannot lift above 1/K.
"""

import sys

PREFIX = b"__label__"


def strip_prefix(label):
    return label[len(PREFIX):] if label.startswith(PREFIX) else label


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    with open(argv[1], "rb") as f:
        truth = [strip_prefix(line.split(b" ", 1)[0].rstrip(b"\n")) for line in f]
    with open(argv[2], "rb") as f:
        predicted = [strip_prefix(line.rstrip(b"\r\n").split(b"\t")[-1]) for line in f]
    if len(truth) != len(predicted) or not truth:
        sys.exit(f"score_predictions.py: {argv[1]} has {len(truth)} lines, "
                 f"{argv[2]} has {len(predicted)}")
    seen, right = {}, {}
    for t, p in zip(truth, predicted):
        seen[t] = seen.get(t, 0) + 1
        right[t] = right.get(t, 0) + (t == p)
    accuracy = sum(right.values()) / len(truth)
    balanced = sum(right[c] / seen[c] for c in seen) / len(seen)
    print(f"{accuracy:.4f} {balanced:.4f} {len(truth)}")


if __name__ == "__main__":
    main(sys.argv)
