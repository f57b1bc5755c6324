#!/usr/bin/python3
"""Trains and tests a TF-IDF + logistic-regression baseline on class folders.

Usage: tools/tfidf_baseline.py TRAIN_DIR TEST_DIR

TRAIN_DIR and TEST_DIR are laid out as `sentiment train` reads them (Keras
text_dataset_from_directory): one subfolder per class, sorted by byte value,
folders starting with `.` skipped, each class folder walked recursively,
files whose names end in `.txt` in any case read as raw bytes. The bytes are
decoded as UTF-8 with invalid sequences replaced by U+FFFD, and handed whole
to scikit-learn:

    TfidfVectorizer(sublinear_tf=True)               # its defaults otherwise:
                                                     # lowercase, tokens of 2+
                                                     # word characters, l2 norm
    LogisticRegression(C=10, max_iter=1000)          # lbfgs; multinomial for
                                                     # K > 2 classes

fitted on TRAIN_DIR, then scored on TEST_DIR. A test file of a class the
training folders lack counts as wrong.

Prints one line to stdout,

    accuracy A balanced B train_seconds T read_seconds R fit_seconds F iterations I

where A is the fraction of test files predicted right, B the mean per-class
recall, R the time to read the training files, F the time of the
vectorizer's fit_transform plus the classifier's fit, T = R + F (what
`sentiment train` also covers: reading, adapting, fitting), and I the
solver's iteration count (I = 1000 means it stopped before converging).
The thread count of the BLAS under numpy follows OMP_NUM_THREADS.
Needs Debian's python3-sklearn.
"""

import os
import sys
import time
import warnings


def class_folders(root):
    names = sorted(
        (e.name for e in os.scandir(root)
         if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")),
        key=os.fsencode)
    if not names:
        sys.exit(f"tfidf_baseline.py: {root}: no class folders")
    return names


def read_folders(root):
    """Returns (texts, labels) of every .txt file under root's class folders."""
    texts, labels = [], []
    for name in class_folders(root):
        for top, dirs, files in os.walk(os.path.join(root, name)):
            dirs.sort(key=os.fsencode)
            for f in sorted(files, key=os.fsencode):
                if f.lower().endswith(".txt"):
                    with open(os.path.join(top, f), "rb") as handle:
                        texts.append(handle.read().decode("utf-8", "replace"))
                    labels.append(name)
    if not texts:
        sys.exit(f"tfidf_baseline.py: {root}: no .txt files")
    return texts, labels


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        sys.exit("tfidf_baseline.py: scikit-learn is missing "
                 "(apt-get install python3-sklearn)")

    start = time.perf_counter()
    train_texts, train_labels = read_folders(argv[1])
    read_seconds = time.perf_counter() - start

    start = time.perf_counter()
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    train_matrix = vectorizer.fit_transform(train_texts)
    classifier = LogisticRegression(C=10, max_iter=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(train_matrix, train_labels)
    fit_seconds = time.perf_counter() - start

    test_texts, test_labels = read_folders(argv[2])
    predicted = classifier.predict(vectorizer.transform(test_texts))
    seen, right = {}, {}
    for truth, guess in zip(test_labels, predicted):
        seen[truth] = seen.get(truth, 0) + 1
        right[truth] = right.get(truth, 0) + (truth == guess)
    accuracy = sum(right.values()) / len(test_labels)
    balanced = sum(right[c] / seen[c] for c in seen) / len(seen)
    print(f"accuracy {accuracy:.4f} balanced {balanced:.4f} "
          f"train_seconds {read_seconds + fit_seconds:.2f} "
          f"read_seconds {read_seconds:.2f} fit_seconds {fit_seconds:.2f} "
          f"iterations {int(max(classifier.n_iter_))}")


if __name__ == "__main__":
    main(sys.argv)
