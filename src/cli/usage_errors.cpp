#include "cli/usage_errors.h"

#include "cli/suggestions.h"

namespace sentiment::cli {
namespace {

// "sentiment" or "sentiment train": the app's full command.
std::string CommandPath(const CLI::App& app) {
  std::string path = app.get_name();
  for (const CLI::App* parent = app.get_parent(); parent != nullptr;
       parent = parent->get_parent()) {
    path = parent->get_name() + " " + path;
  }
  return path;
}

// The deepest command selected by the parse, `app` itself when none.
const CLI::App& SelectedCommand(const CLI::App& app) {
  const CLI::App* selected = &app;
  while (!selected->get_subcommands().empty()) {
    selected = selected->get_subcommands().front();
  }
  return *selected;
}

std::string HelpHint(const CLI::App& command) {
  return " (see '" + CommandPath(command) + " --help')";
}

// A flag as CLI11 classifies one: a leading dash, not a negative number.
bool LooksLikeFlag(const std::string& argument) {
  if (argument.size() < 2 || argument[0] != '-') return false;
  const char second = argument[1];
  return !(second >= '0' && second <= '9') && second != '.';
}

std::string Unknown(const CLI::App& command, const std::string& what,
                    const std::string& name,
                    const std::vector<std::string>& candidates) {
  std::string line =
      CommandPath(command) + ": unknown " + what + " '" + name + "'";
  if (const auto suggestion = Suggest(name, candidates)) {
    line += "; did you mean '" + *suggestion + "'?";
  }
  return line + HelpHint(command);
}

// Commands offered at the top level: the subcommands and `help`.
std::vector<std::string> TopLevelCommandNames(const CLI::App& app) {
  std::vector<std::string> names = CommandNames(app);
  names.push_back(kHelpCommand);
  return names;
}

// The first unknown name `command` itself was left with, if any.
std::optional<std::string> DescribeUnknownNameOf(const CLI::App& command) {
  for (const std::string& argument : command.remaining()) {
    if (LooksLikeFlag(argument)) {
      const std::string name = argument.substr(0, argument.find('='));
      return Unknown(command, "flag", name, FlagNames(command));
    }
    // A word where only a command could go; elsewhere a surplus argument,
    // which CLI11's own message covers.
    if (!CommandNames(command).empty() &&
        command
            .get_options([](const CLI::Option* option) {
              return option->get_positional();
            })
            .empty()) {
      const bool top = command.get_parent() == nullptr;
      return Unknown(
          command, "command", argument,
          top ? TopLevelCommandNames(command) : CommandNames(command));
    }
  }
  return std::nullopt;
}

// "train, evaluate or export".
std::string ListOfChoices(const std::vector<std::string>& names) {
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) list += i + 1 == names.size() ? " or " : ", ";
    list += names[i];
  }
  return list;
}

}  // namespace

std::vector<std::string> CommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands(
           [](const CLI::App* s) { return !s->get_name().empty(); })) {
    if (sub->get_disabled()) continue;
    names.push_back(sub->get_name());
    for (const std::string& alias : sub->get_aliases()) names.push_back(alias);
  }
  return names;
}

std::vector<std::string> FlagNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* option : app.get_options()) {
    for (const std::string& name : option->get_lnames()) {
      names.push_back("--" + name);
    }
    for (const std::string& name : option->get_snames()) {
      names.push_back("-" + name);
    }
  }
  return names;
}

std::optional<std::string> DescribeUnknownName(const CLI::App& app) {
  // Arguments left over at one level all precede the subcommand selected
  // there, so the levels are searched from the top down.
  for (const CLI::App* command = &app; command != nullptr;) {
    if (auto line = DescribeUnknownNameOf(*command)) return line;
    const auto selected = command->get_subcommands();
    command = selected.empty() ? nullptr : selected.front();
  }
  return std::nullopt;
}

std::string DescribeParseError(const CLI::App& app,
                               const CLI::ParseError& error) {
  if (auto line = DescribeUnknownName(app)) return *line;
  const CLI::App& command = SelectedCommand(app);
  const std::vector<std::string> choices = CommandNames(command);
  if (!choices.empty() && command.get_subcommands().empty()) {
    return CommandPath(command) +
           ": a command is required: " + ListOfChoices(choices) +
           HelpHint(command);
  }
  return CommandPath(app) + ": " + error.what() + HelpHint(command);
}

int RunHelpCommand(const CLI::App& app, const std::vector<std::string>& args,
                   std::ostream& out, std::ostream& err) {
  const std::string help_command = CommandPath(app) + " " + kHelpCommand;
  if (args.size() > 1) {
    err << help_command << ": unexpected argument '" << args[1]
        << "'; it takes one command name" << HelpHint(app) << "\n";
    return 2;
  }
  if (args.empty() || args[0] == kHelpCommand || args[0] == "-h" ||
      args[0] == "--help") {
    out << app.help();
    return 0;
  }
  for (const CLI::App* sub : app.get_subcommands(
           [](const CLI::App* s) { return !s->get_name().empty(); })) {
    if (!sub->get_disabled() && sub->check_name(args[0])) {
      out << sub->help(app.get_name());
      return 0;
    }
  }
  err << Unknown(app, "command", args[0], TopLevelCommandNames(app)) << "\n";
  return 2;
}

}  // namespace sentiment::cli
