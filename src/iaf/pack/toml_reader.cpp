#include "iaf/pack/toml_reader.hpp"

#include <algorithm>
#include <cmath>

#include "iaf/core/error.hpp"

namespace iaf::pack {
namespace {

// toml++ keeps a table's keys sorted; packs mean the order they were written in.
std::vector<std::pair<std::string, const toml::node*>> in_file_order(const toml::table& t) {
  std::vector<std::pair<std::string, const toml::node*>> out;
  for (const auto& [k, v] : t) out.emplace_back(std::string(k.str()), &v);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    const auto &x = a.second->source().begin, &y = b.second->source().begin;
    return x.line != y.line ? x.line < y.line : x.column < y.column;
  });
  return out;
}

const char* kind(const toml::node& n) {
  if (n.is_string()) return "a string";
  if (n.is_integer()) return "an integer";
  if (n.is_floating_point()) return "a number";
  if (n.is_boolean()) return "a boolean";
  if (n.is_array()) return "an array";
  if (n.is_table()) return "a table";
  return "a date or time";
}

// TOML allows \u0000 in strings and quoted keys; no column, label or path can hold one, and C
// strings downstream would stop at it.
void reject_nul(const toml::node& n, const std::string& file) {
  auto fail = [&](const toml::node& at) {
    throw PackError(file + " line " + std::to_string(at.source().begin.line) +
                    ": a key or string holds a NUL character (\\u0000); pack text cannot contain NUL");
  };
  if (const auto* s = n.as_string()) {
    if (s->get().find('\0') != std::string::npos) fail(n);
  } else if (const auto* a = n.as_array()) {
    for (const auto& item : *a) reject_nul(item, file);
  } else if (const auto* t = n.as_table()) {
    for (const auto& [k, v] : *t) {
      if (k.str().find('\0') != std::string_view::npos) fail(v);
      reject_nul(v, file);
    }
  }
}

}  // namespace

toml::table parse_toml(const std::string& text, const std::string& file) {
  toml::table doc;
  try {
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    throw PackError(file + " line " + std::to_string(e.source().begin.line) + ": malformed TOML: " +
                    std::string(e.description()));
  }
  reject_nul(doc, file);
  return doc;
}

TomlTable::TomlTable(const toml::table& table, std::string where, std::string file)
    : table_(&table), where_(std::move(where)), file_(std::move(file)) {}

int TomlTable::line() const { return static_cast<int>(table_->source().begin.line); }

int TomlTable::line(const std::string& key) const {
  const toml::node* n = table_->get(key);
  return n ? static_cast<int>(n->source().begin.line) : line();
}

bool TomlTable::has(const std::string& key) const { return table_->contains(key); }

std::vector<std::string> TomlTable::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : in_file_order(*table_)) out.push_back(k);
  return out;
}

std::vector<std::pair<std::string, const toml::node*>> TomlTable::entries(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return {};
  if (!n->is_table()) fail(key, "must be a table");
  return in_file_order(*n->as_table());
}

void TomlTable::fail(const std::string& key, const std::string& what) const {
  throw PackError(file_ + " line " + std::to_string(line(key)) + ": " + where_ + (key.empty() ? "" : " key '" + key + "'") +
                  ": " + what);
}

void TomlTable::fail_node(const toml::node& node, const std::string& key, const std::string& what) const {
  throw PackError(file_ + " line " + std::to_string(node.source().begin.line) + ": " + where_ + " key '" + key +
                  "': " + what);
}

const toml::node* TomlTable::get(const std::string& key) {
  read_.insert(key);
  return table_->get(key);
}

const toml::node* TomlTable::node(const std::string& key) { return get(key); }

std::optional<std::string> TomlTable::string(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail(key, std::string("must be a string, not ") + kind(*n));
  return n->as_string()->get();
}

std::string TomlTable::required_string(const std::string& key) {
  auto s = string(key);
  if (!s) fail("", "missing required key '" + key + "'");
  if (s->empty()) fail(key, "must not be empty");
  return *s;
}

std::optional<double> TomlTable::number(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  double v;
  if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
  else if (n->is_floating_point()) v = n->as_floating_point()->get();
  else fail(key, std::string("must be a number, not ") + kind(*n));
  if (!std::isfinite(v)) fail(key, "must be a finite number");
  return v;
}

std::optional<int64_t> TomlTable::integer(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_integer()) fail(key, std::string("must be an integer, not ") + kind(*n));
  return n->as_integer()->get();
}

