#pragma once
// `iaf audit`: load the pack, count once, run every check, write the reports, decide the exit code.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "iaf/count/counts.hpp"
#include "iaf/pack/pack.hpp"

namespace iaf::cli {

struct AuditOptions {
  std::filesystem::path pack;
  std::filesystem::path out;               // empty: out/<pack folder name>
  std::vector<std::string> formats = {"json", "md", "html", "csv"};
  unsigned threads = 0;                    // 0: the machine's cores
  std::optional<uint64_t> seed;            // default: the pack's
  unsigned bootstrap = 1000;
  std::string fail_on = "fail";
  std::string dataset;                     // --dataset PATH (rows), relative to the working directory
  std::vector<std::string> counts;         // --counts FILE…
  bool quiet = false;
  bool timings = false;                    // --timings: each stage's wall time on stderr
  count::Fingerprint hash = count::Fingerprint::xxh3;
  count::Kernel kernel = count::Kernel::fast;
  pack::LoadOptions load;
  bool write = true;                       // false: compute only (tests)
  // Rows read so far and the percentage of the scan (−1 unknown); empty: progress is not tracked.
  std::function<void(uint64_t rows, double percentage)> progress;
};

struct AuditOutcome {
  nlohmann::ordered_json report;
  int exit_code = 0;
  std::filesystem::path out;
  // Wall seconds of each stage in order (load, count, checks, report), and of the input
  // fingerprints on their own thread when the audit started them (--dataset).
  std::vector<std::pair<std::string, double>> stages;
  std::optional<double> fingerprint_seconds;
};

// "timings: load 0.031 s, count 0.112 s, …" for --timings.
std::string timings_line(const AuditOutcome& outcome);

AuditOutcome run_audit(const AuditOptions& options);

// The exit code for a report under a --fail-on level (DESIGN.md, CLI).
int exit_code_for(const nlohmann::ordered_json& report, const std::string& fail_on);

// The pack with --dataset / --counts applied.
pack::AuditPack load_for_run(const AuditOptions& options);

// Counts for the pack's plan from its rows or counts tables.
// --threads, or every core when it is 0.
unsigned worker_threads(const AuditOptions& options);

// `fingerprints`: the dataset files' hashing, when it was started before the pack was loaded.
count::Counts count_for(const pack::AuditPack& pack, const count::Plan& plan, const AuditOptions& options,
                        const std::shared_ptr<count::Fingerprints>& fingerprints = nullptr);

}  // namespace iaf::cli
