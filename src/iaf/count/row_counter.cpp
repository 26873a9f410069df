// The first implementation of the row scan, kept as the oracle for the fast kernel: DuckDB
// computes every label and universe flag in one projection (the pack's SQL translation), and each
// row is added to each grouping's table by its labels.
#include <cmath>
#include <map>
#include <set>

#include "iaf/core/error.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/count/identifiers.hpp"
#include "iaf/count/scan_projection.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::count {
namespace fs = std::filesystem;

Counts count_rows_reference(const pack::AuditPack& pack, const Plan& plan, const RowOptions& options,
                            source::Duck& duck, const source::RowSource& src, const ScanProjection& proj,
                            Fingerprints& fingerprints) {
  Counts out;
  out.mode = "rows";
  out.groupings.resize(plan.groupings.size());
  for (size_t g = 0; g < plan.groupings.size(); ++g) {
    std::vector<std::string> names;
    for (const auto& d : plan.groupings[g].dims) names.push_back(d.name);
    out.groupings[g].table = CountTable(names);
    out.groupings[g].served_by = "rows";
  }
  std::vector<std::set<std::string>> examples(plan.examples.size());
  std::vector<std::string> labels;
  uint64_t rows_read = 0;
  auto per_file = src.stream(duck, proj.select_list, [&](const source::Chunk& chunk) {
    rows_read += chunk.size();
    if (options.progress) options.progress(rows_read, -1);
    for (size_t r = 0; r < chunk.size(); ++r) {
      double mass = 1;
      if (proj.weight_column >= 0) {
        if (!chunk.valid(proj.weight_column, r)) throw DataError("dataset: a row has no weight (column '" + pack.dataset.weight + "')");
        mass = chunk.number(proj.weight_column, r);
        if (!(mass >= 0) || !std::isfinite(mass))
          throw DataError("dataset: weight " + std::to_string(mass) + " in column '" + pack.dataset.weight + "' is not a non-negative number");
      }
      for (size_t g = 0; g < plan.groupings.size(); ++g) {
        int u = proj.grouping_universe[g];
        if (u >= 0 && chunk.number(proj.universe_columns[u], r) != 1.0) continue;
        labels.clear();
        for (size_t col : proj.grouping_dims[g]) labels.emplace_back(chunk.text(col, r));
        out.groupings[g].table.add(labels, mass);
      }
      for (size_t e = 0; e < plan.examples.size(); ++e) {
        const auto& req = plan.examples[e];
        int u = proj.example_universe[e];
        if (u >= 0 && chunk.number(proj.universe_columns[u], r) != 1.0) continue;
        if (chunk.text(proj.dim_column.at(req.scope), r) != kTrueLabel) continue;
        if (chunk.text(proj.dim_column.at(req.assertion), r) == kTrueLabel) continue;
        // The smallest violating ids, so both kernels report the same examples.
        auto& ids = examples[e];
        ids.insert(proj.id_column >= 0 && chunk.valid(proj.id_column, r) ? std::string(chunk.text(proj.id_column, r))
                                                                          : std::string("(no id)"));
        if (ids.size() > options.max_examples) ids.erase(std::prev(ids.end()));
      }
    }
  });
  for (size_t e = 0; e < plan.examples.size(); ++e)
    out.examples[plan.examples[e].check] = std::vector<std::string>(examples[e].begin(), examples[e].end());
  const std::vector<std::string>& prints = fingerprints.get();
  for (size_t i = 0; i < src.files().size(); ++i) {
    const auto& f = src.files()[i];
    out.inputs.push_back({"rows", f.string(), fs::file_size(f), prints[i], static_cast<int64_t>(per_file[i])});
    out.rows += per_file[i];
  }
  return out;
}

}  // namespace iaf::count
