#pragma once
// A pack written into a temporary folder by a test: files, rows generated with a fixed seed, and
// an audit.toml whose {{sha:FILE}} placeholders become the files' sha256.
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "iaf/cli/audit.hpp"
#include "iaf/core/csv_field.hpp"
#include "iaf/core/digest.hpp"
#include "support/temp_dir.hpp"

namespace iaf::testing {

class FixturePack {
 public:
  const std::filesystem::path& dir() const { return tmp_.path(); }
  std::filesystem::path path(const std::string& rel) const { return tmp_ / rel; }

  void write(const std::string& rel, const std::string& content) const {
    auto p = tmp_ / rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
  }

  // CSV from a header and rows of fields, each written as iaf writes one (RFC 4180).
  void write_csv(const std::string& rel, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) const {
    std::string s;
    auto line = [&](const std::vector<std::string>& fields) {
      for (size_t i = 0; i < fields.size(); ++i) {
        s += i ? "," : "";
        s += csv_field(fields[i]);
      }
      s += "\n";
    };
    line(header);
    for (const auto& r : rows) line(r);
    write(rel, s);
  }

  void write_toml(std::string text) const {
    for (size_t at; (at = text.find("{{sha:")) != std::string::npos;) {
      size_t end = text.find("}}", at);
      std::string rel = text.substr(at + 6, end - at - 6);
      text.replace(at, end + 2 - at, sha256_file(tmp_ / rel));
    }
    write("audit.toml", text);
  }

  // Runs the audit without writing files (unless `write` is set).
  cli::AuditOutcome audit(cli::AuditOptions o = {}) const {
    o.pack = dir();
    if (o.out.empty()) o.out = tmp_ / "out";
    if (o.threads == 0) o.threads = 2;
    return cli::run_audit(o);
  }

 private:
  TempDir tmp_;
};

// The check of a report with this id.
inline const nlohmann::ordered_json& check_of(const nlohmann::ordered_json& report, const std::string& id) {
  for (const auto& c : report["checks"])
    if (c["id"] == id) return c;
  throw std::runtime_error("no check " + id);
}

inline double metric(const nlohmann::ordered_json& report, const std::string& id, const std::string& name) {
  const auto& m = check_of(report, id)["metrics"][name];
  if (m.is_null()) throw std::runtime_error(id + "." + name + " is null");
  return m.get<double>();
}

inline std::string status(const nlohmann::ordered_json& report, const std::string& id) {
  return check_of(report, id)["status"];
}

}  // namespace iaf::testing
