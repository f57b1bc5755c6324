#include "sentiment/line_reader.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>
#include <utility>

#include "sentiment/error.h"

namespace sentiment {
namespace {

Error ReadFailed(std::string_view name, int error) {
  return IoError("reading " + std::string(name) + " failed" +
                 (error != 0 ? std::string(": ") + std::strerror(error)
                             : std::string()));
}

}  // namespace

DescriptorInputBuffer::DescriptorInputBuffer(int fd, std::string name)
    : fd_(fd), name_(std::move(name)), buffer_(size_t{1} << 16) {
  setg(buffer_.data(), buffer_.data(), buffer_.data());
}

DescriptorInputBuffer::int_type DescriptorInputBuffer::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
    if (n > 0) {
      setg(buffer_.data(), buffer_.data(), buffer_.data() + n);
      return traits_type::to_int_type(*gptr());
    }
    if (n == 0) return traits_type::eof();
    const int error = errno;
    if (error == EINTR) continue;
    if (error == EAGAIN || error == EWOULDBLOCK) {
      pollfd ready{fd_, POLLIN, 0};
      ::poll(&ready, 1, -1);
      continue;
    }
    throw ReadFailed(name_, error);
  }
}

std::streamsize DescriptorInputBuffer::showmanyc() {
  int ready = 0;
  if (::ioctl(fd_, FIONREAD, &ready) == 0 && ready > 0) return ready;
  return 0;  // unknown: the next read may wait
}

bool ReadLine(std::istream& in, std::string& line, std::string_view name) {
  // With badbit in the mask, getline rethrows what the buffer threw instead
  // of only setting the flag.
  const std::ios::iostate mask = in.exceptions();
  in.exceptions(mask | std::ios::badbit);
  try {
    std::getline(in, line);
  } catch (const Error&) {
    in.exceptions(mask);
    throw;
  } catch (const std::bad_alloc&) {
    line = std::string();
    throw ReadFailed(name, ENOMEM);
  } catch (const std::exception&) {
    throw ReadFailed(name, 0);
  }
  in.exceptions(mask);
  return static_cast<bool>(in);
}

}  // namespace sentiment
