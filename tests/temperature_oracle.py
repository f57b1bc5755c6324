"""The temperature of temperature scaling, by scipy, for temperature_scaling_test.

Reads JSON {"outputs": K, "logits": [...], "labels": [...]} (K values per
example; K = 1 is binary with sigmoid) from the file named by the argument
and prints the T > 0 minimizing the mean log-loss of the activation of
logits / T, as repr(float). Independent of src/temperature_scaling.cpp: the
loss comes from scipy.special (log_expit, logsumexp) and the minimum from
scipy's bounded Brent search over log T, not from Newton steps in 1/T.
"""
import json
import sys

import numpy as np
from scipy import optimize, special


def mean_log_loss(log_t, z, y, outputs):
    s = z / np.exp(log_t)
    if outputs == 1:
        s = s[:, 0]
        # -log sigmoid(s) for y = 1, -log sigmoid(-s) for y = 0.
        return float(-np.mean(np.where(y == 1, special.log_expit(s),
                                       special.log_expit(-s))))
    return float(np.mean(special.logsumexp(s, axis=1) - s[np.arange(len(y)), y]))


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    outputs = data["outputs"]
    z = np.asarray(data["logits"], dtype=np.float64).reshape(-1, outputs)
    y = np.asarray(data["labels"], dtype=np.int64)
    # A coarse grid finds the basin, Brent's bounded search polishes it.
    grid = np.linspace(-6.0, 6.0, 1201)
    losses = [mean_log_loss(g, z, y, outputs) for g in grid]
    best = int(np.argmin(losses))
    if best in (0, len(grid) - 1):
        print("no interior minimum", file=sys.stderr)
        sys.exit(1)
    result = optimize.minimize_scalar(
        mean_log_loss, bounds=(grid[best - 1], grid[best + 1]), method="bounded",
        args=(z, y, outputs), options={"xatol": 1e-12})
    print(repr(float(np.exp(result.x))))


if __name__ == "__main__":
    main()
