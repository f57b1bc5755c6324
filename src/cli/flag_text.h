// The text each numeric flag was given on the command line, so that a
// range error quotes it as typed: `--dropout 0.99999999999` is refused as
// "got 0.99999999999", not as the float it rounds to ("got 1.000000").
#ifndef SENTIMENT_SRC_CLI_FLAG_TEXT_H_
#define SENTIMENT_SRC_CLI_FLAG_TEXT_H_

#include <string>

namespace sentiment {

// Remembers `text` as the value given for `flag` ("--dropout").
void RecordFlagText(const std::string& flag, const std::string& text);

// `message` with the value after its last ", got " replaced by the text
// given for the flag it starts with ("--dropout must be in [0, 1), got
// 1.000000"); unchanged when it names no recorded flag or the value is
// already quoted text ('abc').
std::string WithFlagTextAsGiven(const std::string& message);

}  // namespace sentiment

#endif  // SENTIMENT_SRC_CLI_FLAG_TEXT_H_
