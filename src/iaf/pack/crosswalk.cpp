#include "iaf/pack/crosswalk.hpp"

#include <charconv>
#include <cmath>
#include <unordered_map>

#include "iaf/core/digest.hpp"
#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::pack {

const std::filesystem::path& CrosswalkSpec::file(const std::string& variant) const {
  for (const auto& [name, path] : variants)
    if (name == variant) return path;
  throw PackError("crosswalk '" + id + "' has no variant '" + variant + "'");
}

const Crosswalk& CrosswalkSpec::variant(const std::string& name) const {
  for (size_t i = 0; i < variants.size(); ++i)
    if (variants[i].first == name) return loaded.at(i);
  throw PackError("crosswalk '" + id + "' has no variant '" + name + "'");
}

bool CrosswalkSpec::has_variant(const std::string& variant) const {
  for (const auto& [name, path] : variants)
    if (name == variant) return true;
  return false;
}

std::vector<std::pair<std::string, double>> Crosswalk::targets(const std::string& label) const {
  auto it = map.find(label);
  return it == map.end() ? std::vector<std::pair<std::string, double>>{} : it->second;
}

Crosswalk load_crosswalk(source::Duck& duck, const CrosswalkSpec& spec, const std::string& variant, uint64_t max_rows) {
  Crosswalk cw;
  cw.id = spec.id;
  cw.variant = variant;
  cw.file = spec.file(variant);
  const std::string name = cw.file.string();
  cw.sha256 = sha256_file(cw.file);
  auto table = source::RowSource({cw.file}).read_text(duck);
  auto column = [&](const std::string& c) -> int {
    for (size_t i = 0; i < table.columns.size(); ++i)
      if (table.columns[i] == c) return static_cast<int>(i);
    return -1;
  };
  int from = column("from"), to = column("to"), weight = column("weight");
  if (from < 0 || to < 0)
    throw DataError(name + ": a crosswalk needs columns 'from' and 'to' (and optionally 'weight'); found " +
                    std::to_string(table.columns.size()) + " columns");
  if (table.rows.size() > max_rows)
    throw DataError(name + ": " + std::to_string(table.rows.size()) + " rows, over the limit of " +
                    std::to_string(max_rows) + " crosswalk rows");
  if (table.rows.empty()) throw DataError(name + ": the crosswalk has no rows");
  cw.rows = table.rows.size();

  // Per mapped label (keyed by its node in cw.map, which does not move): its first data row, and
  // whether its latest row had a weight.
  struct Seen {
    size_t first_row;
    bool weighted;
  };
  std::unordered_map<const std::string*, Seen> seen;
  for (size_t i = 0; i < table.rows.size(); ++i) {
    const auto& row = table.rows[i];
    std::string where = name + " data row " + std::to_string(i + 1);
    if (!row[from] || row[from]->empty() || !row[to] || row[to]->empty())
      throw DataError(where + ": empty 'from' or 'to' label");
    std::string f = nfc(*row[from], where), t = nfc(*row[to], where);
    double w = 1;
    bool has_weight = weight >= 0 && row[weight] && !row[weight]->empty();
    if (has_weight) {
      const std::string& text = *row[weight];
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), w);
      if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(w) || w <= 0 || w > 1)
        throw DataError(where + ": weight '" + text + "' must be a number in (0, 1]");
    }
    auto [it, fresh] = cw.map.try_emplace(f);
    auto [entry, first] = seen.try_emplace(&it->first, Seen{i, has_weight});
    if (!first) {
      for (const auto& target : it->second)
        if (target.first == t)
          throw DataError(where + ": duplicate mapping '" + f + "' → '" + t + "' (first at data row " +
                          std::to_string(entry->second.first_row + 1) + ")");
      if (!(has_weight && entry->second.weighted))
        throw DataError(where + ": '" + f + "' is mapped again (first at data row " + std::to_string(entry->second.first_row + 1) +
                        "); a label with several targets needs a weight on every row");
      entry->second.weighted = has_weight;
    }
    it->second.emplace_back(std::move(t), w);
  }
  for (const auto& [f, targets] : cw.map) {
    double sum = 0;
    for (const auto& [t, w] : targets) sum += w;
    if (std::fabs(sum - 1) > 1e-9)
      throw DataError(name + ": the weights of '" + f + "' sum to " + std::to_string(sum) + ", not 1 (first at data row " +
                      std::to_string(seen.at(&f).first_row + 1) + ")");
  }
  return cw;
}

}  // namespace iaf::pack
