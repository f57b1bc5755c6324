// Reading lines from a file descriptor (predict's standard input) so that
// every failure is reported with the system's reason: a descriptor handed
// over in non-blocking mode is waited on instead of failing, a directory is
// "Is a directory", a line too long for memory is "Cannot allocate memory".
#ifndef SENTIMENT_LINE_READER_H_
#define SENTIMENT_LINE_READER_H_

#include <istream>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

namespace sentiment {

// A std::streambuf over a readable descriptor (not owned). Retries EINTR;
// on EAGAIN (O_NONBLOCK set by whoever passed the descriptor) waits in
// poll() for input; throws Error(kIo) "reading NAME failed: REASON" on any
// other read error. Reads are up to 64 KiB.
class DescriptorInputBuffer : public std::streambuf {
 public:
  DescriptorInputBuffer(int fd, std::string name);

 protected:
  int_type underflow() override;
  // Bytes a read would return at once (FIONREAD: what a pipe, socket or
  // terminal holds, what is left of a regular file), or 0 when unknown, so
  // in_avail() > 0 means the next read will not wait.
  std::streamsize showmanyc() override;

 private:
  int fd_;
  std::string name_;
  std::vector<char> buffer_;
};

// std::getline(in, line), except that failures are Error(kIo) with the
// reason: the Error a DescriptorInputBuffer throws passes through, running
// out of memory is "reading NAME failed: Cannot allocate memory", and any
// other failure of the stream "reading NAME failed". Returns false at the
// end of the input.
bool ReadLine(std::istream& in, std::string& line,
              std::string_view name = "standard input");

}  // namespace sentiment

#endif  // SENTIMENT_LINE_READER_H_
