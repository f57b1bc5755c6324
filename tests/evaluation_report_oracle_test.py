#!/usr/bin/python3
"""evaluate's report against scikit-learn, end to end, run by ctest:

    evaluation_report_oracle_test.py SENTIMENT_BINARY SOURCE_DIR

For the bundled default model on data/test (binary, 600 files), a 3-class
model trained on tests/data/topics, and that model on the topics lacking a
class, it runs `sentiment evaluate --json` and `sentiment predict --files
--logits` on the same folder, and checks every number of the JSON against
scikit-learn (precision_recall_fscore_support, confusion_matrix, log_loss,
roc_auc_score) and numpy (Brier score, ECE) computed from those logits.
predict prints logits to 7 significant digits, so the numbers agree to
about 1e-6, not bit for bit. Exits non-zero on the first mismatch.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from sklearn.metrics import (confusion_matrix, log_loss,
                             precision_recall_fscore_support, roc_auc_score)

TOLERANCE = 1e-6


def run(*args):
    result = subprocess.run(args, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)} exited {result.returncode}: "
                 f"{result.stderr}")
    return result.stdout


def logits_and_labels(binary, bundle, folder, class_names):
    """Per file under `folder`: the logits predict prints, and the class
    index of the file's folder name."""
    out = run(binary, "predict", bundle, "--files", "--logits", "--no-class",
              "--threads", "2", folder)
    logits, labels = [], []
    for line in out.splitlines():
        path, *values = line.split("\t")
        labels.append(class_names.index(os.path.basename(os.path.dirname(path))))
        logits.append([float(v) for v in values])
    return np.array(logits, dtype=np.float64), np.array(labels)


def probabilities(logits, classes):
    """ClassProbabilities: [1 - sigmoid, sigmoid] for one logit, softmax."""
    if classes == 2:
        p = 1.0 / (1.0 + np.exp(-logits[:, 0]))
        return np.stack([1.0 - p, p], axis=1)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def predicted_classes(logits, classes):
    """PredictedClass: logit > 0 for binary, else argmax (first on ties)."""
    if classes == 2:
        return (logits[:, 0] > 0).astype(int)
    return logits.argmax(axis=1)


def expected_calibration_error(p, predicted, labels):
    top = p[np.arange(len(p)), predicted]
    edges = np.arange(1, 16) / 15.0
    # Bin b (1..15) holds (b-1)/15 < p <= b/15: the first edge >= p.
    bins = np.minimum(np.searchsorted(edges, top, side="left"), 14)
    ece = 0.0
    for b in range(15):
        inside = bins == b
        if inside.any():
            accuracy = (predicted[inside] == labels[inside]).mean()
            ece += inside.mean() * abs(accuracy - top[inside].mean())
    return ece


def expected_report(logits, labels, class_names):
    k = len(class_names)
    everything = list(range(k))
    p = probabilities(logits, k)
    predicted = predicted_classes(logits, k)
    onehot = np.eye(k)[labels]
    if k == 2:
        brier = np.mean((p[:, 1] - labels) ** 2)
    else:
        brier = np.mean(np.sum((p - onehot) ** 2, axis=1))
    if len(set(labels)) < k:
        roc_auc = None
    elif k == 2:
        roc_auc = roc_auc_score(labels, p[:, 1])
    else:
        roc_auc = roc_auc_score(labels, p, multi_class="ovr", average="macro",
                                labels=everything)
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=everything, zero_division=0)
    averages = {}
    for average in ("macro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(
            labels, predicted, labels=everything, average=average,
            zero_division=0)
        averages[average] = {"precision": ap, "recall": ar, "f1": af}
    return {
        "examples": len(labels),
        "accuracy": float(np.mean(predicted == labels)),
        "loss": log_loss(labels, p, labels=everything),
        "brier": brier,
        "ece": expected_calibration_error(p, predicted, labels),
        "roc_auc": roc_auc,
        "confusion": confusion_matrix(labels, predicted,
                                      labels=everything).tolist(),
        "classes": [{"name": class_names[i], "precision": precision[i],
                     "recall": recall[i], "f1": f1[i],
                     "support": int(support[i])} for i in everything],
        "macro": averages["macro"],
        "weighted": averages["weighted"],
    }


def compare(got, want, where):
    """Exact for integers, strings and structure; TOLERANCE for reals."""
    if isinstance(want, dict):
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            sys.exit(f"FAIL: {where}: keys {sorted(got)}, expected {sorted(want)}")
        for key in want:
            compare(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            sys.exit(f"FAIL: {where}: {got!r}, expected {want!r}")
        for i, (g, w) in enumerate(zip(got, want)):
            compare(g, w, f"{where}[{i}]")
    elif want is None or isinstance(want, (str, int, np.integer)) and not \
            isinstance(want, bool):
        if got != want or type(got) is float:
            sys.exit(f"FAIL: {where}: {got!r}, expected {want!r}")
    else:
        if got is None or not math.isclose(got, float(want), rel_tol=0,
                                           abs_tol=TOLERANCE):
            sys.exit(f"FAIL: {where}: {got!r}, expected {float(want)!r}")


def check(binary, model, bundle, folder, class_names, name):
    report = json.loads(run(binary, "evaluate", model, folder, "--json",
                            "--threads", "2"))
    logits, labels = logits_and_labels(binary, bundle, folder, class_names)
    want = expected_report(logits, labels, class_names)
    compare(report, want, name)
    print(f"ok: {name}: {want['examples']} examples, accuracy "
          f"{want['accuracy']:.4f}, roc_auc {want['roc_auc']}")


def main():
    binary, source = sys.argv[1], sys.argv[2]
    default = os.path.join(source, "models", "default.sentiment")
    check(binary, default, default, os.path.join(source, "data", "test"),
          ["neg", "pos"], "default model on data/test")

    work = tempfile.mkdtemp()
    try:
        topics = os.path.join(source, "tests", "data", "topics")
        model = os.path.join(work, "topics.sentiment")
        bundle = os.path.join(work, "topics.bundle")
        run(binary, "train", topics, "-o", model, "--sequence-length", "12",
            "--epochs", "8", "--batch-size", "4", "--learning-rate", "0.05",
            "--validation-split", "0.25", "--threads", "1")
        run(binary, "export", model, "-o", bundle)
        names = sorted(os.listdir(topics))
        # The trained model (no activation) and the bundle report the same.
        check(binary, model, bundle, topics, names, "3-class model on topics")
        check(binary, bundle, bundle, topics, names, "3-class bundle on topics")
        lacking = os.path.join(work, "lacking")
        for name in names[:2]:
            shutil.copytree(os.path.join(topics, name),
                            os.path.join(lacking, name))
        check(binary, bundle, bundle, lacking, names,
              "3-class bundle on topics lacking a class")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
