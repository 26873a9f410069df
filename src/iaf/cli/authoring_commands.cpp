// `iaf init` and `iaf crosswalk suggest`: the commands that help a person write a pack.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <thread>

#include "iaf/cli/commands.hpp"
#include "iaf/core/csv_field.hpp"
#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/core/sql_text.hpp"
#include "iaf/pack/crosswalk_suggest.hpp"
#include "iaf/pack/skeleton.hpp"
#include "iaf/report/output_files.hpp"
#include "iaf/source/profile.hpp"

namespace iaf::cli {
namespace fs = std::filesystem;
namespace {

source::Duck reading(const std::vector<fs::path>& files) {
  source::DuckConfig cfg{.threads = std::max(1u, std::thread::hardware_concurrency())};
  for (const auto& f : files) cfg.allowed_paths.push_back(f.string());
  return source::Duck(cfg);
}

// How the pack in `pack_dir` names `data` (a file or glob): relative to the pack folder when it
// lies inside it, else absolute.
std::string path_from_pack(const std::string& data, const fs::path& pack_dir) {
  fs::path p = fs::absolute(data).lexically_normal();
  fs::path rel = p.parent_path().lexically_relative(fs::absolute(pack_dir).lexically_normal()) / p.filename();
  return rel.empty() || *rel.begin() == ".." ? p.string() : rel.generic_string();
}

}  // namespace

Action add_init(CLI::App& app) {
  auto data = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  auto max_labels = std::make_shared<size_t>(200);
  auto force = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("init", "write a commented audit.toml skeleton from a dataset's profile");
  cmd->add_option("DATA", *data, "a data file or glob (parquet, csv, tsv, jsonl, json)")->required();
  cmd->add_option("--out", *out, "the pack folder to write audit.toml into")->required();
  cmd->add_option("--name", *name, "[audit] name (default: the data file's name)");
  cmd->add_option("--max-labels", *max_labels, "text columns with more distinct labels are left out")->capture_default_str();
  cmd->add_flag("--force", *force, "overwrite an existing audit.toml");
  return [=] {
    fs::path pack_dir(*out);
    if (fs::exists(pack_dir / "audit.toml") && !*force)
      throw PackError((pack_dir / "audit.toml").string() + " exists; choose another --out, or --force to overwrite it");
    auto files = source::expand_glob(*data, fs::current_path());
    source::Duck duck = reading(files);
    source::RowSource src(files);
    auto profile = source::profile(duck, src, {}, 50);
    pack::SkeletonInput in;
    in.name = name->empty() ? fs::path(*data).stem().string() : *name;
    in.dataset_path = path_from_pack(*data, pack_dir);
    in.made_from = fmt::format("from a profile of {} ({} file{})", *data, files.size(), files.size() == 1 ? "" : "s");
    in.max_labels = *max_labels;
    std::string text = pack::pack_skeleton(profile, in);
    if (fs::path(in.dataset_path).is_absolute())
      text.insert(text.find("[dataset]"), "# The dataset lies outside this folder: audit with --allow-outside-pack, or move it in.\n");
    fs::create_directories(pack_dir);
    report::write_outputs(pack_dir, {{"audit.toml", text}});
    std::cout << "wrote " << (pack_dir / "audit.toml").string() << " (" << profile.size() << " columns profiled)\n";
    return 0;
  };
}

Action add_crosswalk_suggest(CLI::App* crosswalk) {
  auto labels = std::make_shared<std::string>();
  auto targets = std::make_shared<std::string>();
  auto column = std::make_shared<std::string>();
  auto count = std::make_shared<std::string>();
  auto code_column = std::make_shared<std::string>();
  auto title_column = std::make_shared<std::string>();
  auto top = std::make_shared<size_t>(3);
  auto out = std::make_shared<std::string>();
  CLI::App* cmd = crosswalk->add_subcommand(
      "suggest", "propose mappings from a dataset's labels to a code list (exact, normalised, then scored), as a CSV to review");
  cmd->add_option("LABELS", *labels, "the labels: a data or counts file (parquet, csv, tsv, jsonl)")->required();
  cmd->add_option("TARGET_CODES", *targets, "the code list: a CSV of codes and titles")->required();
  cmd->add_option("--column", *column, "the label column of LABELS (default: its first column)");
  cmd->add_option("--count", *count, "a count column of LABELS to sum as each label's mass (default: rows)");
  cmd->add_option("--code-column", *code_column, "the code column of TARGET_CODES (default: its first column)");
  cmd->add_option("--title-column", *title_column, "the title column of TARGET_CODES (default: its second column)");
  cmd->add_option("--top", *top, "scored candidates per label")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_option("--out", *out, "write the CSV here (default: standard output)");
  return [=] {
    auto label_files = source::expand_glob(*labels, fs::current_path());
    auto target_files = source::expand_glob(*targets, fs::current_path());
    std::vector<fs::path> all = label_files;
    all.insert(all.end(), target_files.begin(), target_files.end());
    source::Duck duck = reading(all);

    source::RowSource label_src(label_files);
    auto cols = label_src.columns(duck);
    std::string label_col = column->empty() ? cols.at(0).name : *column;
    auto has = [&](const std::string& c) {
      return std::any_of(cols.begin(), cols.end(), [&](const source::ColumnInfo& x) { return x.name == c; });
    };
    if (!has(label_col)) throw DataError(*labels + ": no column '" + label_col + "' (--column)");
    if (!count->empty() && !has(*count)) throw DataError(*labels + ": no column '" + *count + "' (--count)");
    std::string mass = count->empty() ? "count(*)" : "sum(CAST(" + quote_identifier(*count) + " AS DOUBLE))";
    auto r = duck.query("SELECT CAST(" + quote_identifier(label_col) + " AS VARCHAR), " + mass + " FROM " + label_src.relation() +
                            " WHERE " + quote_identifier(label_col) + " IS NOT NULL GROUP BY 1",
                        *labels);
    std::vector<pack::LabelMass> masses;
    double total = 0;
    for (const auto& row : r.rows) {
      masses.push_back({nfc(row[0].value_or(""), *labels), std::stod(row[1].value_or("0"))});
      total += masses.back().mass;
    }

    auto table = source::RowSource(target_files).read_text(duck);
    auto index = [&](const std::string& name, size_t fallback, const char* option) {
      if (name.empty()) {
        if (fallback >= table.columns.size()) throw DataError(*targets + ": needs a code and a title column");
        return fallback;
      }
      for (size_t i = 0; i < table.columns.size(); ++i)
        if (table.columns[i] == name) return i;
      throw DataError(*targets + ": no column '" + name + "' (" + option + ")");
    };
    size_t ci = index(*code_column, 0, "--code-column"), ti = index(*title_column, 1, "--title-column");
    std::vector<pack::TargetCode> codes;
    for (const auto& row : table.rows)
      if (row[ci] && row[ti]) codes.push_back({*row[ci], nfc(*row[ti], *targets)});

    auto suggestions = pack::suggest_crosswalk(masses, codes, *top);
    std::string csv = "from,mass,share,rank,code,title,score,method\n";
    size_t matched = 0;
    for (const auto& s : suggestions) {
      matched += s.rank == 1 && s.method != "scored";
      csv += csv_field(s.label) + "," + fmt::format("{}", s.mass) + "," + fmt::format("{:.6f}", total ? s.mass / total : 0.0) +
             "," + std::to_string(s.rank) + "," + csv_field(s.code) + "," + csv_field(s.title) + "," + fmt::format("{:.4f}", s.score) +
             "," + s.method + "\n";
    }
    if (out->empty()) {
      std::cout << csv;
    } else {
      fs::path file(*out);
      report::write_outputs(file.parent_path().empty() ? fs::path(".") : file.parent_path(), {{file.filename().string(), csv}});
    }
    std::cerr << fmt::format("{} labels, {} codes: {} matched exactly or after normalising; the rest have up to {} scored candidates to review\n",
                             masses.size(), codes.size(), matched, *top);
    return 0;
  };
}

}  // namespace iaf::cli
