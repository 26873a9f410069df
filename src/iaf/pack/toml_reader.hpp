#pragma once
// Typed, strict reading of audit.toml tables: every value is read with its type checked, every key
// not read is reported as unknown, and every error names the file, the line and the key.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <toml++/toml.h>

namespace iaf::pack {

class TomlTable {
 public:
  // `where` names the table for messages: "[audit]", "[[check]] #3 (id = marginal-sex)".
  TomlTable(const toml::table& table, std::string where, std::string file);

  const std::string& where() const { return where_; }
  int line() const;
  int line(const std::string& key) const;
  bool has(const std::string& key) const;
  std::vector<std::string> keys() const;  // in file order

  std::optional<std::string> string(const std::string& key);
  std::string required_string(const std::string& key);
  std::optional<double> number(const std::string& key);  // integer or float
  std::optional<int64_t> integer(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  std::optional<std::vector<std::string>> strings(const std::string& key);
  std::optional<std::vector<double>> numbers(const std::string& key);
  std::optional<std::vector<std::vector<std::string>>> string_lists(const std::string& key);
  // An inline or standard table of string values, in file order.
  std::optional<std::vector<std::pair<std::string, std::string>>> string_map(const std::string& key);
  std::optional<std::vector<std::pair<std::string, double>>> number_map(const std::string& key);
  std::optional<TomlTable> table(const std::string& key);
  std::vector<TomlTable> tables(const std::string& key);  // array of tables; empty if absent
  // A table's entries in file order (toml++ itself sorts them).
  std::vector<std::pair<std::string, const toml::node*>> entries(const std::string& key);
  // The raw node, for values whose shape varies (e.g. a list of strings or tables).
  const toml::node* node(const std::string& key);

  // Throws PackError for the first key that was never read.
  void finish() const;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;
  [[noreturn]] void fail_node(const toml::node& node, const std::string& key, const std::string& what) const;

 private:
  const toml::node* get(const std::string& key);

  const toml::table* table_;
  std::string where_, file_;
  std::set<std::string> read_;
};

// Parses the text of audit.toml; syntax errors become PackError with file and line.
toml::table parse_toml(const std::string& text, const std::string& file);

}  // namespace iaf::pack
