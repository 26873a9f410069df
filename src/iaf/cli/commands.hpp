#pragma once
// The subcommands: each adds itself to the app and returns the action to run when chosen.
#include <CLI/CLI.hpp>
#include <functional>

#include "iaf/pack/pack.hpp"

namespace iaf::cli {

using Action = std::function<int()>;

Action add_audit(CLI::App& app);
Action add_validate(CLI::App& app);
Action add_profile(CLI::App& app);
Action add_crosswalk(CLI::App& app);
Action add_init(CLI::App& app);
// `crosswalk suggest`, under the crosswalk command.
Action add_crosswalk_suggest(CLI::App* crosswalk);
Action add_sql(CLI::App& app);
Action add_compare(CLI::App& app);
Action add_diff(CLI::App& app);

// --allow-outside-pack and --accept-changed-references, for every command that loads a pack.
void add_pack_options(CLI::App* cmd, pack::LoadOptions& load);

}  // namespace iaf::cli
