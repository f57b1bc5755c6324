// A hint for large buffers that are filled right after they are allocated
// (a model file's bytes, its weights, the vocabulary's table).
#ifndef SENTIMENT_SRC_HUGE_PAGES_H_
#define SENTIMENT_SRC_HUGE_PAGES_H_

#include <cstddef>

namespace sentiment {

// Asks the kernel to back the whole pages within [data, data + size) with
// huge pages when they are first touched; it may ignore the hint. Faulting
// in a fresh buffer 4 KiB at a time costs more than reading the file on some
// virtual machines (about 0.3 s for 76 MB); 2 MiB at a time it costs a few
// milliseconds. Does nothing for buffers under one huge page.
void AdviseHugePages(const void* data, size_t size);

}  // namespace sentiment

#endif  // SENTIMENT_SRC_HUGE_PAGES_H_
