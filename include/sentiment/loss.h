// The losses on logits: Keras BinaryCrossentropy(from_logits=True) (which is
// tf.nn.sigmoid_cross_entropy_with_logits) for one logit, and
// SparseCategoricalCrossentropy(from_logits=True) for K logits.
#ifndef SENTIMENT_LOSS_H_
#define SENTIMENT_LOSS_H_

#include <span>

namespace sentiment {

// max(z, 0) - z * y + log1p(exp(-|z|)): finite for every finite z.
float BinaryCrossEntropyFromLogit(float logit, float label);

// d loss / d logit = sigmoid(z) - y.
float BinaryCrossEntropyGradient(float logit, float label);

// logsumexp(z) - z[label], computed as log(sum exp(z - max z)) + max z -
// z[label]: finite for finite logits. Precondition: label < logits.size().
float SparseCategoricalCrossEntropyFromLogits(std::span<const float> logits,
                                              int label);

// The model's loss for one example of class `label`: binary cross-entropy
// when there is one logit (label 0 or 1), sparse categorical cross-entropy
// otherwise.
float LossFromLogits(std::span<const float> logits, int label);

// d LossFromLogits / d logits into `gradient` (the size of `logits`):
// sigmoid(z) - y for one logit, softmax(z) - onehot(label) for several.
void LossGradient(std::span<const float> logits, int label,
                  std::span<float> gradient);

}  // namespace sentiment

#endif  // SENTIMENT_LOSS_H_
