#!/usr/bin/python3
"""A slow, independent training oracle for the tutorial network, in numpy.

The network is that of the Keras "basic text classification" tutorial,
with dropout off:
  Embedding(V, D) -> GlobalAveragePooling1D -> Dense(outputs), emitting logits,
trained with Keras 3 Adam on per-example-weighted cross-entropy. It is written
from the formulas and the Keras 3 source (keras-team/keras 3.16.0, commit
3422977a5e38), never from our C++ trainer. Where each formula comes from:

Forward
- Embedding: keras/src/layers/core/embedding.py Embedding.call
  (ops.take(self.embeddings, inputs, axis=0)); with mask_zero=True,
  Embedding.compute_mask gives the mask ids != 0.
- Pooling: keras/src/layers/pooling/global_average_pooling1d.py
  GlobalAveragePooling1D.call: without a mask ops.mean over all L steps
  (padding included); with a mask sum(where(mask, x, 0)) / sum(mask). A row
  that is all padding divides 0 by 0 there (NaN); here its pooled vector is
  0 instead (so its logits are the bias). compute_mask returns None, so the
  loss sees no mask.
- Dense: keras/src/layers/core/dense.py Dense.call, x @ kernel + bias.

Loss (the batch loss of one step)
- outputs == 1: BinaryCrossentropy(from_logits=True),
  keras/src/losses/losses.py binary_crossentropy -> keras/src/backend/
  tensorflow/nn.py binary_crossentropy -> tf.nn.sigmoid_cross_entropy_with_logits:
  l = max(z, 0) - z*y + log1p(exp(-|z|)).
- outputs == K > 1: SparseCategoricalCrossentropy(from_logits=True),
  losses.py sparse_categorical_crossentropy -> nn.py
  sparse_categorical_crossentropy -> tf.nn.sparse_softmax_cross_entropy_with_logits:
  l = logsumexp(z) - z[y], computed as m + log(sum(exp(z - m))) - z[y], m = max(z).
- Sample weights (fit(class_weight=...) becomes per-example weights in
  keras/src/trainers/data_adapters/data_adapter_utils.py
  class_weight_to_sample_weights): keras/src/losses/loss.py
  Loss.__call__ -> reduce_weighted_values (values = values * sample_weight)
  -> reduce_values with the default reduction "sum_over_batch_size":
  divisor = the number of elements of values (the batch size), not the sum of
  the weights (that is "mean_with_sample_weight"). So
  loss = sum_i(w_i * l_i) / batch_size.

Optimizer: keras/src/optimizers/adam.py Adam.update_step, dense, for every
variable, with t = iterations + 1:
  alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
  m += (g - m) * (1 - beta_1);  v += (g^2 - v) * (1 - beta_2)
  var -= (m * alpha) / (sqrt(v) + epsilon)
The embedding's gradient is a tf.IndexedSlices with the TF backend, but
Adam.update_step's ops.subtract(gradient, m) densifies it
(keras/src/backend/tensorflow/sparse.py elementwise_binary_union: "x1 is an
IndexedSlices, densify"), so m, v and the variable are updated with dense
values: every embedding row decays its moments and moves on every step, also
rows absent from the batch. Keras's own test says so:
keras/src/optimizers/optimizer_sparse_test.py lists "adam" without
expect_model_sparse_variable_updates, and test_sparse_correctness asserts that
a sparse gradient gives the same result as the dense one. Hence no --sparse
(lazy) mode here.

Everything is float32 like Keras; the order of float operations differs from
TensorFlow's and from ours, so results agree to float tolerance, not bits.

Usage:
  training_oracle.py SPEC.json OUT.json
      Trains as SPEC.json says (see run_spec) and writes the loss of each
      step (before its update) and the final weights.
  training_oracle.py --orders N SEED EPOCHS
      Prints the example order of each epoch, one JSON list a line.
  training_oracle.py --initial-weights V D OUTPUTS SEED
      Prints {"embedding", "kernel", "bias"} as JSON.
  training_oracle.py --self-test
      Runs the checks in self_test; exits 1 on a failure.
"""
import json
import sys

import numpy as np

F32 = np.float32
MASK64 = (1 << 64) - 1


# ----------------------------------------------------------------- seeds ----

