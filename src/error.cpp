#include "sentiment/error.h"

namespace sentiment {

int ExitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput:
      return 2;
    case ErrorKind::kBadModelFile:
      return 3;
    case ErrorKind::kIo:
      return 4;
  }
  return 1;
}

}  // namespace sentiment
