#include "iaf/cli/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "iaf/cli/commands.hpp"
#include "iaf/core/error.hpp"

namespace iaf::cli {

int run(int argc, char** argv) {
  CLI::App app{"iaf: audits synthetic persona datasets for joint-distribution fidelity against official statistics.\n"
               "Exit codes: 0 nothing at or above --fail-on, 1 something is, 2 usage or pack error, 3 data error."};
  app.set_version_flag("--version", std::string("iaf ") + IAF_VERSION);
  app.require_subcommand(0, 1);
  std::map<std::string, Action> actions = {{"audit", add_audit(app)},
                                           {"validate", add_validate(app)},
                                           {"profile", add_profile(app)},
                                           {"init", add_init(app)},
                                           {"crosswalk", add_crosswalk(app)},
                                           {"sql", add_sql(app)},
                                           {"compare", add_compare(app)},
                                           {"diff", add_diff(app)}};
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::cout << app.help();
      return 0;
    }
    return actions.at(app.get_subcommands().front()->get_name())();
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
}

}  // namespace iaf::cli
