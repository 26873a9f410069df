#include "iaf/pack/skeleton.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace iaf::pack {
namespace {

// A TOML basic string.
std::string toml_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
    else out += c;
  }
  return out + "\"";
}

std::string attribute_name(const std::string& column) {
  std::string out;
  for (char c : column) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "c_" + out;
  return out;
}

std::string number(double v) { return fmt::format("{}", v); }

// Free text (a persona description) rather than labels: its common values are long.
bool looks_like_text(const source::ColumnProfile& p) {
  for (const auto& [v, n] : p.top)
    if (v.size() > 100) return true;
  return false;
}

enum class Role { labels, bins, id, skipped };

struct Column {
  const source::ColumnProfile* profile;
  Role role;
  std::string attribute, why;
};

std::vector<Column> classify(const std::vector<source::ColumnProfile>& profile, size_t max_labels) {
  std::vector<Column> out;
  bool have_id = false;
  for (const auto& p : profile) {
    Column c{&p, Role::labels, attribute_name(p.name), ""};
    uint64_t present = p.rows - p.missing;
    if (present == 0) {
      c.role = Role::skipped, c.why = "every value is missing";
    } else if (!p.numeric && looks_like_text(p)) {
      c.role = Role::skipped, c.why = "free text (values over 100 bytes)";
    } else if (p.distinct == present && present > 1 && !p.numeric) {
      c.role = have_id ? Role::skipped : Role::id, c.why = "every value is distinct: an identifier";
      have_id = true;
    } else if (p.numeric && p.distinct > 10 && p.min && p.max && *p.max > *p.min) {
      c.role = Role::bins, c.attribute += "_band";
    } else if (p.distinct > max_labels) {
      c.role = Role::skipped, c.why = fmt::format("{} distinct labels: map them to a reference taxonomy with a crosswalk first", p.distinct);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::string share_list(const source::ColumnProfile& p, size_t most) {
  std::string out;
  uint64_t present = p.rows - p.missing;
  for (size_t i = 0; i < p.top.size() && i < most; ++i)
    out += fmt::format("{}{} ({:.1f}%)", i ? ", " : "", p.top[i].first, 100.0 * static_cast<double>(p.top[i].second) / static_cast<double>(present));
  if (p.distinct > p.top.size() && p.top.size() <= most) out += fmt::format(", … ({} more)", p.distinct - p.top.size());
  return out;
}

}  // namespace

std::vector<double> nice_bins(double lo, double hi) {
  double raw = (hi - lo) / 8;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> edges;
  // Each edge from its index, rounded to 12 digits so that 3 × 0.2 prints as 0.6.
  for (double k = std::floor(lo / step);; ++k) {
    double e = std::stod(fmt::format("{:.12g}", k * step));
    if (e > hi) break;
    edges.push_back(e);
  }
  return edges;
}

std::vector<std::string> bin_labels(const std::vector<double>& edges, bool integers) {
  std::vector<std::string> out;
  for (size_t i = 0; i < edges.size(); ++i) {
    bool last = i + 1 == edges.size();
    if (integers) {
      out.push_back(last ? number(edges[i]) + "+" : number(edges[i]) + "-" + number(edges[i + 1] - 1));
    } else {
      out.push_back(last ? "≥ " + number(edges[i]) : "[" + number(edges[i]) + ", " + number(edges[i + 1]) + ")");
    }
  }
  return out;
}

std::string pack_skeleton(const std::vector<source::ColumnProfile>& profile, const SkeletonInput& input) {
  auto columns = classify(profile, input.max_labels);
  uint64_t rows = profile.empty() ? 0 : profile.front().rows;
  std::string s;
  s += "# An audit pack skeleton written by `iaf init` " + input.made_from + ".\n";
  s += "# Next: quote the dataset card in [[disclosure]], add a reference table for each combination it\n";
  s += "# discloses, uncomment and fill in a check per reference, then `iaf validate` and `iaf audit` this folder.\n";
  s += "# docs/pack-format.md has every key.\n\n";
  s += "[audit]\nname = " + toml_string(input.name) + "\nseed = 1\n\n";
  s += "[dataset]\npath = " + toml_string(input.dataset_path) + fmt::format("  # {} rows when profiled\n", rows);
  for (const auto& c : columns)
    if (c.role == Role::id) s += "id_column = " + toml_string(c.profile->name) + "  # " + c.why + "\n";
  s += "\n";

  std::vector<const Column*> attrs;
  for (const auto& c : columns)
    if (c.role == Role::labels || c.role == Role::bins) attrs.push_back(&c);
  s += "[[disclosure]]\nid = \"card\"\n";
  s += "quote = \"(quote the dataset card: which attributes it says were generated together, and which independently)\"\n";
  s += "# One combination per marginal the card claims; add the joint ones it discloses, e.g. [\"a\", \"b\"].\n";
  s += "combinations = [";
  for (size_t i = 0; i < attrs.size(); ++i) s += (i ? ", " : "") + std::string("[") + toml_string(attrs[i]->attribute) + "]";
  s += "]\n\n";

  for (const auto* c : attrs) {
    const auto& p = *c->profile;
    s += "[attribute." + c->attribute + "]\ncolumn = " + toml_string(p.name) + "\n";
    if (c->role == Role::bins) {
      bool integers = std::floor(*p.min) == *p.min && std::floor(*p.max) == *p.max && p.type.find("INT") != std::string::npos;
      auto edges = nice_bins(*p.min, *p.max);
      auto labels = bin_labels(edges, integers);
      s += "# range " + number(*p.min) + " … " + number(*p.max) + fmt::format(", {} distinct values; edit the bins to the reference's bands\n", p.distinct);
      s += "bins = [";
      for (size_t i = 0; i < edges.size(); ++i) s += (i ? ", " : "") + number(edges[i]);
      s += "]\nlabels = [";
      for (size_t i = 0; i < labels.size(); ++i) s += (i ? ", " : "") + toml_string(labels[i]);
      s += "]\n";
    } else {
      s += fmt::format("# {} label{}: {}\n", p.distinct, p.distinct == 1 ? "" : "s", share_list(p, 12));
    }
    if (p.missing) s += fmt::format("# {:.1f}% missing\n", 100.0 * static_cast<double>(p.missing) / static_cast<double>(p.rows));
    s += "\n";
  }
  for (const auto& c : columns)
    if (c.role == Role::skipped) s += "# column " + toml_string(c.profile->name) + " is not an attribute: " + c.why + "\n";

  s += "\n# --- One template per attribute: a reference table and the check that compares with it. --------\n";
  s += "# The reference file has a column per attribute (its labels as above) and a count column.\n";
  for (const auto* c : attrs) {
    const std::string& a = c->attribute;
    s += "\n# [[reference]]\n";
    s += "# id = " + toml_string("ref-" + a) + "\n";
    s += "# kind = \"census\"            # census, register, survey or rule\n";
    s += "# file = " + toml_string("references/" + a + ".csv") + "\n";
    s += "# sha256 = \"…\"               # sha256sum references/" + a + ".csv\n";
    s += "# publisher = \"…\"\n# table = \"…\"\n# vintage = \"…\"\n# universe = \"…\"\n# unit = \"persons\"\n# licence = \"…\"\n";
    s += "# columns = { " + a + " = " + toml_string(a) + ", count = \"count\" }\n";
    s += "#\n# [[check]]\n";
    s += "# id = " + toml_string("marginal-" + a) + "\n";
    s += "# disclosure = \"card\"\n# type = \"marginal\"\n";
    s += "# attributes = [" + toml_string(a) + "]\n";
    s += "# reference = " + toml_string("ref-" + a) + "\n";
  }
  return s;
}

}  // namespace iaf::pack
