#include "iaf/pack/reference.hpp"

#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/pack/attribute.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::pack {

const char* reference_kind_name(ReferenceKind k) {
  switch (k) {
    case ReferenceKind::census: return "census";
    case ReferenceKind::register_: return "register";
    case ReferenceKind::survey: return "survey";
    case ReferenceKind::rule: return "rule";
  }
  return "?";
}

double Reference::effective_n() const {
  if (kind != ReferenceKind::survey) return std::numeric_limits<double>::infinity();
  return *sample_size * persons_per_unit.value_or(1) / *design_effect;
}

void load_reference_table(source::Duck& duck, Reference& ref,
                          const std::function<const Attribute*(const std::string&)>& attribute, uint64_t max_rows) {
  const std::string name = ref.file.string();
  auto text = source::RowSource({ref.file}).read_text(duck);
  auto index = [&](const std::string& c) -> size_t {
    for (size_t i = 0; i < text.columns.size(); ++i)
      if (text.columns[i] == c) return i;
    std::string have;
    for (const auto& h : text.columns) have += (have.empty() ? "" : ", ") + h;
    throw DataError(name + ": reference '" + ref.id + "' has no column '" + c + "' (columns: " + have + ")");
  };
  std::vector<std::string> dims;
  std::vector<size_t> cols;
  std::vector<const Attribute*> attrs;
  for (const auto& [attr, column] : ref.columns) {
    dims.push_back(attr);
    cols.push_back(index(column));
    attrs.push_back(attribute(attr));
  }
  size_t value_col = index(ref.count_column);
  if (text.rows.empty()) throw DataError(name + ": reference '" + ref.id + "' has no data rows");
  if (text.rows.size() > max_rows)
    throw DataError(name + ": " + std::to_string(text.rows.size()) + " rows, over the limit of " + std::to_string(max_rows));

  ref.masses = CountTable(dims);
  // Raw values that share a final label (ages in one bin, two spellings mapped to one label) add up
  // into its cell. A cell given by its final labels must appear once and alone: a raw row beside it
  // is a subtotal counted twice.
  std::set<std::vector<std::string>> seen_raw;
  std::map<std::vector<std::string>, bool> seen_cells;  // final labels → given directly
  double total = 0;
  for (size_t i = 0; i < text.rows.size(); ++i) {
    const auto& row = text.rows[i];
    std::string where = name + " data row " + std::to_string(i + 1);
    std::vector<std::string> labels, raw;
    for (size_t d = 0; d < dims.size(); ++d) {
      if (!row[cols[d]] || row[cols[d]]->empty())
        throw DataError(where + ": empty label in column '" + ref.columns[d].second + "'");
      raw.push_back(nfc(*row[cols[d]], where));
      std::string label = label_from_table(*attrs[d], raw.back());
      if (auto declared = attrs[d]->declared_labels()) {
        bool known = false;
        for (const auto& l : *declared) known = known || l == label;
        if (!known)
          throw DataError(where + ": label '" + label + "' in column '" + ref.columns[d].second + "' is not one of the labels of attribute '" +
                          dims[d] + "'; make the reference use the attribute's labels (or its raw values)");
      }
      labels.push_back(label);
    }
    std::string cell = row[value_col].value_or("");
    double v = 0;
    if (cell == "-" && ref.dash == "zero") {
      v = 0;
    } else {
      auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (cell.empty() || ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(v)) {
        std::string hint = cell == "-" ? " (a '-' cell: set dash = \"zero\" if the publisher uses '-' for zero)"
                                       : " (write plain numbers: no thousands separators, no footnote marks)";
        throw DataError(where + ": value '" + cell + "' in column '" + ref.count_column + "' is not a number" + hint);
      }
      if (v < 0) throw DataError(where + ": value " + cell + " in column '" + ref.count_column + "' is negative");
    }
    bool direct = raw == labels;
    auto [cell_seen, first] = seen_cells.emplace(labels, direct);
    if (!seen_raw.insert(raw).second || (!first && (direct || cell_seen->second)))
      throw DataError(where + ": the same cell appears twice; each cell must appear once");
    total += v;
    ref.masses.add(labels, v * ref.scale);
  }
  ref.rows = text.rows.size();
  if (!(total > 0)) throw DataError(name + ": reference '" + ref.id + "' has a total of zero; nothing to compare with");
  if (ref.measure == "share" && std::fabs(total - ref.share_total) > ref.share_tolerance)
    throw DataError(name + ": the shares of reference '" + ref.id + "' sum to " + std::to_string(total) + ", not " +
                    std::to_string(ref.share_total) + " (±" + std::to_string(ref.share_tolerance) +
                    "); check for a missing category or a subtotal row");
}

}  // namespace iaf::pack
