// Flushes denormal floats to zero while in scope, as TensorFlow does around
// every kernel it runs on a CPU (its thread pools and executors set the FTZ
// and DAZ flags), so training here rounds as Keras's does. It also keeps
// training fast: Adam's first moments of the rows a batch does not touch
// shrink by beta_1 every step into the denormal range, where x86 arithmetic
// is many times slower, yet their updates there lie far below a weight's
// last bit.
#ifndef SENTIMENT_SRC_FLUSH_DENORMALS_H_
#define SENTIMENT_SRC_FLUSH_DENORMALS_H_

#if defined(__SSE2__)
#include <pmmintrin.h>
#include <xmmintrin.h>
#endif

namespace sentiment {

// Sets the modes on the calling thread and restores the previous ones on
// destruction. Threads started while it is in scope inherit the modes
// (POSIX: a new thread starts with its creator's floating-point
// environment), so a ThreadPool built inside the scope flushes too. Does
// nothing on processors without SSE2's control register.
class ScopedFlushDenormals {
 public:
#if defined(__SSE2__)
  ScopedFlushDenormals() : saved_(_mm_getcsr()) {
    _mm_setcsr(saved_ | _MM_FLUSH_ZERO_ON | _MM_DENORMALS_ZERO_ON);
  }
  ~ScopedFlushDenormals() { _mm_setcsr(saved_); }
#else
  ScopedFlushDenormals() = default;
#endif
  ScopedFlushDenormals(const ScopedFlushDenormals&) = delete;
  ScopedFlushDenormals& operator=(const ScopedFlushDenormals&) = delete;

 private:
#if defined(__SSE2__)
  unsigned int saved_;
#endif
};

}  // namespace sentiment

#endif  // SENTIMENT_SRC_FLUSH_DENORMALS_H_
