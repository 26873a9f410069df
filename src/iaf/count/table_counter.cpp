// Counts mode: each grouping is produced from a counts table that holds what it needs. A table
// holds an attribute when it has a column of that name (a derived attribute, whose labels must be
// the declared ones) or every column the attribute's definition reads.
#include <charconv>
#include <cmath>
#include <set>

#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/count/identifiers.hpp"
#include "iaf/count/sql_export.hpp"
#include "iaf/pack/expression_eval.hpp"
#include "iaf/source/counts_file.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::count {
namespace fs = std::filesystem;
namespace {

struct LoadedTable {
  const pack::CountsSpec* spec;
  std::string name;
  Schema schema;                    // column → numeric
  std::vector<std::string> columns;
  source::TextResult rows;
  std::vector<double> mass;
  std::set<std::string> scope_conjuncts;
};

bool has_column(const LoadedTable& t, const std::string& c) { return t.schema.count(c) > 0; }

// An attribute is read from its own column when the table has one and the attribute is derived
// (bins, cases, expression, or a value map); a plain column attribute is its column.
bool derived_column(const pack::Attribute& a, const LoadedTable& t) {
  bool derived = a.kind() != pack::Attribute::Kind::column || !a.map.empty() || a.column != a.name;
  return derived && has_column(t, a.name);
}

bool holds_attribute(const pack::Attribute& a, const LoadedTable& t) {
  if (derived_column(a, t)) return true;
  for (const auto& c : a.reads())
    if (!has_column(t, c)) return false;
  return true;
}

bool holds_identifiers(const pack::Expr& e, const LoadedTable& t, const pack::AuditPack& pack) {
  for (const auto& id : pack::identifiers(e)) {
    if (const pack::Attribute* a = pack.find_attribute(id)) {
      if (!holds_attribute(*a, t)) return false;
    } else if (!has_column(t, id)) {
      return false;
    }
  }
  return true;
}

// The universe's conjuncts the table must still evaluate (those its scope does not already
// guarantee); nullopt when the table's scope is not implied by the universe.
std::optional<std::vector<pack::ExprPtr>> remaining_conjuncts(const LoadedTable& t, const pack::ExprPtr& universe) {
  std::vector<pack::ExprPtr> rest;
  std::set<std::string> have;
  if (universe)
    for (const auto& c : pack::conjuncts(universe)) {
      std::string text = pack::to_text(*c);
      have.insert(text);
      if (!t.scope_conjuncts.count(text)) rest.push_back(c);
    }
  for (const auto& s : t.scope_conjuncts)
    if (!have.count(s)) return std::nullopt;
  return rest;
}

std::string needed_columns(const Grouping& g, const Plan& plan) {
  std::set<std::string> need;
  auto add_expr = [&](const pack::Expr& e) {
    for (const auto& id : pack::identifiers(e)) need.insert(id);
  };
  for (const auto& d : g.dims) {
    if (d.kind == Dim::attribute) need.insert(d.name);
    else add_expr(*plan.indicators.at(d.name).expr);
  }
  if (!g.universe.empty()) add_expr(*plan.universes.at(g.universe));
  std::string s;
  for (const auto& n : need) s += (s.empty() ? "" : ", ") + n;
  return s;
}

LoadedTable load(source::Duck& duck, const pack::CountsSpec& spec) {
  LoadedTable t;
  t.spec = &spec;
  t.name = spec.file.string();
  source::CountsFile file = source::read_counts(duck, spec.file, spec.count_column);
  for (const auto& c : file.columns) {
    t.schema[c.name] = c.numeric;
    t.columns.push_back(c.name);
  }
  t.rows = std::move(file.rows);
  t.mass = std::move(file.mass);
  if (spec.scope)
    for (const auto& c : pack::conjuncts(spec.scope)) t.scope_conjuncts.insert(pack::to_text(*c));
  return t;
}

// Values of one row of a counts table, for attribute definitions and expressions.
class Cell {
 public:
  Cell(const LoadedTable& t, size_t row, const pack::AuditPack& pack) : t_(t), row_(row), pack_(pack) {}

