// The closed set of errors the library reports. Each kind maps to one exit
// code of the command-line tool, so scripts can tell bad input from a bad
// model file from a failing disk.
#ifndef SENTIMENT_ERROR_H_
#define SENTIMENT_ERROR_H_

#include <stdexcept>
#include <string>
#include <string_view>

namespace sentiment {

enum class ErrorKind {
  kInvalidInput,  // bad arguments or input data (exit code 2)
  kBadModelFile,  // a model or bundle file that fails validation (exit code 3)
  kIo,            // reading or writing failed (exit code 4)
};

// An error with a one-line message that names what was wrong and where.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }

 private:
  ErrorKind kind_;
};

inline Error InvalidInput(const std::string& message) {
  return Error(ErrorKind::kInvalidInput, message);
}
inline Error BadModelFile(const std::string& message) {
  return Error(ErrorKind::kBadModelFile, message);
}
inline Error IoError(const std::string& message) {
  return Error(ErrorKind::kIo, message);
}

// `message` as one printable line: newline, tab and carriage return become
// \n, \t and \r, other control bytes \xNN, so a file name holding them
// cannot split an error line or hide part of it. Other bytes (UTF-8 among
// them) are kept.
std::string OneLine(std::string_view message);

// The process exit code for an error kind: 2, 3 or 4.
int ExitCode(ErrorKind kind);

}  // namespace sentiment

#endif  // SENTIMENT_ERROR_H_
