#include "huge_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace sentiment {

void AdviseHugePages(const void* data, size_t size) {
  constexpr size_t kHugePage = size_t{2} << 20;
  if (data == nullptr || size < kHugePage) return;
  const uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t begin =
      (reinterpret_cast<uintptr_t>(data) + page - 1) & ~(page - 1);
  const uintptr_t end =
      (reinterpret_cast<uintptr_t>(data) + size) & ~(page - 1);
  if (end > begin) {
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
}

}  // namespace sentiment
