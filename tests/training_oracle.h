// Runs tests/training_oracle.py, the independent numpy oracle of training,
// from a unit test and returns what it prints, parsed as JSON lines.
#ifndef SENTIMENT_TESTS_TRAINING_ORACLE_H_
#define SENTIMENT_TESTS_TRAINING_ORACLE_H_

#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sentiment {

// The JSON values the oracle prints, one a line, for `arguments` (each
// already safe to pass through the shell: numbers and plain paths).
inline std::vector<nlohmann::json> RunTrainingOracle(const std::string& arguments) {
  const std::string command = "/usr/bin/python3 " SENTIMENT_TEST_DATA
                              "/../training_oracle.py " + arguments;
  std::vector<nlohmann::json> lines;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return lines;
  }
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != 0) {
    ADD_FAILURE() << command << " failed with status " << status;
    return lines;
  }
  size_t start = 0;
  for (size_t end; (end = output.find('\n', start)) != std::string::npos; start = end + 1) {
    if (end > start) lines.push_back(nlohmann::json::parse(output.substr(start, end - start)));
  }
  return lines;
}

}  // namespace sentiment

#endif  // SENTIMENT_TESTS_TRAINING_ORACLE_H_
