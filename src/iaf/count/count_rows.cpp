#include "iaf/core/error.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/count/identifiers.hpp"
#include "iaf/count/scan_projection.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::count {

Counts count_rows_reference(const pack::AuditPack& pack, const Plan& plan, const RowOptions& options,
                            source::Duck& duck, const source::RowSource& src, const ScanProjection& proj,
                            Fingerprints& fingerprints);
Counts count_rows_fast(const pack::AuditPack& pack, const Plan& plan, const RowOptions& options, source::Duck& duck,
                       const source::RowSource& src, const Schema& schema, Fingerprints& fingerprints);

void check_cardinality(const Counts& counts, uint64_t limit, const std::string& source) {
  for (const auto& g : counts.groupings)
    for (size_t d = 0; d < g.table.rank(); ++d)
      if (g.table.codebook(d).size() > limit)
        throw DataError(source + ": attribute '" + g.table.dims()[d] + "' takes more than " + std::to_string(limit) +
                        " distinct labels; a categorical attribute that large is almost certainly an identifier or free "
                        "text (raise the limit with --max-cardinality if it is intended)");
}

Counts count_rows(const pack::AuditPack& pack, const Plan& plan, const RowOptions& options) {
  // With one thread the files are hashed after the scan, on this thread.
  std::shared_ptr<Fingerprints> fingerprints = options.fingerprints;
  if (!fingerprints) fingerprints = std::make_shared<Fingerprints>(options.files, options.hash, options.threads > 1);
  if (fingerprints->files() != options.files) throw std::logic_error("count_rows: fingerprints of other files");
  source::DuckConfig cfg{.threads = options.threads,
                         .temp_directory = options.temp_directory,
                         .track_progress = static_cast<bool>(options.progress)};
  for (const auto& f : options.files) cfg.allowed_paths.push_back(f.string());
  source::Duck duck(cfg);
  source::RowSource src(options.files);
  Schema schema;
  for (const auto& c : src.columns(duck)) schema[c.name] = c.numeric;
  std::string name = options.files.size() == 1 ? options.files[0].string() : "dataset " + options.files[0].parent_path().string();
  // Before the type checks: DuckDB types every column of a header-only CSV as text.
  if (!src.has_rows(duck)) throw DataError(name + ": no rows (a header only); there is nothing to audit");
  Identifiers ids(pack, schema, name);
  ScanProjection proj = scan_projection(pack, plan, ids);  // also validates the plan against the schema
  if (options.kernel == Kernel::fast) return count_rows_fast(pack, plan, options, duck, src, schema, *fingerprints);
  Counts counts = count_rows_reference(pack, plan, options, duck, src, proj, *fingerprints);
  check_cardinality(counts, pack.limits.max_cardinality, "dataset");
  return counts;
}

}  // namespace iaf::count
