#include "sentiment/numpy_random.h"

namespace sentiment {

uint32_t RandomState::Interval(uint32_t max) {
  if (max == 0) return 0;
  uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  uint32_t value;
  do {
    value = static_cast<uint32_t>(engine_()) & mask;
  } while (value > max);
  return value;
}

}  // namespace sentiment
