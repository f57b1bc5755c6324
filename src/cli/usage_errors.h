// The command line's own mistakes, named in one line with the help to read:
// unknown commands and flags with the nearest valid name, a missing command,
// and the `help [COMMAND]` pseudo-command. Every name offered is read from
// the CLI11 App objects, so commands and flags added later are covered.
#ifndef SENTIMENT_CLI_USAGE_ERRORS_H_
#define SENTIMENT_CLI_USAGE_ERRORS_H_

#include <CLI/CLI.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sentiment::cli {

// The pseudo-command that prints help: `sentiment help [COMMAND]`.
inline constexpr const char* kHelpCommand = "help";

// The names and aliases of `app`'s named, enabled subcommands, in definition
// order.
std::vector<std::string> CommandNames(const CLI::App& app);

// Every flag `app` accepts, "--long" and "-s" forms, in definition order
// (positional arguments excluded; --help and --version included).
std::vector<std::string> FlagNames(const CLI::App& app);

// After a failed or complete app.parse(): the first argument no command
// recognized, as one line (no newline), or nothing when there is none:
//   "sentiment: unknown command 'predcit'; did you mean 'predict'?
//   (see 'sentiment --help')" or "sentiment train: unknown flag '--epoch';
//   did you mean '--epochs'? (see 'sentiment train --help')".
// An unknown flag written --name=value is named without its value. Stray
// values and surplus positional arguments are not covered (nothing).
std::optional<std::string> DescribeUnknownName(const CLI::App& app);

// The one line (no newline) for a parse error other than a call for help or
// the version: DescribeUnknownName when it finds something, else a missing
// command named with the choices, else CLI11's message; each ends with the
// help to read, "(see 'sentiment train --help')".
std::string DescribeParseError(const CLI::App& app,
                               const CLI::ParseError& error);

// Runs `sentiment help [COMMAND]`, `args` being what follows "help": prints
// the top-level help, or COMMAND's, to `out` and returns 0; an unknown
// COMMAND or a second argument is one line on `err` and returns 2.
int RunHelpCommand(const CLI::App& app, const std::vector<std::string>& args,
                   std::ostream& out, std::ostream& err);

}  // namespace sentiment::cli

#endif  // SENTIMENT_CLI_USAGE_ERRORS_H_
