// Binary cross-entropy on logits (Keras BinaryCrossentropy(from_logits=True),
// which is tf.nn.sigmoid_cross_entropy_with_logits).
#ifndef SENTIMENT_LOSS_H_
#define SENTIMENT_LOSS_H_

namespace sentiment {

// max(z, 0) - z * y + log1p(exp(-|z|)): finite for every finite z.
float BinaryCrossEntropyFromLogit(float logit, float label);

// d loss / d logit = sigmoid(z) - y.
float BinaryCrossEntropyGradient(float logit, float label);

}  // namespace sentiment

#endif  // SENTIMENT_LOSS_H_