  std::optional<std::string> text(const std::string& column) const {
    for (size_t i = 0; i < t_.rows.columns.size(); ++i)
      if (t_.rows.columns[i] == column) return t_.rows.rows[row_][i];
    throw std::logic_error("counts table column missing: " + column);
  }

  pack::Value column_value(const std::string& column) const {
    auto raw = text(column);
    if (!raw) return pack::Null{};
    if (t_.schema.at(column)) {
      double v = 0;
      std::from_chars(raw->data(), raw->data() + raw->size(), v);
      return v;
    }
    return nfc(*raw, where());
  }

  std::string attribute(const pack::Attribute& a) const {
    if (derived_column(a, t_)) {
      auto raw = text(a.name);
      std::string label = raw ? pack::label_from_table(a, *raw) : std::string(kMissingLabel);
      if (auto declared = a.declared_labels()) {
        bool known = false;
        for (const auto& l : *declared) known = known || l == label;
        if (!known)
          throw DataError(where() + ": label '" + label + "' in column '" + a.name + "' is not one of attribute '" + a.name +
                          "''s labels; the table must use the pack's labels");
      }
      return label;
    }
    pack::RowValues values{[&](const std::string& c) { return column_value(c); },
                           [&](const std::string& c) { return text(c); }};
    return pack::attribute_label(a, values);
  }

  pack::Value identifier(const std::string& id) const {
    if (const pack::Attribute* a = pack_.find_attribute(id)) return attribute(*a);
    return column_value(id);
  }

  std::string where() const { return t_.name + " data row " + std::to_string(row_ + 1); }

 private:
  const LoadedTable& t_;
  size_t row_;
  const pack::AuditPack& pack_;
};

// A table with a `grouping` column (the output of `iaf sql`) holds each grouping's rows under
// its key, with final labels: it serves a grouping when it has rows for that key.
bool serve_from_grouped(const std::vector<LoadedTable>& tables, const Grouping& g, const pack::AuditPack& pack,
                        GroupingCounts& result) {
  const std::string key = g.describe();
  for (const auto& t : tables) {
    if (!has_column(t, kGroupingColumn)) continue;
    auto col = [&](const std::string& name) {
      for (size_t i = 0; i < t.rows.columns.size(); ++i)
        if (t.rows.columns[i] == name) return static_cast<int>(i);
      return -1;
    };
    int gcol = col(kGroupingColumn);
    std::vector<int> dims;
    for (const auto& d : g.dims) dims.push_back(col(d.name));
    bool found = false;
    std::vector<std::string> labels;
    for (size_t r = 0; r < t.rows.rows.size(); ++r) {
      const auto& row = t.rows.rows[r];
      if (!row[gcol] || *row[gcol] != key) continue;
      std::string where = t.name + " data row " + std::to_string(r + 1);
      labels.clear();
      for (size_t k = 0; k < dims.size(); ++k) {
        if (dims[k] < 0) throw DataError(t.name + ": rows of grouping '" + key + "' but no column '" + g.dims[k].name + "'");
        const auto& v = row[dims[k]];
        std::string label = v ? nfc(*v, where) : std::string(kMissingLabel);
        if (g.dims[k].kind == Dim::attribute) label = pack::label_from_table(pack.attribute(g.dims[k].name), label);
        labels.push_back(label);
      }
      result.table.add(labels, t.mass[r]);
      found = true;
    }
    if (found) {
      result.served_by = t.name;
      return true;
    }
  }
  return false;
}

std::string indicator_label(const pack::Expr& e, const Cell& cell) {
  pack::Value v = pack::evaluate(e, [&](const std::string& id) { return cell.identifier(id); });
  if (std::holds_alternative<pack::Null>(v)) return std::string(kMissingLabel);
  return std::get<bool>(v) ? kTrueLabel : kFalseLabel;
}

}  // namespace

