#include "iaf/pack/pack.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "iaf/core/digest.hpp"
#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/pack/toml_reader.hpp"
#include "iaf/source/duck.hpp"

namespace iaf::pack {
namespace fs = std::filesystem;

const char* check_type_name(CheckType t) {
  switch (t) {
    case CheckType::marginal: return "marginal";
    case CheckType::joint: return "joint";
    case CheckType::conditional: return "conditional";
    case CheckType::share: return "share";
    case CheckType::rule: return "rule";
    case CheckType::bounds: return "bounds";
  }
  return "?";
}

const Attribute* AuditPack::find_attribute(const std::string& name) const {
  for (const auto& a : attributes)
    if (a.name == name) return &a;
  return nullptr;
}

const Attribute& AuditPack::attribute(const std::string& name) const {
  if (auto* a = find_attribute(name)) return *a;
  throw PackError("no attribute '" + name + "'");
}

const Reference& AuditPack::reference(const std::string& id) const {
  for (const auto& r : references)
    if (r.id == id) return r;
  throw PackError("no reference '" + id + "'");
}

const CrosswalkSpec& AuditPack::crosswalk(const std::string& id) const {
  for (const auto& c : crosswalks)
    if (c.id == id) return c;
  throw PackError("no crosswalk '" + id + "'");
}

const Disclosure& AuditPack::disclosure(const std::string& id) const {
  for (const auto& d : disclosures)
    if (d.id == id) return d;
  throw PackError("no disclosure '" + id + "'");
}

std::vector<std::pair<std::string, fs::path>> AuditPack::pack_files() const {
  std::vector<std::pair<std::string, fs::path>> out = {{"pack", toml}};
  for (const auto& c : crosswalks)
    for (const auto& [variant, file] : c.variants) out.emplace_back("crosswalk " + c.id + ":" + variant, file);
  for (const auto& r : references)
    if (!r.file.empty()) out.emplace_back("reference " + r.id, r.file);
  return out;
}

fs::path resolve_in_pack(const fs::path& root, const std::string& path, bool allow_outside, const std::string& where) {
  if (path.empty()) throw PackError(where + ": empty path");
  if (path.find('\0') != std::string::npos) throw PackError(where + ": path contains a NUL byte");
  fs::path p(path);
  fs::path full = p.is_absolute() ? p : root / p;
  fs::path resolved = fs::weakly_canonical(full);
  if (!allow_outside) {
    fs::path base = fs::weakly_canonical(root);
    auto rel = resolved.lexically_relative(base);
    if (rel.empty() || *rel.begin() == "..")
      throw PackError(where + ": path '" + path + "' leaves the pack folder " + base.string() +
                      " (use --allow-outside-pack to permit it)");
  }
  return resolved;
}

namespace {

struct Loader {
  AuditPack pack;
  LoadOptions options;
  std::string file;  // audit.toml as named in messages

  std::string key_where(const TomlTable& t, const std::string& key) const {
    return file + " line " + std::to_string(t.line(key)) + ", " + t.where() + " key '" + key + "'";
  }

  ExprPtr expression(TomlTable& t, const std::string& key, std::string& text_out) {
    auto text = t.string(key);
    if (!text) return nullptr;
    text_out = *text;
    return parse_expression(*text, key_where(t, key), options.limits.expression);
  }

  fs::path path(TomlTable& t, const std::string& key, const std::string& value) {
    return resolve_in_pack(pack.root, value, options.allow_outside_pack, key_where(t, key));
  }

  static void require_id(TomlTable& t, const std::string& id, std::set<std::string>& seen, const char* what) {
    for (char c : id)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
        t.fail("id", std::string(what) + " id '" + id + "' may use only letters, digits, '-', '_' and '.'");
    if (!seen.insert(id).second) t.fail("id", std::string("duplicate ") + what + " id '" + id + "'");
  }

  void audit(TomlTable t) {
    pack.audit.name = t.required_string("name");
    pack.audit.locale = t.string("locale").value_or("");
    pack.audit.description = t.string("description").value_or("");
    if (auto seed = t.integer("seed")) {
      if (*seed < 0) t.fail("seed", "must be a non-negative integer");
      pack.audit.seed = static_cast<uint64_t>(*seed);
    }
    t.finish();
  }

