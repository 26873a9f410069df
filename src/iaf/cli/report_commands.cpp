// `iaf compare REPORT.json…` and `iaf diff OLD.json NEW.json`: commands over finished reports.
#include <fstream>
#include <iostream>
#include <memory>

#include "iaf/cli/commands.hpp"
#include "iaf/core/error.hpp"
#include "iaf/report/compare.hpp"
#include "iaf/report/output_files.hpp"

namespace iaf::cli {
namespace fs = std::filesystem;
namespace {

report::NamedReport read_report(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw DataError(path + ": cannot read the report");
  try {
    auto j = nlohmann::ordered_json::parse(in);
    if (!j.contains("schema_version") || !j.contains("checks")) throw DataError(path + ": not an iaf report.json (no schema_version or checks)");
    // Same major version: the keys compare and diff read are stable within it (docs/report-schema.md).
    std::string version = j["schema_version"].is_string() ? j["schema_version"].get<std::string>() : "";
    if (version.substr(0, version.find('.')) != "1")
      throw DataError(path + ": report schema_version '" + version + "' is not 1.x; this iaf reads 1.x reports (re-run the audit)");
    return {path, std::move(j)};
  } catch (const nlohmann::json::exception& e) {
    throw DataError(path + ": not valid JSON (" + std::string(e.what()) + ")");
  }
}

void emit(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::cout << text;
    return;
  }
  fs::path p(out);
  report::write_outputs(p.has_parent_path() ? p.parent_path() : fs::path("."), {{p.filename().string(), text}});
}

}  // namespace

Action add_compare(CLI::App& app) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto format = std::make_shared<std::string>("text");
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("compare", "audits side by side: verdicts, metrics, taxonomy size, flag counts and rates, shared-taxonomy results");
  cmd->add_option("REPORT", *files, "report.json files")->required()->expected(1, -1);
  cmd->add_option("--format", *format, "text, md or html")->capture_default_str();
  cmd->add_option("--out", *out, "write to this file instead of the terminal");
  return [=] {
    if (*format != "text" && *format != "md" && *format != "html") throw PackError("--format must be text, md or html");
    std::vector<report::NamedReport> reports;
    for (const auto& f : *files) reports.push_back(read_report(f));
    emit(report::compare_reports(reports, *format), *out);
    return 0;
  };
}

Action add_diff(CLI::App& app) {
  auto before = std::make_shared<std::string>(), after = std::make_shared<std::string>();
  auto fail_on = std::make_shared<std::string>("fail");
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = app.add_subcommand("diff", "what changed between two audits of the same pack; exit 1 on a regression at or above --fail-on");
  cmd->add_option("OLD", *before, "the earlier report.json")->required();
  cmd->add_option("NEW", *after, "the later report.json")->required();
  cmd->add_option("--fail-on", *fail_on, "fail, flag or incomputable")->capture_default_str();
  cmd->add_option("--format", *format, "text or md")->capture_default_str();
  return [=] {
    if (*fail_on != "fail" && *fail_on != "flag" && *fail_on != "incomputable") throw PackError("--fail-on must be fail, flag or incomputable");
    if (*format != "text" && *format != "md") throw PackError("--format must be text or md");
    auto d = report::diff_reports(read_report(*before), read_report(*after), *fail_on, *format);
    std::cout << d.text;
    return d.regressions ? static_cast<int>(ExitCode::findings) : 0;
  };
}

}  // namespace iaf::cli
