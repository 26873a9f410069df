#include "iaf/cli/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "iaf/core/error.hpp"

namespace iaf::cli {

int run(int argc, char** argv) {
  CLI::App app{"iaf: audits synthetic persona datasets for joint-distribution fidelity against official statistics"};
  app.set_version_flag("--version", std::string("iaf ") + IAF_VERSION);
  app.require_subcommand(0, 1);
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::cout << app.help();
      return 0;
    }
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(ExitCode::usage);
  } catch (const Error& e) {
    std::cerr << "iaf: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "iaf: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::data);
  }
  return 0;
}

}  // namespace iaf::cli