  void dataset(TomlTable t) {
    auto& d = pack.dataset;
    if (auto p = t.string("path")) {
      if (p->empty()) t.fail("path", "must not be empty");
      resolve_in_pack(pack.root, *p, options.allow_outside_pack, file + " line " + std::to_string(t.line("path")) + ", [dataset] key 'path'");
      d.path = *p;
    }
    if (const toml::node* n = t.node("counts")) {
      if (!n->is_array()) t.fail("counts", "must be an array of file names or { file, scope, count_column } tables");
      for (const auto& item : *n->as_array()) {
        CountsSpec c;
        if (item.is_string()) {
          c.file = path(t, "counts", item.as_string()->get());
        } else if (item.is_table()) {
          TomlTable it(*item.as_table(), "[dataset] counts entry", file);
          c.file = path(t, "counts", it.required_string("file"));
          c.scope = expression(it, "scope", c.scope_text);
          c.count_column = it.string("count_column").value_or("count");
          it.finish();
        } else {
          t.fail_node(item, "counts", "each entry must be a file name or a { file, scope, count_column } table");
        }
        if (!fs::exists(c.file)) throw DataError(c.file.string() + ": counts table not found (named in [dataset] counts)");
        d.counts.push_back(std::move(c));
      }
    }
    if (!d.path && d.counts.empty()) t.fail("", "give the rows ('path') or counts tables ('counts')");
    if (d.path && !d.counts.empty()) t.fail("counts", "give either 'path' (rows) or 'counts', not both");
    d.id_column = t.string("id_column").value_or("");
    d.weight = t.string("weight").value_or("");
    d.revision = t.string("revision").value_or("");
    d.name = t.string("name").value_or(pack.audit.name);
    d.universe = t.string("universe").value_or("");
    d.vintage = t.string("vintage").value_or("");
    d.licence = t.string("licence").value_or("");
    d.source = t.string("source").value_or("");
    t.finish();
  }

  void disclosures(std::vector<TomlTable> tables) {
    std::set<std::string> ids;
    for (auto& t : tables) {
      Disclosure d;
      d.id = t.required_string("id");
      require_id(t, d.id, ids, "disclosure");
      d.line = t.line();
      d.quote = t.required_string("quote");
      d.source = t.string("source").value_or("");
      d.combinations = t.string_lists("combinations").value_or(std::vector<std::vector<std::string>>{});
      for (const auto& c : d.combinations)
        if (c.empty()) t.fail("combinations", "a combination lists at least one attribute");
      for (auto& [k, v] : t.string_map("needs").value_or(std::vector<std::pair<std::string, std::string>>{}))
        d.needs[k] = v;
      t.finish();
      pack.disclosures.push_back(std::move(d));
    }
  }