Counts count_tables(const pack::AuditPack& pack, const Plan& plan, const std::vector<pack::CountsSpec>& specs,
                    unsigned threads, Fingerprint hash) {
  source::DuckConfig cfg{.threads = threads};
  for (const auto& s : specs) cfg.allowed_paths.push_back(s.file.string());
  source::Duck duck(cfg);
  std::vector<LoadedTable> tables;
  for (const auto& s : specs) tables.push_back(load(duck, s));

  Counts out;
  out.mode = "counts";
  for (const auto& t : tables)
    out.inputs.push_back({"counts", t.name, fs::file_size(t.spec->file), fingerprint(t.spec->file, hash),
                          static_cast<int64_t>(t.rows.rows.size())});
  out.groupings.resize(plan.groupings.size());
  for (size_t gi = 0; gi < plan.groupings.size(); ++gi) {
    const Grouping& g = plan.groupings[gi];
    auto& result = out.groupings[gi];
    std::vector<std::string> names;
    for (const auto& d : g.dims) names.push_back(d.name);
    result.table = CountTable(names);
    pack::ExprPtr universe = g.universe.empty() ? nullptr : plan.universes.at(g.universe);
    if (serve_from_grouped(tables, g, pack, result)) continue;

    const LoadedTable* chosen = nullptr;
    std::vector<pack::ExprPtr> conditions;
    for (const auto& t : tables) {
      // A table from `iaf sql` mixes every grouping's rows: it serves only the groupings it names.
      if (has_column(t, kGroupingColumn)) continue;
      auto rest = remaining_conjuncts(t, universe);
      if (!rest) continue;
      bool ok = true;
      for (const auto& d : g.dims)
        ok = ok && (d.kind == Dim::attribute ? holds_attribute(pack.attribute(d.name), t)
                                             : holds_identifiers(*plan.indicators.at(d.name).expr, t, pack));
      for (const auto& c : *rest) ok = ok && holds_identifiers(*c, t, pack);
      if (ok) {
        chosen = &t;
        conditions = *rest;
        break;
      }
    }
    if (!chosen) {
      result.missing = "no counts table holds " + needed_columns(g, plan) +
                       (universe ? " (with the universe's columns)" : "") + "; a counts table with those columns would serve it";
      for (const auto& t : tables)
        if (has_column(t, kGroupingColumn))
          result.missing += "; " + t.name + " (from iaf sql) has no rows for grouping '" + g.describe() +
                            "': its universe held no rows, or the table was made for another version of the pack (run iaf sql again)";
      continue;
    }
    result.served_by = chosen->name;
    Identifiers ids(pack, chosen->schema, chosen->name, AttributeLabels::column_when_present);
    for (const auto& c : conditions) ids.check_condition(*c, plan.universe_origin(g.universe));
    for (const auto& d : g.dims)
      if (d.kind == Dim::indicator) ids.check_condition(*plan.indicators.at(d.name).expr, "expression " + plan.indicators.at(d.name).text);
      else if (!derived_column(pack.attribute(d.name), *chosen)) ids.check_attribute(pack.attribute(d.name));

    std::vector<std::string> labels;
    for (size_t r = 0; r < chosen->rows.rows.size(); ++r) {
      Cell cell(*chosen, r, pack);
      bool in = true;
      for (const auto& c : conditions)
        in = in && pack::holds(*c, [&](const std::string& id) { return cell.identifier(id); });
      if (!in) continue;
      labels.clear();
      for (const auto& d : g.dims)
        labels.push_back(d.kind == Dim::attribute ? cell.attribute(pack.attribute(d.name))
                                                  : indicator_label(*plan.indicators.at(d.name).expr, cell));
      result.table.add(labels, chosen->mass[r]);
    }
  }
  check_cardinality(out, pack.limits.max_cardinality, "counts tables");
  return out;
}

}  // namespace iaf::count
