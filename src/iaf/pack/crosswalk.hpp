#pragma once
// Crosswalks: mappings from one label set to another (NPK occupation titles → KSCO major groups),
// many-to-one or weighted one-to-many, with named variants (strict, lenient). Applied to counts
// after counting, so every variant reuses the same scan.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "iaf/source/duck.hpp"

namespace iaf::pack {

enum class UnmappedPolicy { report, error, as_label };

struct CrosswalkSpec {
  std::string id;
  std::string default_variant = "default";
  std::vector<std::pair<std::string, std::filesystem::path>> variants;  // the default first
  UnmappedPolicy unmapped = UnmappedPolicy::report;
  std::string unmapped_label;  // for as:<label>
  double min_coverage = 0.95;  // below: the check is incomputable
  int line = 0;
  std::vector<struct Crosswalk> loaded;  // parallel to variants, filled by load_pack

  const std::filesystem::path& file(const std::string& variant) const;
  const struct Crosswalk& variant(const std::string& name) const;
  bool has_variant(const std::string& variant) const;
};

// One loaded variant: label → weighted targets (weights sum to 1 per label).
struct Crosswalk {
  std::string id, variant;
  std::filesystem::path file;
  std::string sha256;
  uint64_t rows = 0;
  std::map<std::string, std::vector<std::pair<std::string, double>>> map;

  std::vector<std::pair<std::string, double>> targets(const std::string& label) const;
};

// Reads a crosswalk file: columns `from`, `to` and optionally `weight` (other columns, such as a
// reviewer's notes, are ignored). Rejects empty labels, duplicate pairs, a label mapped twice
// without weights, weights outside (0, 1] or not summing to 1, and more than `max_rows` rows.
Crosswalk load_crosswalk(source::Duck& duck, const CrosswalkSpec& spec, const std::string& variant, uint64_t max_rows);

}  // namespace iaf::pack