  void attributes(TomlTable t) {
    for (const auto& name : t.keys()) {
      TomlTable a = *t.table(name);
      Attribute attr;
      attr.name = name;
      attr.line = a.line();
      for (char c : name)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
          a.fail("", "attribute names may use only letters, digits and '_'");
      attr.column = a.string("column").value_or("");
      attr.bins = a.numbers("bins").value_or(std::vector<double>{});
      attr.labels = a.strings("labels").value_or(std::vector<std::string>{});
      for (auto& l : attr.labels) l = nfc(l);
      for (auto& [from, to] : a.string_map("map").value_or(std::vector<std::pair<std::string, std::string>>{}))
        attr.map.emplace_back(nfc(from), nfc(to));
      attr.crosswalk = a.string("crosswalk").value_or("");
      if (const toml::node* n = a.node("cases")) {
        if (!n->is_array()) a.fail("cases", "must be an array of { when, label } tables");
        for (const auto& item : *n->as_array()) {
          if (!item.is_table()) a.fail_node(item, "cases", "each case is a { when = \"…\", label = \"…\" } table");
          TomlTable c(*item.as_table(), "[attribute." + name + "] case", file);
          Attribute::Case cs;
          cs.when = expression(c, "when", cs.when_text);
          if (!cs.when) c.fail("", "missing required key 'when'");
          cs.label = nfc(c.required_string("label"));
          c.finish();
          attr.cases.push_back(std::move(cs));
        }
      }
      auto otherwise = a.string("otherwise");
      attr.otherwise = nfc(otherwise.value_or("(other)"));
      attr.expression = expression(a, "expression", attr.expression_text);
      auto when_true = a.string("when_true"), when_false = a.string("when_false");
      attr.when_true = nfc(when_true.value_or("true"));
      attr.when_false = nfc(when_false.value_or("false"));
      a.finish();

      int sources = !attr.column.empty() + !attr.cases.empty() + (attr.expression != nullptr);
      if (sources != 1) a.fail("", "define the attribute by exactly one of 'column', 'cases' or 'expression'");
      if (otherwise && attr.cases.empty()) a.fail("otherwise", "'otherwise' labels the rows no case matches; this attribute has no 'cases'");
      if ((when_true || when_false) && !attr.expression)
        a.fail(when_true ? "when_true" : "when_false", "labels an expression attribute's outcome; this attribute has no 'expression'");
      if (!attr.bins.empty() && attr.column.empty()) a.fail("bins", "bins need a numeric 'column' to bin");
      if (!attr.bins.empty()) {
        if (attr.labels.size() != attr.bins.size())
          a.fail("labels", "needs one label per bin: " + std::to_string(attr.bins.size()) + " bins, " +
                               std::to_string(attr.labels.size()) + " labels");
        for (size_t i = 1; i < attr.bins.size(); ++i)
          if (!(attr.bins[i] > attr.bins[i - 1]))
            a.fail("bins", "bin edges must be strictly increasing (left-closed bins; the last is open-ended)");
        if (!attr.map.empty()) a.fail("map", "a binned attribute cannot also have a value map; map the bin labels in a crosswalk");
      } else if (!attr.labels.empty()) {
        a.fail("labels", "labels name bins; this attribute has no 'bins'");
      }
      if (auto declared = attr.declared_labels()) {
        std::set<std::string> seen;
        for (const auto& l : *declared)
          if (!seen.insert(l).second) a.fail("labels", "label '" + l + "' appears twice");
      }
      if (!attr.map.empty() && attr.column.empty()) a.fail("map", "a value map needs a 'column'");
      for (const auto& [from, target] : attr.map) {
        const std::string& to = target;  // clang 14 cannot capture a structured binding
        auto again = std::find_if(attr.map.begin(), attr.map.end(), [&](const auto& e) { return e.first == to; });
        // Labels in reference tables may be raw values or final labels, so a target that is also a
        // key (mapped elsewhere) would make them ambiguous.
        if (again != attr.map.end() && again->second != to)
          a.fail("map", "'" + to + "' is both a target (of '" + from + "') and a key (to '" + again->second +
                            "'); a value map applies once, so map each raw value straight to its final label");
      }
      pack.attributes.push_back(std::move(attr));
    }
  }

  void crosswalks(std::vector<TomlTable> tables) {
    std::set<std::string> ids;
    for (auto& t : tables) {
      CrosswalkSpec c;
      c.id = t.required_string("id");
      require_id(t, c.id, ids, "crosswalk");
      c.line = t.line();
      c.default_variant = t.string("default_variant").value_or("default");
      c.variants.emplace_back(c.default_variant, path(t, "file", t.required_string("file")));
      for (const auto& [name, f] : t.string_map("variants").value_or(std::vector<std::pair<std::string, std::string>>{})) {
        if (name == c.default_variant) t.fail("variants", "variant '" + name + "' is the default variant's name");
        c.variants.emplace_back(name, path(t, "variants", f));
      }
      std::string unmapped = t.string("unmapped").value_or("report");
      if (unmapped == "report") c.unmapped = UnmappedPolicy::report;
      else if (unmapped == "error") c.unmapped = UnmappedPolicy::error;
      else if (unmapped.rfind("as:", 0) == 0 && unmapped.size() > 3) {
        c.unmapped = UnmappedPolicy::as_label;
        c.unmapped_label = nfc(unmapped.substr(3));
      } else {
        t.fail("unmapped", "must be \"report\", \"error\" or \"as:<label>\"");
      }
      c.min_coverage = t.number("min_coverage").value_or(0.95);
      if (c.min_coverage < 0 || c.min_coverage > 1) t.fail("min_coverage", "must be between 0 and 1");
      t.finish();
      for (const auto& [name, f] : c.variants)
        if (!fs::exists(f)) throw DataError(f.string() + ": crosswalk file not found (crosswalk '" + c.id + "', variant " + name + ")");
      pack.crosswalks.push_back(std::move(c));
    }
  }