def derive_seed(seed, stream):
    """The uint32 seed of stream `stream` of the user's seed (SplitMix64).

    Stream 1 draws the initial weights, stream 2 the epoch shuffles; the
    validation split uses the raw seed, as Keras does.
    """
    if not 0 <= seed < 1 << 32:
        raise ValueError(f"seed {seed} is not a uint32")
    z = ((stream << 32) | seed) & MASK64
    z = (z + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    z ^= z >> 31
    return z >> 32


def epoch_orders(n, seed, epochs):
    """Yields the example order of each epoch: one RandomState shuffling the
    same arange(n) in place, epoch after epoch (a copy is yielded)."""
    rs = np.random.RandomState(derive_seed(seed, 2))
    order = np.arange(n)
    for _ in range(epochs):
        rs.shuffle(order)
        yield order.copy()


def epoch_batches(n, seed, epochs, batch_size):
    """The steps of `epochs` epochs, in order: consecutive batch_size slices
    of each epoch's order, the last one of an epoch smaller. Ready for a
    spec's "batches"."""
    return [order[i:i + batch_size].tolist()
            for order in epoch_orders(n, seed, epochs)
            for i in range(0, n, batch_size)]


def _raw_draws(rs, count):
    """`count` raw 32-bit MT19937 outputs of a RandomState. Its bit generator
    is seeded with init_genrand, so these equal std::mt19937(seed)()."""
    return rs._bit_generator.random_raw(count).astype(np.uint64)


def _unit_floats(raw):
    """u = (top 24 bits of a raw draw) / 2^24, exact in float32, in [0, 1)."""
    return (raw >> np.uint64(8)).astype(F32) / F32(1 << 24)


def initial_weights(vocab, dim, outputs, seed):
    """Initial weights from stream 1 of `seed`: the embedding (row-major) is
    -0.05 + 0.1*u (Keras "uniform": RandomUniform(-0.05, 0.05)), then the
    kernel (D x outputs, row-major) is limit*(2u - 1), limit =
    sqrt(6 / (D + outputs)) (Keras glorot_uniform), the bias is zero."""
    rs = np.random.RandomState(derive_seed(seed, 1))
    u = _unit_floats(_raw_draws(rs, vocab * dim))
    embedding = (F32(-0.05) + F32(0.1) * u).reshape(vocab, dim)
    limit = np.sqrt(F32(6.0) / F32(dim + outputs))
    u = _unit_floats(_raw_draws(rs, dim * outputs))
    kernel = (limit * (F32(2.0) * u - F32(1.0))).reshape(dim, outputs)
    return {"embedding": embedding, "kernel": kernel,
            "bias": np.zeros(outputs, F32)}


# ------------------------------------------------------- network and loss --

def pool(embedding, ids, mask_padding):
    """Mean of the embedding rows of each example: over all L positions, or
    with mask_padding over the positions whose id != 0 (0 if there are none).
    Returns (pooled (B, D), coefficient of each position (B, L))."""
    dtype = embedding.dtype
    if mask_padding:
        keep = (ids != 0).astype(dtype)
    else:
        keep = np.ones(ids.shape, dtype)
    count = keep.sum(axis=1)
    total = (embedding[ids] * keep[:, :, None]).sum(axis=1)
    safe = np.where(count > 0, count, dtype.type(1))
    pooled = np.where(count[:, None] > 0, total / safe[:, None], dtype.type(0))
    coefficient = keep / safe[:, None]
    return pooled, coefficient


def example_losses(logits, labels):
    """Cross-entropy of each example from its logits (B, outputs)."""
    if logits.shape[1] == 1:
        z = logits[:, 0]
        y = labels.astype(logits.dtype)
        return np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    top = logits.max(axis=1)
    lse = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
    return lse - logits[np.arange(len(labels)), labels]


def logit_gradient(logits, labels):
    """d(example loss)/d(logits): sigmoid(z) - y, or softmax(z) - onehot(y)."""
    if logits.shape[1] == 1:
        z = logits[:, 0]
        e = np.exp(-np.abs(z))
        sigmoid = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
        return (sigmoid - labels.astype(logits.dtype))[:, None]
    exp = np.exp(logits - logits.max(axis=1, keepdims=True))
    grad = exp / exp.sum(axis=1, keepdims=True)
    grad[np.arange(len(labels)), labels] -= 1
    return grad


def loss_and_gradients(params, ids, labels, weights, mask_padding):
    """The batch loss sum_i(w_i * l_i) / B and its gradient with respect to
    each of params {"embedding", "kernel", "bias"}, in params' dtype."""
    embedding, kernel, bias = params["embedding"], params["kernel"], params["bias"]
    dtype = embedding.dtype
    batch = dtype.type(len(labels))
    weights = weights.astype(dtype)
    pooled, coefficient = pool(embedding, ids, mask_padding)
    logits = pooled @ kernel + bias
    loss = (weights * example_losses(logits, labels)).sum() / batch

    d_logits = logit_gradient(logits, labels) * (weights / batch)[:, None]
    d_pooled = d_logits @ kernel.T
    d_embedding = np.zeros_like(embedding)
    np.add.at(d_embedding, ids, coefficient[:, :, None] * d_pooled[:, None, :])
    grads = {"embedding": d_embedding, "kernel": pooled.T @ d_logits,
             "bias": d_logits.sum(axis=0)}
    for name, grad in grads.items():
        assert grad.dtype == dtype, (name, grad.dtype)
    assert loss.dtype == dtype
    return loss, grads


# ------------------------------------------------------------------ Adam ----

class Adam:
    """Keras 3 Adam (keras/src/optimizers/adam.py update_step), dense."""

    def __init__(self, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        self.lr = F32(learning_rate)
        self.beta_1 = F32(beta_1)
        self.beta_2 = F32(beta_2)
        # Keras multiplies by the Python float (1 - beta), cast to float32.
        self.one_minus_beta_1 = F32(1.0 - beta_1)
        self.one_minus_beta_2 = F32(1.0 - beta_2)
        self.epsilon = F32(epsilon)
        self.iterations = 0
        self.m = {}
        self.v = {}

    def step(self, params, grads):
        t = F32(self.iterations + 1)
        beta_1_power = np.power(self.beta_1, t)
        beta_2_power = np.power(self.beta_2, t)
        alpha = self.lr * np.sqrt(F32(1) - beta_2_power) / (F32(1) - beta_1_power)
        for name, g in grads.items():
            m = self.m.setdefault(name, np.zeros_like(g))
            v = self.v.setdefault(name, np.zeros_like(g))
            m += (g - m) * self.one_minus_beta_1
            v += (np.square(g) - v) * self.one_minus_beta_2
            params[name] -= (m * alpha) / (np.sqrt(v) + self.epsilon)
            assert params[name].dtype == g.dtype == m.dtype == v.dtype
        self.iterations += 1


# ------------------------------------------------------------------ spec ----

def _check(condition, message):
    if not condition:
        raise ValueError(message)


def load_spec(spec):
    """Arrays of a spec, validated. See run_spec for the fields."""
    outputs = int(spec["outputs"])
    _check(outputs >= 1, f"outputs is {outputs}, expected >= 1")
    embedding = np.asarray(spec["embedding"], F32)
    kernel = np.asarray(spec["kernel"], F32)
    bias = np.asarray(spec["bias"], F32)
    _check(embedding.ndim == 2, "embedding is not a V x D matrix")
    vocab, dim = embedding.shape
    _check(kernel.shape == (dim, outputs),
           f"kernel is {kernel.shape}, expected {(dim, outputs)}")
    _check(bias.shape == (outputs,), f"bias is {bias.shape}, expected {(outputs,)}")
    ids = np.asarray(spec["ids"], np.int64)
    _check(ids.ndim == 2 and ids.shape[1] >= 1, "ids is not an n x L matrix")
    _check(ids.min() >= 0 and ids.max() < vocab, f"an id is outside [0, {vocab})")
    labels = np.asarray(spec["labels"], np.int64)
    weights = np.asarray(spec["sample_weights"], F32)
    n = len(ids)
    _check(labels.shape == (n,), f"labels has {labels.shape}, expected ({n},)")
    _check(weights.shape == (n,), f"sample_weights has {weights.shape}, expected ({n},)")
    classes = 2 if outputs == 1 else outputs
    _check(labels.min() >= 0 and labels.max() < classes,
           f"a label is outside [0, {classes})")
    batches = [np.asarray(b, np.int64) for b in spec["batches"]]
    for b in batches:
        _check(b.ndim == 1 and len(b) > 0, "a batch is empty")
        _check(b.min() >= 0 and b.max() < n, f"a batch index is outside [0, {n})")
    params = {"embedding": embedding, "kernel": kernel, "bias": bias}
    return params, ids, labels, weights, batches


def run_spec(spec):
    """Trains as the spec says and returns {"losses", "embedding", "kernel",
    "bias"}: the batch loss of each step before its update, the weights after
    all steps.

    spec: {"outputs": 1 or K, "mask_padding": bool, "learning_rate", "beta_1",
    "beta_2", "epsilon", "ids": n x L, "labels": n (0/1 or class index),
    "sample_weights": n, "batches": [[example index, ...], ...] (the steps in
    order), "embedding": V x D, "kernel": D x outputs, "bias": outputs}."""
    params, ids, labels, weights, batches = load_spec(spec)
    mask_padding = bool(spec["mask_padding"])
    adam = Adam(spec["learning_rate"], spec.get("beta_1", 0.9),
                spec.get("beta_2", 0.999), spec.get("epsilon", 1e-7))
    losses = []
    for b in batches:
        loss, grads = loss_and_gradients(params, ids[b], labels[b], weights[b],
                                         mask_padding)
        losses.append(float(loss))
        adam.step(params, grads)
    return {"losses": losses, "embedding": params["embedding"].tolist(),
            "kernel": params["kernel"].tolist(), "bias": params["bias"].tolist()}


# ------------------------------------------------------------- self-test ----

class SelfTest:
    def __init__(self):
        self.failures = 0

    def expect(self, condition, what):
        print(("ok    " if condition else "FAIL  ") + what)
        if not condition:
            self.failures += 1

    def close(self, actual, expected, tolerance, what):
        error = float(np.max(np.abs(np.asarray(actual, np.float64) -
                                    np.asarray(expected, np.float64))))
        self.expect(error <= tolerance, f"{what} (max error {error:.3g})")


def _random_problem(rng, outputs, dtype):
    vocab, dim, length, n = 7, 4, 5, 5
    params = {"embedding": rng.uniform(-1, 1, (vocab, dim)).astype(dtype),
              "kernel": rng.uniform(-1, 1, (dim, outputs)).astype(dtype),
              "bias": rng.uniform(-0.5, 0.5, outputs).astype(dtype)}
    ids = rng.randint(0, vocab, (n, length))
    ids[0, 2:] = 0          # trailing padding
    ids[1, :] = 0           # all padding
    ids[2, :] = [0, 3, 0, 3, 6]
    labels = rng.randint(0, 2 if outputs == 1 else outputs, n)
    weights = np.array([0.5, 2.0, 1.0, 3.0, 0.25])
    return params, ids, labels, weights


def _check_gradients(test, outputs, mask_padding):
    rng = np.random.RandomState(10 * outputs + mask_padding)
    params, ids, labels, weights = _random_problem(rng, outputs, np.float64)
    _, grads = loss_and_gradients(params, ids, labels, weights, mask_padding)
    h = 1e-6
    worst = 0.0
    for name, value in params.items():
        for index in np.ndindex(value.shape):
            saved = value[index]
            value[index] = saved + h
            up, _ = loss_and_gradients(params, ids, labels, weights, mask_padding)
            value[index] = saved - h
            down, _ = loss_and_gradients(params, ids, labels, weights, mask_padding)
            value[index] = saved
            numeric = (up - down) / (2 * h)
            worst = max(worst, abs(numeric - grads[name][index]) /
                        max(1.0, abs(numeric)))
    test.expect(worst < 1e-8, f"gradient = central differences, outputs={outputs}, "
                f"mask_padding={mask_padding} (worst {worst:.2g})")
    # The float32 path computes the same numbers to float32 precision.
    params32 = {k: v.astype(F32) for k, v in params.items()}
    loss32, grads32 = loss_and_gradients(params32, ids, labels, weights, mask_padding)
    params64 = {k: v.astype(np.float64) for k, v in params32.items()}
    loss64, _ = loss_and_gradients(params64, ids, labels, weights, mask_padding)
    test.close(loss32, loss64, 1e-6, f"float32 loss = float64 loss, outputs={outputs}, "
               f"mask_padding={mask_padding}")
    test.close(grads32["embedding"], grads["embedding"], 1e-5,
               f"float32 gradient = float64 gradient, outputs={outputs}, "
               f"mask_padding={mask_padding}")


def _check_loss_formulas(test):
    # Binary with logit z is softmax cross-entropy over the logits [0, z].
    z = np.array([[-3.0], [-0.2], [0.0], [1.5], [40.0]])
    y = np.array([1, 0, 1, 1, 0])
    test.close(example_losses(z, y), example_losses(np.hstack([0 * z, z]), y),
               1e-12, "binary loss = 2-class softmax loss on [0, z]")
    test.close(example_losses(np.array([[0.0]]), np.array([1])), [np.log(2)],
               1e-15, "binary loss at z=0 is log 2")
    big = example_losses(np.array([[100.0], [-100.0]], F32), np.array([0, 1]))
    test.close(big, [100.0, 100.0], 1e-5, "binary loss is stable at |z| = 100")
    big = example_losses(np.array([[100.0, -100.0, 0.0]], F32), np.array([1]))
    test.close(big, [200.0], 1e-4, "softmax loss is stable at |z| = 100")
    # sum_over_batch_size: divides by the batch size, not the sum of weights.
    params = {"embedding": np.array([[0.0], [1.0]]), "kernel": np.array([[2.0]]),
              "bias": np.array([0.0])}
    ids = np.array([[1], [1]])
    losses = example_losses(np.array([[2.0], [2.0]]), np.array([1, 0]))
    loss, _ = loss_and_gradients(params, ids, np.array([1, 0]),
                                 np.array([3.0, 1.0]), False)
    test.close(loss, (3 * losses[0] + losses[1]) / 2, 1e-15,
               "weighted batch loss is sum(w*l) / batch size")


def _check_adam(test):
    # t = 1, lr = 0.01, g = 0.5: m = 0.05, v = 0.00025, sqrt(v) = 0.0158113883,
    # alpha = 0.01 * sqrt(0.001) / 0.1 = 0.00316227766, the move is
    # 0.05 * 0.00316227766 / (0.0158113883 + 1e-7) = 0.0099999368: about lr.
    # For g = -2 the move is 0.2 * 0.00316227766 / (0.0632455532 + 1e-7)
    # = 0.0099999842. Keras's float32 adds a relative error of about 6e-6:
    # 1 - float32(0.999) = 0.00099998713, not 0.001, enters alpha through the
    # square root, while (1 - beta_2) = float32(0.001) multiplies g^2.
    params = {"w": np.array([0.0, 0.0, 0.0], F32)}
    adam = Adam(0.01)
    adam.step(params, {"w": np.array([0.5, -2.0, 0.0], F32)})
    test.close(params["w"], [-0.0099999368, 0.0099999842, 0.0], 1e-7,
               "Adam step 1 moves each parameter by about lr * sign(g)")
    # t = 2 with g = 0: the moments decay and the parameter still moves.
    adam.step(params, {"w": np.array([0.0, 0.0, 0.0], F32)})
    m, v = 0.9 * 0.05, 0.999 * 0.00025
    alpha = 0.01 * np.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2)
    test.close(params["w"][0], -0.0099999368 - m * alpha / (np.sqrt(v) + 1e-7),
               2e-7, "Adam step 2 with g = 0 still moves by m * alpha / (sqrt(v) + eps)")
    test.expect(params["w"][2] == 0.0, "Adam leaves a never-touched parameter at rest")


def _check_small_examples(test):
    embedding = np.arange(12, dtype=F32).reshape(4, 3) / F32(10)
    kernel = np.array([[1.0], [-1.0], [0.5]], F32)
    bias = np.array([0.25], F32)
    params = {"embedding": embedding, "kernel": kernel, "bias": bias}
    for mask in (False, True):
        # One token: pooled = E[3] = (0.9, 1, 1.1), z = 0.9 - 1 + 0.55 + 0.25.
        z = 0.9 - 1.0 + 0.55 + 0.25
        loss, grads = loss_and_gradients(params, np.array([[3]]), np.array([1]),
                                         np.array([1.0]), mask)
        test.close(loss, np.log1p(np.exp(-z)), 1e-6,
                   f"1-token example: loss = log(1 + e^-z), mask_padding={mask}")
        sigmoid = 1 / (1 + np.exp(-z))
        expected = np.zeros((4, 3))
        expected[3] = (sigmoid - 1) * kernel[:, 0]
        test.close(grads["embedding"], expected, 1e-6,
                   f"1-token example: only row 3 has a gradient, mask_padding={mask}")
    # All padding with masking: pooled 0, logit = bias, no embedding gradient.
    pooled, _ = pool(embedding, np.array([[0, 0, 0], [2, 0, 0]]), True)
    test.close(pooled, [[0, 0, 0], embedding[2]], 0,
               "masked all-padding row pools to 0; a masked row averages its tokens")
    loss, grads = loss_and_gradients(params, np.array([[0, 0, 0]]), np.array([0]),
                                     np.array([1.0]), True)
    test.close(loss, np.log1p(np.exp(0.25)), 1e-6, "all-padding row: logit = bias")
    test.expect(not grads["embedding"].any() and not grads["kernel"].any(),
                "all-padding row: no embedding or kernel gradient")
    # Unmasked, padding is averaged in and id 0 gets its share of the gradient.
    pooled, _ = pool(embedding, np.array([[2, 0, 0]]), False)
    test.close(pooled, [(embedding[2] + 2 * embedding[0]) / 3], 1e-7,
               "unmasked pooling averages over all L positions")


def _check_random_streams(test):
    # The C++ standard fixes the 10000th output of std::mt19937(5489).
    raw = _raw_draws(np.random.RandomState(5489), 10000)
    test.expect(raw[0] == 3499211612 and raw[-1] == 4123659995,
                "RandomState raw draws are std::mt19937's")
    test.expect(derive_seed(0, 0) == 0xE220A839,
                "derive_seed(0, 0) is the top half of SplitMix64's first output")
    test.expect(len({derive_seed(42, s) for s in range(4)} | {42}) == 5,
                "the streams of seed 42 differ from each other and from 42")
    orders = list(epoch_orders(10, 42, 3))
    test.expect(all(sorted(o) == list(range(10)) for o in orders)
                and orders[0].tolist() != orders[1].tolist(),
                "each epoch is a new permutation")
    batches = epoch_batches(10, 42, 2, 4)
    test.expect([len(b) for b in batches] == [4, 4, 2, 4, 4, 2]
                and sum(batches[:3], []) == orders[0].tolist(),
                "batches are consecutive slices of each epoch's order")
    weights = initial_weights(50, 8, 3, 7)
    test.expect(weights["embedding"].dtype == F32
                and np.all(np.abs(weights["embedding"]) <= 0.05)
                and np.all(np.abs(weights["kernel"]) <= np.sqrt(6 / 11))
                and not weights["bias"].any(),
                "initial weights lie in their ranges, bias zero")


def self_test():
    test = SelfTest()
    for outputs in (1, 3):
        for mask in (False, True):
            _check_gradients(test, outputs, mask)
    _check_loss_formulas(test)
    _check_adam(test)
    _check_small_examples(test)
    _check_random_streams(test)
    print(f"{test.failures} failure(s)")
    return 1 if test.failures else 0


# ------------------------------------------------------------------- CLI ----

USAGE = """usage: training_oracle.py SPEC.json OUT.json
       training_oracle.py --orders N SEED EPOCHS
       training_oracle.py --initial-weights V D OUTPUTS SEED
       training_oracle.py --self-test"""


def main(argv):
    try:
        if argv == ["--self-test"]:
            return self_test()
        if len(argv) == 4 and argv[0] == "--orders":
            n, seed, epochs = map(int, argv[1:])
            for order in epoch_orders(n, seed, epochs):
                print(json.dumps(order.tolist()))
            return 0
        if len(argv) == 5 and argv[0] == "--initial-weights":
            weights = initial_weights(*map(int, argv[1:]))
            print(json.dumps({k: v.tolist() for k, v in weights.items()}))
            return 0
        if len(argv) == 2 and not argv[0].startswith("--"):
            with open(argv[0]) as f:
                spec = json.load(f)
            result = run_spec(spec)
            with open(argv[1], "w") as f:
                json.dump(result, f)
            return 0
    except KeyError as e:
        print(f"training_oracle.py: {argv[0]}: no field {e}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as e:
        print(f"training_oracle.py: {argv[0]}: {e}", file=sys.stderr)
        return 1
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
