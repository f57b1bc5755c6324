// The settings `sentiment train` starts from: its defaults, chosen by
// measurement across corpora (README "Defaults"), and named presets such as
// the Keras tutorial's, which explicit flags then override.
#ifndef SENTIMENT_TRAIN_PRESETS_H_
#define SENTIMENT_TRAIN_PRESETS_H_

#include <string_view>

#include "sentiment/model.h"

namespace sentiment {

// What `train` uses when no flag says otherwise.
TrainOptions DefaultTrainOptions();

// The Keras basic text classification tutorial's settings: 10 epochs, Adam
// 0.001, batch 32, dim 16, dropout 0.2, 10,000 tokens, length 250, split
// 0.2, seed 42, unigrams, no mask, no early stopping (TrainOptions{}).
TrainOptions TutorialTrainOptions();

// Sets every option of `options` to preset `name`'s value ("tutorial"),
// except the thread count, which changes only the speed. Throws
// Error(kInvalidInput) for an unknown name, listing the known ones.
void ApplyPreset(std::string_view name, TrainOptions& options);

}  // namespace sentiment

#endif  // SENTIMENT_TRAIN_PRESETS_H_