  void references(std::vector<TomlTable> tables) {
    std::set<std::string> ids;
    for (auto& t : tables) {
      Reference r;
      r.id = t.required_string("id");
      require_id(t, r.id, ids, "reference");
      r.line = t.line();
      std::string kind = t.required_string("kind");
      if (kind == "census") r.kind = ReferenceKind::census;
      else if (kind == "register") r.kind = ReferenceKind::register_;
      else if (kind == "survey") r.kind = ReferenceKind::survey;
      else if (kind == "rule") r.kind = ReferenceKind::rule;
      else t.fail("kind", "must be census, register, survey or rule");
      r.publisher = t.required_string("publisher");
      r.vintage = t.required_string("vintage");
      r.universe = t.required_string("universe");
      r.licence = t.required_string("licence");
      r.table = t.string("table").value_or("");
      r.caveat = t.string("caveat").value_or("");
      r.url = t.string("url").value_or("");
      r.citation = t.string("citation").value_or("");
      r.unit = t.string("unit").value_or("");
      r.sample_size = t.number("sample_size");
      r.design_effect = t.number("design_effect");
      r.persons_per_unit = t.number("persons_per_unit");
      r.sample_unit = t.string("sample_unit").value_or("");
      r.scale = t.number("scale").value_or(1);
      if (!(r.scale > 0)) t.fail("scale", "must be positive");
      r.measure = t.string("measure").value_or("count");
      if (r.measure != "count" && r.measure != "share") t.fail("measure", "must be \"count\" or \"share\"");
      r.share_total = t.number("share_total").value_or(100);
      r.share_tolerance = t.number("share_tolerance").value_or(r.share_total == 1 ? 0.005 : 0.5);
      r.dash = t.string("dash").value_or("error");
      if (r.dash != "error" && r.dash != "zero") t.fail("dash", "must be \"error\" or \"zero\"");
      std::set<std::string> statement_ids;
      for (auto& s : t.tables("statements")) {
        RuleStatement st{s.required_string("id"), s.required_string("text"), s.string("source").value_or("")};
        if (!statement_ids.insert(st.id).second) s.fail("id", "duplicate statement id '" + st.id + "'");
        s.finish();
        r.statements.push_back(std::move(st));
      }
      for (auto& u : t.tables("upstream")) {
        UpstreamFile up{u.required_string("file"), u.string("sha256").value_or(""), u.string("origin").value_or("")};
        u.finish();
        r.upstream.push_back(std::move(up));
      }
      auto file_name = t.string("file");
      auto columns = t.string_map("columns");
      auto sha = t.string("sha256");
      if (r.kind == ReferenceKind::survey) {
        if (!r.sample_size || !r.design_effect || r.sample_unit.empty())
          t.fail("", "a survey reference needs sample_size, sample_unit and design_effect (n = sample_size / design_effect, in persons)");
        if (*r.sample_size <= 0) t.fail("sample_size", "must be positive");
        if (*r.design_effect <= 0) t.fail("design_effect", "must be positive");
        if (r.persons_per_unit && *r.persons_per_unit <= 0) t.fail("persons_per_unit", "must be positive");
        if (r.sample_unit != "persons" && !r.persons_per_unit)
          t.fail("sample_unit", "a sample counted in " + r.sample_unit + " needs persons_per_unit to give n in persons");
        if (r.sample_unit == "persons" && r.persons_per_unit)
          t.fail("persons_per_unit", "converts a sample of households (or other units) to persons; this sample is already in persons");
      } else {
        // Keys that only a survey's uncertainty reads would otherwise be ignored without a word.
        for (const char* key : {"sample_size", "design_effect", "persons_per_unit", "sample_unit"})
          if (t.node(key)) t.fail(key, "applies only to survey references (this one is " + kind + ")");
      }
      if (r.kind == ReferenceKind::rule) {
        if (r.statements.empty()) t.fail("statements", "a rule reference states its rules: [[reference.statements]] id, text, source");
        if (file_name || columns) t.fail(file_name ? "file" : "columns", "a rule reference carries statements, not a table");
        for (const char* key : {"sha256", "unit", "scale", "measure", "share_total", "share_tolerance", "dash", "table"})
          if (t.node(key)) t.fail(key, "describes a reference table; a rule reference has none");
      } else {
        if (!file_name) t.fail("", "missing required key 'file'");
        if (!sha) t.fail("", "missing required key 'sha256' (every reference is verified before use)");
        if (!columns) t.fail("", "missing required key 'columns' (attribute = \"column\", …, count = \"column\")");
        if (r.unit.empty()) t.fail("", "missing required key 'unit'");
        r.file = path(t, "file", *file_name);
        r.sha256_declared = *sha;
        // Digests are compared as lowercase hex, however the manifest spells them.
        std::transform(r.sha256_declared.begin(), r.sha256_declared.end(), r.sha256_declared.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (r.sha256_declared.size() != 64 ||
            r.sha256_declared.find_first_not_of("0123456789abcdef") != std::string::npos)
          t.fail("sha256", "must be 64 hexadecimal digits (the file's SHA-256)");
        for (const auto& [attr, col] : *columns) {
          if (attr == "count") r.count_column = col;
          else r.columns.emplace_back(attr, col);
        }
        if (r.count_column.empty()) t.fail("columns", "name the value column: count = \"…\"");
      }
      t.finish();
      if (!r.file.empty()) {
        if (!fs::exists(r.file)) throw DataError(r.file.string() + ": reference file not found (reference '" + r.id + "')");
        r.sha256_actual = sha256_file(r.file);
        if (r.sha256_actual != r.sha256_declared) {
          if (!options.accept_changed_references)
            throw DataError(r.file.string() + ": sha256 mismatch for reference '" + r.id + "': the pack declares " +
                            r.sha256_declared + ", the file has " + r.sha256_actual +
                            "; restore the file, update the manifest, or run with --accept-changed-references");
          r.sha256_changed = true;
        }
      }
      pack.references.push_back(std::move(r));
    }
  }

  void checks(std::vector<TomlTable> tables) {
    if (tables.size() > options.limits.max_checks)
      throw PackError(file + ": " + std::to_string(tables.size()) + " checks, over the limit of " +
                      std::to_string(options.limits.max_checks));
    std::set<std::string> ids;
    for (auto& t : tables) {
      Check c;
      c.id = t.required_string("id");
      require_id(t, c.id, ids, "check");
      c.line = t.line();
      std::string type = t.required_string("type");
      static const std::vector<std::pair<std::string, CheckType>> types = {
          {"marginal", CheckType::marginal}, {"joint", CheckType::joint}, {"conditional", CheckType::conditional},
          {"share", CheckType::share},       {"rule", CheckType::rule},   {"bounds", CheckType::bounds}};
      bool known = false;
      for (const auto& [n, ct] : types)
        if (n == type) {
          c.type = ct;
          known = true;
        }
      if (!known) t.fail("type", "must be one of marginal, joint, conditional, share, rule, bounds");
      c.disclosure = t.required_string("disclosure");
      c.description = t.string("description").value_or("");
      c.reference = t.required_string("reference");
      c.attributes = t.strings("attributes").value_or(std::vector<std::string>{});
      c.universe = expression(t, "universe", c.universe_text);
      if (c.universe) c.universe_where = key_where(t, "universe");
      for (const auto& [k, v] : t.number_map("thresholds").value_or(std::vector<std::pair<std::string, double>>{}))
        c.thresholds[k] = v;
      c.sensitivity = t.strings("sensitivity").value_or(std::vector<std::string>{});
      c.covers = t.strings("covers").value_or(std::vector<std::string>{});
      if (auto target = t.string_map("target")) {
        if (target->size() != 1) t.fail("target", "names one attribute and its level, e.g. { sex = \"여자\" }");
        c.target = {(*target)[0].first, nfc((*target)[0].second)};
      }
      if (auto ru = t.table("rollup")) {
        c.rollup_attribute = ru->required_string("attribute");
        c.rollup_crosswalk = ru->required_string("crosswalk");
        ru->finish();
      }
      if (auto s = t.table("standardise_by")) {
        c.standardise_attribute = s->required_string("attribute");
        c.standardise_weights = s->required_string("weights");
        s->finish();
      }
      c.statement = t.string("statement").value_or("");
      c.scope = expression(t, "scope", c.scope_text);
      c.assertion = expression(t, "assert", c.assert_text);
      c.event = expression(t, "event", c.event_text);
      if (t.has("bounds")) {
        if (!t.node("bounds")->is_table()) t.fail("bounds", "must be a table: stratum = [lo, hi]");
        for (const auto& [k, v] : t.entries("bounds")) {
          auto* arr = v->as_array();
          if (!arr || arr->size() != 2 || !(*arr)[0].is_number() || !(*arr)[1].is_number())
            t.fail_node(*v, "bounds", "each stratum's bounds are [lo, hi] numbers");
          double lo = (*arr)[0].value<double>().value(), hi = (*arr)[1].value<double>().value();
          if (!(lo >= 0 && hi <= 1 && lo <= hi)) t.fail_node(*v, "bounds", "bounds must satisfy 0 ≤ lo ≤ hi ≤ 1");
          c.bounds.push_back({nfc(k), lo, hi});
        }
      }
      for (const auto& text : t.strings("orderings").value_or(std::vector<std::string>{})) {
        auto gt = text.find('>');
        if (gt == std::string::npos || text.find('>', gt + 1) != std::string::npos)
          t.fail("orderings", "each ordering reads \"stratum A > stratum B\": '" + text + "'");
        auto trim = [](std::string s) {
          while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
          while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
          return s;
        };
        Ordering o{nfc(trim(text.substr(0, gt))), nfc(trim(text.substr(gt + 1))), text};
        if (o.higher.empty() || o.lower.empty()) t.fail("orderings", "each ordering reads \"stratum A > stratum B\": '" + text + "'");
        c.orderings.push_back(o);
      }
      validate_check(t, c);
      t.finish();
      pack.checks.push_back(std::move(c));
    }
  }

  void validate_check(TomlTable& t, Check& c) {
    auto has_disclosure = [&] {
      for (const auto& d : pack.disclosures)
        if (d.id == c.disclosure) return true;
      return false;
    };
    if (!has_disclosure()) t.fail("disclosure", "no [[disclosure]] has id '" + c.disclosure + "'");
    const Reference* ref = nullptr;
    for (const auto& r : pack.references)
      if (r.id == c.reference) ref = &r;
    if (!ref) t.fail("reference", "no [[reference]] has id '" + c.reference + "'");
    for (const auto& a : c.attributes)
      if (!pack.find_attribute(a)) t.fail("attributes", "no [attribute." + a + "] is defined");
    for (size_t i = 0; i < c.attributes.size(); ++i)
      for (size_t j = 0; j < i; ++j)
        if (c.attributes[i] == c.attributes[j]) t.fail("attributes", "attribute '" + c.attributes[i] + "' is listed twice");

    size_t n = c.attributes.size();
    auto need = [&](bool ok, const std::string& what) {
      if (!ok) t.fail("attributes", std::string(check_type_name(c.type)) + " checks take " + what);
    };
    switch (c.type) {
      case CheckType::marginal: need(n == 1, "one attribute"); break;
      case CheckType::joint: need(n == 2 || n == 3, "two or three attributes"); break;
      case CheckType::conditional: need(n == 2, "two attributes: [given, outcome]"); break;
      case CheckType::share: need(n == 2, "two attributes: [category, attribute of the target]"); break;
      case CheckType::rule: need(n == 0, "no attributes (use scope and assert)"); break;
      case CheckType::bounds: need(n == 1, "one attribute: the strata"); break;
    }
    if (c.type == CheckType::bounds && n == 1) {
      const Attribute& strata = pack.attribute(c.attributes[0]);
      if (!strata.crosswalk.empty())
        t.fail("attributes", "bounds strata are counted as the data labels them, before crosswalks apply; attribute '" +
                                 strata.name + "' is crosswalked (define the strata on its column instead)");
      // Strata the attribute can never produce are a typo: caught here when its labels are known.
      if (auto declared = strata.declared_labels()) {
        auto known = [&](const std::string& l) { return std::find(declared->begin(), declared->end(), l) != declared->end(); };
        for (const auto& b : c.bounds)
          if (!known(b.stratum)) t.fail("bounds", "'" + b.stratum + "' is not a label of attribute '" + strata.name + "'");
        for (const auto& o : c.orderings)
          if (!known(o.higher) || !known(o.lower))
            t.fail("orderings", "'" + (known(o.higher) ? o.lower : o.higher) + "' is not a label of attribute '" + strata.name + "'");
      }
    }
    bool table_check = c.type != CheckType::rule && c.type != CheckType::bounds;
    if (!table_check && !c.sensitivity.empty())
      t.fail("sensitivity", std::string("does not apply to ") + check_type_name(c.type) + " checks (they are counted before crosswalks apply)");
    if (table_check) {
      if (ref->kind == ReferenceKind::rule) t.fail("reference", "'" + ref->id + "' is a rule reference; this check needs a table");
      for (const auto& a : c.attributes) {
        bool found = false;
        for (const auto& [attr, col] : ref->columns) found = found || attr == a;
        if (!found) t.fail("reference", "reference '" + ref->id + "' has no column for attribute '" + a + "'");
      }
    } else if (ref->kind != ReferenceKind::rule) {
      t.fail("reference", "a " + std::string(check_type_name(c.type)) + " check cites a rule reference (kind = \"rule\")");
    }
    auto forbid = [&](bool present, const char* key) {
      if (present) t.fail(key, std::string("does not apply to ") + check_type_name(c.type) + " checks");
    };
    forbid(c.type != CheckType::share && !c.target.first.empty(), "target");
    forbid(c.type != CheckType::share && !c.standardise_attribute.empty(), "standardise_by");
    forbid(c.type != CheckType::rule && (c.scope || c.assertion), c.scope ? "scope" : "assert");
    forbid(c.type != CheckType::rule && !c.statement.empty() && c.type != CheckType::bounds, "statement");
    forbid(c.type != CheckType::bounds && (c.event || !c.bounds.empty() || !c.orderings.empty()),
           c.event ? "event" : !c.bounds.empty() ? "bounds" : "orderings");

    static const std::map<CheckType, std::set<std::string>> allowed = {
        {CheckType::marginal, {"pass", "flag"}},
        {CheckType::joint, {"pass", "flag"}},
        {CheckType::conditional, {"pass", "flag"}},
        {CheckType::share, {"pass", "flag", "dominated_below", "excess"}},
        {CheckType::rule, {"min_compliance"}},
        {CheckType::bounds, {}}};
    for (const auto& [k, v] : c.thresholds)
      if (!allowed.at(c.type).count(k)) {
        std::string list;
        for (const auto& a : allowed.at(c.type)) list += (list.empty() ? "" : ", ") + a;
        t.fail("thresholds", "'" + k + "' is not a threshold of " + check_type_name(c.type) + " checks (" +
                                 (list.empty() ? "none" : list) + ")");
      }

    for (const auto& s : c.sensitivity) {
      auto colon = s.find(':');
      if (colon == std::string::npos) t.fail("sensitivity", "entries read \"crosswalk:variant\": '" + s + "'");
      std::string cw = s.substr(0, colon), variant = s.substr(colon + 1);
      const CrosswalkSpec* spec = nullptr;
      for (const auto& x : pack.crosswalks)
        if (x.id == cw) spec = &x;
      if (!spec) t.fail("sensitivity", "no [[crosswalk]] has id '" + cw + "'");
      if (!spec->has_variant(variant)) t.fail("sensitivity", "crosswalk '" + cw + "' has no variant '" + variant + "'");
      bool used = false;
      for (const auto& a : c.attributes) used = used || pack.attribute(a).crosswalk == cw;
      if (!used) t.fail("sensitivity", "none of this check's attributes uses crosswalk '" + cw + "'");
    }

    if (!c.rollup_attribute.empty()) {
      if (!table_check) t.fail("rollup", "applies to marginal, joint, conditional and share checks");
      if (std::find(c.attributes.begin(), c.attributes.end(), c.rollup_attribute) == c.attributes.end())
        t.fail("rollup", "attribute '" + c.rollup_attribute + "' is not one of the check's attributes");
      bool found = false;
      for (const auto& x : pack.crosswalks) found = found || x.id == c.rollup_crosswalk;
      if (!found) t.fail("rollup", "no [[crosswalk]] has id '" + c.rollup_crosswalk + "'");
      if (c.type == CheckType::share && c.rollup_attribute != c.attributes[0])
        t.fail("rollup", "a share check rolls up its categories (the first attribute)");
    }
    if (c.type == CheckType::share) {
      if (c.target.first.empty()) t.fail("", "a share check needs target = { attribute = \"level\" }");
      if (c.target.first != c.attributes[1])
        t.fail("target", "the target's attribute must be the check's second attribute ('" + c.attributes[1] + "')");
      if (!c.standardise_attribute.empty()) {
        if (!pack.find_attribute(c.standardise_attribute))
          t.fail("standardise_by", "no [attribute." + c.standardise_attribute + "] is defined");
        const Reference* w = nullptr;
        for (const auto& r : pack.references)
          if (r.id == c.standardise_weights) w = &r;
        if (!w) t.fail("standardise_by", "no [[reference]] has id '" + c.standardise_weights + "'");
        for (const auto& a : {c.attributes[0], c.standardise_attribute}) {
          bool found = false;
          for (const auto& [attr, col] : w->columns) found = found || attr == a;
          if (!found) t.fail("standardise_by", "weights reference '" + w->id + "' has no column for attribute '" + a + "'");
        }
      }
    }
    if (c.type == CheckType::rule) {
      if (!c.scope || !c.assertion) t.fail("", "a rule check needs 'scope' and 'assert' expressions");
      if (c.statement.empty()) t.fail("", "missing required key 'statement' (the id of the rule reference's statement this check tests)");
      bool found = false;
      for (const auto& s : ref->statements) found = found || s.id == c.statement;
      if (!found) t.fail("statement", "reference '" + ref->id + "' has no statement '" + c.statement + "'");
    }
    if (c.type == CheckType::bounds) {
      if (!c.event) t.fail("", "a bounds check needs an 'event' expression (the rate is P(event | stratum))");
      if (c.bounds.empty() && c.orderings.empty()) t.fail("", "a bounds check needs 'bounds', 'orderings' or both");
      if (!c.statement.empty()) {
        bool found = false;
        for (const auto& s : ref->statements) found = found || s.id == c.statement;
        if (!found) t.fail("statement", "reference '" + ref->id + "' has no statement '" + c.statement + "'");
      }
    }
  }

  void cross_references() {
    for (const auto& a : pack.attributes)
      if (!a.crosswalk.empty()) {
        bool found = false;
        for (const auto& c : pack.crosswalks) found = found || c.id == a.crosswalk;
        if (!found)
          throw PackError(file + " line " + std::to_string(a.line) + ": [attribute." + a.name + "] key 'crosswalk': no [[crosswalk]] has id '" +
                          a.crosswalk + "'");
      }
    for (const auto& r : pack.references)
      for (const auto& [attr, col] : r.columns)
        if (!pack.find_attribute(attr))
          throw PackError(file + " line " + std::to_string(r.line) + ": [[reference]] '" + r.id + "' key 'columns': no [attribute." + attr +
                          "] is defined");
  }

  void load_tables() {
    source::DuckConfig cfg{.threads = 1};
    for (const auto& [role, f] : pack.pack_files()) cfg.allowed_paths.push_back(f.string());
    source::Duck duck(cfg);
    for (auto& c : pack.crosswalks)
      for (const auto& [variant, file] : c.variants)
        c.loaded.push_back(load_crosswalk(duck, c, variant, options.limits.max_crosswalk_rows));
    for (auto& r : pack.references)
      if (!r.file.empty())
        load_reference_table(duck, r, [&](const std::string& a) { return pack.find_attribute(a); },
                             options.limits.max_reference_rows);
  }
};

}  // namespace

AuditPack load_pack(const fs::path& given, const LoadOptions& options) {
  Loader l;
  l.options = options;
  fs::path toml = fs::is_directory(given) ? given / "audit.toml" : given;
  if (!fs::exists(toml)) throw DataError(toml.string() + ": no audit.toml here (PACK is a pack folder or its audit.toml)");
  l.pack.toml = fs::weakly_canonical(toml);
  l.pack.root = l.pack.toml.parent_path();
  l.pack.limits = options.limits;
  l.file = toml.string();

  uintmax_t size = fs::file_size(toml);
  if (size > options.limits.max_pack_bytes)
    throw PackError(l.file + ": " + std::to_string(size) + " bytes, over the limit of " +
                    std::to_string(options.limits.max_pack_bytes) + " for audit.toml");
  std::ifstream in(toml, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  if (!is_valid_utf8(text)) throw PackError(l.file + ": not valid UTF-8");
  l.pack.toml_sha256 = sha256_hex(text);

  toml::table doc = parse_toml(text, l.file);
  TomlTable root(doc, "audit.toml", l.file);
  auto audit = root.table("audit");
  if (!audit) root.fail("", "missing the [audit] table (name, locale, seed)");
  l.audit(*audit);
  auto dataset = root.table("dataset");
  if (!dataset) root.fail("", "missing the [dataset] table (path = rows, or counts = [tables])");
  l.disclosures(root.tables("disclosure"));
  if (auto attrs = root.table("attribute")) l.attributes(*attrs);
  l.crosswalks(root.tables("crosswalk"));
  l.references(root.tables("reference"));
  l.dataset(*dataset);
  l.cross_references();
  l.checks(root.tables("check"));
  root.finish();
  l.load_tables();
  return std::move(l.pack);
}

}  // namespace iaf::pack