std::optional<bool> TomlTable::boolean(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) fail(key, std::string("must be true or false, not ") + kind(*n));
  return n->as_boolean()->get();
}

std::optional<std::vector<std::string>> TomlTable::strings(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_array()) fail(key, std::string("must be an array of strings, not ") + kind(*n));
  std::vector<std::string> out;
  for (const auto& item : *n->as_array()) {
    if (!item.is_string()) fail_node(item, key, std::string("every item must be a string, not ") + kind(item));
    out.push_back(item.as_string()->get());
  }
  return out;
}

std::optional<std::vector<double>> TomlTable::numbers(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_array()) fail(key, std::string("must be an array of numbers, not ") + kind(*n));
  std::vector<double> out;
  for (const auto& item : *n->as_array()) {
    if (item.is_integer()) out.push_back(static_cast<double>(item.as_integer()->get()));
    else if (item.is_floating_point()) out.push_back(item.as_floating_point()->get());
    else fail_node(item, key, std::string("every item must be a number, not ") + kind(item));
    if (!std::isfinite(out.back())) fail_node(item, key, "numbers must be finite");
  }
  return out;
}

std::optional<std::vector<std::vector<std::string>>> TomlTable::string_lists(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_array()) fail(key, std::string("must be an array of arrays of strings, not ") + kind(*n));
  std::vector<std::vector<std::string>> out;
  for (const auto& item : *n->as_array()) {
    if (!item.is_array()) fail_node(item, key, std::string("every item must be an array of strings, not ") + kind(item));
    std::vector<std::string> inner;
    for (const auto& s : *item.as_array()) {
      if (!s.is_string()) fail_node(s, key, std::string("every name must be a string, not ") + kind(s));
      inner.push_back(s.as_string()->get());
    }
    out.push_back(std::move(inner));
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> TomlTable::string_map(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_table()) fail(key, std::string("must be a table of strings, not ") + kind(*n));
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : in_file_order(*n->as_table())) {
    if (!v->is_string()) fail_node(*v, key, "value of '" + k + "' must be a string, not " + kind(*v));
    out.emplace_back(k, v->as_string()->get());
  }
  return out;
}

std::optional<std::vector<std::pair<std::string, double>>> TomlTable::number_map(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_table()) fail(key, std::string("must be a table of numbers, not ") + kind(*n));
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [k, v] : in_file_order(*n->as_table())) {
    double d = 0;
    if (v->is_integer()) d = static_cast<double>(v->as_integer()->get());
    else if (v->is_floating_point()) d = v->as_floating_point()->get();
    else fail_node(*v, key, "value of '" + k + "' must be a number, not " + kind(*v));
    if (!std::isfinite(d)) fail_node(*v, key, "value of '" + k + "' must be finite");
    out.emplace_back(k, d);
  }
  return out;
}

std::optional<TomlTable> TomlTable::table(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_table()) fail(key, std::string("must be a table, not ") + kind(*n));
  // Messages name tables as they are written: [audit], [attribute.age_band], [check].standardise_by.
  std::string where;
  if (where_ == "audit.toml") where = "[" + key + "]";
  else if (where_.size() > 2 && where_.front() == '[' && where_[1] != '[' && where_.back() == ']')
    where = where_.substr(0, where_.size() - 1) + "." + key + "]";
  else where = where_ + "." + key;
  return TomlTable(*n->as_table(), where, file_);
}

std::vector<TomlTable> TomlTable::tables(const std::string& key) {
  const toml::node* n = get(key);
  std::vector<TomlTable> out;
  if (!n) return out;
  if (!n->is_array_of_tables()) fail(key, std::string("must be an array of tables ([[" + key + "]]), not ") + kind(*n));
  size_t i = 0;
  for (const auto& item : *n->as_array())
    out.emplace_back(*item.as_table(), (where_ == "audit.toml" ? "" : where_ + " ") + "[[" + key + "]] #" + std::to_string(++i), file_);
  return out;
}

void TomlTable::finish() const {
  for (const auto& [k, v] : *table_) {
    std::string key(k.str());
    if (!read_.count(key)) {
      std::string known;
      for (const auto& r : read_) known += (known.empty() ? "" : ", ") + r;
      throw PackError(file_ + " line " + std::to_string(v.source().begin.line) + ": " + where_ + ": unknown key '" +
                      key + "' (known here: " + known + ")");
    }
  }
}

}  // namespace iaf::pack
