// The counting kernel: DuckDB decodes only the raw columns the plan reads, inside its own worker
// threads (a parallel aggregate). Each thread works a chunk at a time, column by column: every
// input becomes a vector of small dictionary codes (from Parquet, a text column arrives as
// DuckDB's hash of each value, its texts having been read by a query of their distinct values
// before the scan), every derived value (attribute label, indicator, universe flag) a vector of
// label codes looked up in a memo on its input codes (a miss evaluates that row with the same C++
// evaluator as counts mode), and each grouping bumps its counters from those vectors. Per-thread
// partial tables are merged by label at the end. The first implementation (row_counter.cpp) stays
// as the oracle this kernel is tested against.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "iaf/core/digest.hpp"
#include "iaf/core/error.hpp"
#include "iaf/core/label.hpp"
#include "iaf/count/counts.hpp"
#include "iaf/count/identifiers.hpp"
#include "iaf/pack/expression_eval.hpp"
#include "iaf/source/dataset.hpp"

namespace iaf::count {
namespace {

constexpr uint32_t kNullCode = 0;          // every input reserves code 0 for NULL
constexpr int kBitsPerDim = 21;            // packed grouping keys: up to 3 dims of 2^21 labels
constexpr uint32_t kMaxLabels = 1u << kBitsPerDim;
// Masses are accumulated in 128-bit fixed point (2^-64 units) so partial sums merge exactly, in
// any order, whatever DuckDB's assignment of row groups to threads; a weight keeps every bit of its
// double down to 2^-64, and 7M rows of weights up to 10^12 stay far inside the range.
__extension__ typedef __int128 Fixed;
constexpr double kTwo64 = 18446744073709551616.0;
const Fixed kFixedOne = static_cast<Fixed>(1) << 64;

Fixed to_fixed(double v) {
  double whole = std::floor(v);
  return (static_cast<Fixed>(static_cast<uint64_t>(whole)) << 64) + static_cast<Fixed>(static_cast<uint64_t>((v - whole) * kTwo64));
}

double from_fixed(Fixed f) { return static_cast<double>(f) / kTwo64; }

struct Input {
  std::string column;
  bool text = true;
};

// A text input's distinct values, read before the scan, with DuckDB's hash() of each. The scan
// then hands the kernel each row's hash instead of its string: DuckDB computes hash() on a Parquet
// dictionary's entries, whereas a string handed to the kernel is copied out of the dictionary row
// by row, and then hashed and compared again by the kernel.
class HashedTexts {
 public:
  HashedTexts(std::vector<std::string> texts, const std::vector<uint64_t>& hashes) : texts_(std::move(texts)) {
    size_t size = 16;
    while (size < 4 * texts_.size()) size *= 2;
    slots_.assign(size, Slot{});
    for (size_t k = 0; k < texts_.size(); ++k) {
      size_t i = hashes[k] & (size - 1);
      while (slots_[i].code != kNullCode) i = (i + 1) & (size - 1);
      slots_[i] = {hashes[k], static_cast<uint32_t>(k + 1)};
    }
  }
  const std::vector<std::string>& texts() const { return texts_; }  // code k + 1 is texts()[k]
  // The code of the text whose hash this is; kNullCode for a hash of no text read before the scan.
  uint32_t code(uint64_t hash) const {
    size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      if (slots_[i].code == kNullCode) return kNullCode;
      if (slots_[i].hash == hash) return slots_[i].code;
    }
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint32_t code = kNullCode;
  };
  std::vector<std::string> texts_;
  std::vector<Slot> slots_;
};

// Per input of one file's scan: its texts and their hashes when the scan reads its hashes, else null.
using HashedInputs = std::vector<std::shared_ptr<const HashedTexts>>;

// One derived value per row: an attribute's label, an indicator's label, or a universe flag.
struct Derived {
  enum Kind { attribute, indicator, universe } kind = attribute;
  std::string name;
  const pack::Attribute* attr = nullptr;
  pack::ExprPtr expr;
  std::vector<size_t> inputs;  // indices into KernelPlan::inputs
  // A universe that is an AND: its conjuncts, each a universe memoised on its own few inputs (a
  // memo on all of them together would miss on most new combinations of age × title × …).
  std::vector<size_t> all_of;
};

struct KernelPlan {
  const pack::AuditPack* pack = nullptr;
  Schema schema;
  std::vector<Input> inputs;
  std::vector<Derived> derived;
  std::vector<std::vector<size_t>> grouping_dims;  // derived indices
  std::vector<int> grouping_universe;              // derived index or -1
  struct Example {
    size_t scope, assertion;
    int universe;
  };
  std::vector<Example> examples;
  int id_input = -1, weight_input = -1;
  bool count_groupings = true;  // false: the second pass, which only names the examples
  // The examples' ids are left to a second pass, made only when a rule has a violating row: the
  // id column (a uuid per row) would otherwise be decoded for every row in case one violates.
  bool defer_ids = false;
  std::vector<bool> encoded;  // per input: read by some derived value (ids and weights are read raw)
  // The derived values computed for whole chunks, in index order (an AND follows its conjuncts):
  // grouping dimensions and universes and the examples' scopes and assertions. Attributes used only
  // inside expressions are evaluated when a memo misses.
  std::vector<size_t> columns;
  std::map<std::string, size_t> attribute_derived;  // attribute → its derived value, for expressions
  size_t max_examples = 20;
  uint64_t max_cardinality = 100000;

  size_t input(const std::string& column, bool text) {
    for (size_t i = 0; i < inputs.size(); ++i)
      if (inputs[i].column == column && inputs[i].text == text) return i;
    inputs.push_back({column, text});
    return inputs.size() - 1;
  }
  int find_input(const std::string& column, bool text) const {
    for (size_t i = 0; i < inputs.size(); ++i)
      if (inputs[i].column == column && inputs[i].text == text) return static_cast<int>(i);
    return -1;
  }
  bool numeric(const std::string& column) const {
    auto it = schema.find(column);
    return it != schema.end() && it->second;
  }
};

// The inputs an attribute's definition reads (inside attributes, identifiers name columns).
void attribute_inputs(KernelPlan& kp, const pack::Attribute& a, std::set<size_t>& out) {
  switch (a.kind()) {
    case pack::Attribute::Kind::column: out.insert(kp.input(a.column, true)); break;
    case pack::Attribute::Kind::bins: out.insert(kp.input(a.column, false)); break;
    case pack::Attribute::Kind::cases:
    case pack::Attribute::Kind::expression:
      for (const auto& c : a.reads()) out.insert(kp.input(c, !kp.numeric(c)));
      break;
  }
}

// The inputs an expression reads (universes, scopes, events: attributes or columns).
void expression_inputs(KernelPlan& kp, const pack::Expr& e, std::set<size_t>& out) {
  for (const auto& id : pack::identifiers(e)) {
    if (const pack::Attribute* a = kp.pack->find_attribute(id)) attribute_inputs(kp, *a, out);
    else out.insert(kp.input(id, !kp.numeric(id)));
  }
}

class Partial;

// Dictionary of one input: raw value → code (0 = NULL), and back.
struct Dictionary {
  // Texts by open addressing on their XXH3-64; a matching hash is confirmed against the text.
  struct TextSlot {
    uint64_t hash = 0;
    uint32_t code = kNullCode;  // kNullCode: empty (NULL is never looked up)
  };
  std::vector<TextSlot> text_slots = std::vector<TextSlot>(1024);
  std::unordered_map<uint64_t, uint32_t> number_codes;
  std::vector<std::string> texts = {""};
  std::vector<std::optional<std::string>> normalized = {std::nullopt};  // NFC of texts, on first use
  std::vector<double> numbers = {0};
  // Out-of-line strings are hashed and compared every time: DuckDB flattens the aggregate's
  // input, copying each dictionary string to its own address, so a cache by address never hits.
  uint32_t text(std::string_view s) {
    uint64_t h = xxh3_64(s);
    size_t mask = text_slots.size() - 1, i = h & mask;
    for (; text_slots[i].code != kNullCode; i = (i + 1) & mask)
      if (text_slots[i].hash == h && texts[text_slots[i].code] == s) return text_slots[i].code;
    auto code = static_cast<uint32_t>(texts.size());
    texts.emplace_back(s);
    normalized.emplace_back();
    text_slots[i] = {h, code};
    if (texts.size() * 2 > text_slots.size()) {
      std::vector<TextSlot> old = std::move(text_slots);
      text_slots.assign(old.size() * 2, TextSlot{});
      mask = text_slots.size() - 1;
      for (const auto& slot : old)
        if (slot.code != kNullCode) {
          size_t j = slot.hash & mask;
          while (text_slots[j].code != kNullCode) j = (j + 1) & mask;
          text_slots[j] = slot;
        }
    }
    return code;
  }
  // Inlined strings by their 16 bytes. DuckDB does not promise to zero the unused inline bytes:
  // a copy with other padding only misses here and is found by text().
  struct InlineSlot {
    uint64_t lo = 0, hi = 0;
    uint32_t code = kNullCode;
  };
  std::vector<InlineSlot> inline_cache = std::vector<InlineSlot>(256);
  uint32_t inlined_text(std::pair<uint64_t, uint64_t> words, std::string_view s) {
    uint64_t k = (words.first ^ (words.second * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;
    InlineSlot& slot = inline_cache[(k >> 56) & (inline_cache.size() - 1)];
    if (slot.code != kNullCode && slot.lo == words.first && slot.hi == words.second) return slot.code;
    uint32_t code = text(s);
    slot = {words.first, words.second, code};
    return code;
  }
  // The codes of a hashed input are its texts' positions, the same in every thread's dictionary.
  void preset(const HashedTexts& hashed) {
    for (const auto& t : hashed.texts()) {
      texts.push_back(t);
      normalized.emplace_back();
    }
  }
  // Small whole numbers (ages, years, counts of things) are looked up by value in an array.
  std::vector<uint32_t> whole_codes = std::vector<uint32_t>(kWholeNumbers, kNullCode);
  static constexpr int kWholeNumbers = 4096;
  uint32_t number(double v) {
    if (v >= 0 && v < kWholeNumbers && !std::signbit(v) && v == std::floor(v)) {
      uint32_t& code = whole_codes[static_cast<size_t>(v)];
      if (code == kNullCode) code = numbered(v);
      return code;
    }
    return numbered(v);
  }
  uint32_t numbered(double v) {
    uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    auto it = number_codes.find(bits);
    if (it != number_codes.end()) return it->second;
    auto code = static_cast<uint32_t>(numbers.size());
    numbers.push_back(v);
    number_codes.emplace(bits, code);
    return code;
  }
};

// An open-addressing table from packed codes (below 2^63) to a value: the grouping counters, and
// the memo of derived values with several inputs.
template <typename V>
class PackedMap {
 public:
  PackedMap() : slots_(1024) {}
  const V* find(uint64_t key) const {
    const Slot& s = slots_[slot(key)];
    return s.key == key ? &s.value : nullptr;
  }
  V& operator[](uint64_t key) {
    size_t i = slot(key);
    if (slots_[i].key == kEmpty) {
      if ((used_ + 1) * 2 > slots_.size()) {
        grow();
        i = slot(key);
      }
      slots_[i].key = key;
      ++used_;
    }
    return slots_[i].value;
  }
  template <typename F>
  void for_each(F f) const {
    for (const auto& s : slots_)
      if (s.key != kEmpty) f(s.key, s.value);
  }

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  struct Slot {  // key and value side by side: one cache line per probe
    uint64_t key = kEmpty;
    V value{};
  };
  size_t slot(uint64_t key) const {
    uint64_t k = key;  // murmur3's finaliser: packed codes differ only in their low bits
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    size_t mask = slots_.size() - 1, i = static_cast<size_t>(k) & mask;
    while (slots_[i].key != kEmpty && slots_[i].key != key) i = (i + 1) & mask;
    return i;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    for (const auto& s : old)
      if (s.key != kEmpty) slots_[slot(s.key)] = s;
  }
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

// The mass of each cell of one grouping, keyed by its label codes (up to 3 dimensions; unused ones
// are code 0). Unweighted rows go to a dense array of row counts while the product of the
// dimensions' capacities stays within 2^20 cells, one array index per row and no probing (the hash
// table's misses were a quarter of the kernel); weighted rows, and groupings that outgrow the
// array, go to a hash table of fixed-point masses keyed by the codes packed 21 bits apiece.
class CellCounter {
 public:
  CellCounter(size_t dims, bool weighted) : dims_(dims), dense_(!weighted) {}

  void add(uint32_t a, uint32_t b, uint32_t c, Fixed mass) {
    if (!dense_) {
      sparse_[packed(a, b, c)] += mass;
      return;
    }
    if ((a >> bits_[0]) | (b >> bits_[1]) | (c >> bits_[2])) widen(a, b, c);
    if (dense_) cells_[index(a, b, c)] += static_cast<uint64_t>(mass >> 64);  // dense: whole rows only
    else sparse_[packed(a, b, c)] += mass;
  }
  // One chunk of weighted rows, as add_rows below (a weighted counter keeps the hash table).
  void add_masses(const std::array<const uint32_t*, 3>& dims, const uint32_t* in_universe, const Fixed* masses, size_t n) {
    for (size_t r = 0; r < n; ++r)
      if (!in_universe || in_universe[r] == 1) add(code(dims[0], r), code(dims[1], r), code(dims[2], r), masses[r]);
  }
  // One chunk of unweighted rows: dims[k][r] is row r's code in dimension k (null: code 0), and
  // rows whose `in_universe` is not 1 are left out. The array is widened once for the chunk's
  // largest codes, and the loop keeps the layout in registers.
  void add_rows(const std::array<const uint32_t*, 3>& dims, const uint32_t* in_universe, size_t n) {
    if (!dense_) {
      for (size_t r = 0; r < n; ++r)
        if (!in_universe || in_universe[r] == 1) sparse_[packed(code(dims[0], r), code(dims[1], r), code(dims[2], r))] += kFixedOne;
      return;
    }
    std::array<uint32_t, 3> high{0, 0, 0};
    for (size_t k = 0; k < 3; ++k)
      if (dims[k])
        for (size_t r = 0; r < n; ++r) high[k] |= dims[k][r];
    if ((high[0] >> bits_[0]) | (high[1] >> bits_[1]) | (high[2] >> bits_[2])) widen(high[0], high[1], high[2]);
    if (!dense_) return add_rows(dims, in_universe, n);
    const int shift0 = bits_[1] + bits_[2], shift1 = bits_[2];
    uint64_t* cells = cells_.data();
    auto index = [&](size_t r) {
      return (static_cast<uint64_t>(code(dims[0], r)) << shift0) | (static_cast<uint64_t>(code(dims[1], r)) << shift1) | code(dims[2], r);
    };
    if (!in_universe) {
      for (size_t r = 0; r < n; ++r) ++cells[index(r)];
    } else {
      for (size_t r = 0; r < n; ++r) cells[index(r)] += in_universe[r] == 1;  // no branch on a coin flip
    }
  }

  // f(codes, mass) for every cell some row reached.
  template <typename F>
  void for_each(F f) const {
    if (!dense_) {
      sparse_.for_each([&](uint64_t key, Fixed m) { f(unpacked(key), m); });
      return;
    }
    for (uint64_t i = 0; i < cells_.size(); ++i)
      if (cells_[i]) f(codes_of(i), static_cast<Fixed>(cells_[i]) << 64);
  }

 private:
  using Codes = std::array<uint32_t, 3>;
  static constexpr int kMaxDenseBits = 20;
  uint64_t index(uint32_t a, uint32_t b, uint32_t c) const {
    return (static_cast<uint64_t>(a) << (bits_[1] + bits_[2])) | (static_cast<uint64_t>(b) << bits_[2]) | c;
  }
  Codes codes_of(uint64_t i) const {
    auto part = [&](int shift, int bits) { return static_cast<uint32_t>((i >> shift) & ((uint64_t{1} << bits) - 1)); };
    return {part(bits_[1] + bits_[2], bits_[0]), part(bits_[2], bits_[1]), part(0, bits_[2])};
  }
  uint64_t packed(uint32_t a, uint32_t b, uint32_t c) const {
    uint64_t key = a;
    if (dims_ > 1) key = (key << kBitsPerDim) | b;
    if (dims_ > 2) key = (key << kBitsPerDim) | c;
    return key;
  }
  Codes unpacked(uint64_t key) const {
    Codes out{0, 0, 0};
    for (size_t k = dims_; k-- > 0; key >>= kBitsPerDim) out[k] = static_cast<uint32_t>(key & (kMaxLabels - 1));
    return out;
  }
  static uint32_t code(const uint32_t* dim, size_t r) { return dim ? dim[r] : 0; }
  static int bits_for(uint32_t code) {
    int b = 0;
    while ((uint64_t{1} << b) <= code) ++b;
    return b;
  }
  // A code past its dimension's capacity: double that capacity and lay the cells out again, or
  // move to the hash table when the array would pass 2^20 cells.
  void widen(uint32_t a, uint32_t b, uint32_t c) {
    std::array<int, 3> bits = bits_;
    Codes reached{a, b, c};
    for (size_t k = 0; k < 3; ++k) bits[k] = std::max(bits[k], bits_for(reached[k]));
    std::vector<std::pair<Codes, uint64_t>> cells;
    for (uint64_t i = 0; i < cells_.size(); ++i)
      if (cells_[i]) cells.emplace_back(codes_of(i), cells_[i]);
    bits_ = bits;
    if (bits[0] + bits[1] + bits[2] > kMaxDenseBits) {
      dense_ = false;
      std::vector<uint64_t>().swap(cells_);
      for (const auto& [codes, rows] : cells) sparse_[packed(codes[0], codes[1], codes[2])] += static_cast<Fixed>(rows) << 64;
      return;
    }
    cells_.assign(uint64_t{1} << (bits[0] + bits[1] + bits[2]), 0);
    for (const auto& [codes, rows] : cells) cells_[index(codes[0], codes[1], codes[2])] = rows;
  }

  size_t dims_;
  bool dense_;
  std::array<int, 3> bits_{0, 0, 0};  // log2 of each dimension's capacity in the array
  std::vector<uint64_t> cells_ = std::vector<uint64_t>(1, 0);
  PackedMap<Fixed> sparse_;
};

// Labels of one derived value, with its memo from input codes.
struct DerivedState {
  std::vector<std::string> labels;
  std::unordered_map<std::string, uint32_t> codes;
  std::vector<int32_t> memo1;                          // single input: by its code
  bool memo1_complete = false;                         // memo1 holds every code its input can take
  PackedMap<uint32_t> memo;                            // up to 3 inputs whose codes fit 21 bits
  std::unordered_map<std::string, uint32_t> wide_memo;  // any other: by the codes' bytes

  uint32_t intern(const std::string& label) {
    auto it = codes.find(label);
    if (it != codes.end()) return it->second;
    auto code = static_cast<uint32_t>(labels.size());
    labels.push_back(label);
    codes.emplace(label, code);
    return code;
  }
};

class Partial : public source::ChunkConsumer {
 public:
  Partial(const KernelPlan& kp, HashedInputs hashed)
      : kp_(kp), hashed_(std::move(hashed)), dicts_(kp.inputs.size()), derived_(kp.derived.size()),
        examples_(kp.examples.size()), violations_(kp.examples.size()), codes_(kp.inputs.size()), input_codes_(kp.inputs.size()),
        values_(kp.derived.size()) {
    for (const auto& dims : kp.grouping_dims) counters_.emplace_back(dims.size(), kp.weight_input >= 0);
    for (size_t i = 0; i < hashed_.size(); ++i)
      if (hashed_[i]) dicts_[i].preset(*hashed_[i]);
    // A value of one hashed input is known for every code before the scan, so the scan only looks
    // it up, without a check for a miss.
    for (size_t d : kp.columns) {
      const Derived& spec = kp.derived[d];
      if (!spec.all_of.empty() || spec.inputs.size() != 1 || !hashed_[spec.inputs[0]]) continue;
      size_t i = spec.inputs[0];
      for (uint32_t c = 0; c <= hashed_[i]->texts().size(); ++c) {
        codes_[i] = c;
        value(d);
      }
      derived_[d].memo1_complete = true;
    }
  }

  // Column at a time: every input of the chunk becomes a vector of codes, every derived value a
  // vector of label codes (memo hits in a tight loop; a miss evaluates that one row), and each
  // grouping bumps its counters from those vectors.
  void consume(const source::Chunk& chunk) override {
    const size_t n = chunk.size();
    for (size_t i = 0; i < kp_.inputs.size(); ++i)
      if (kp_.encoded[i]) encode(chunk, i, n);
    if (kp_.weight_input >= 0) weigh(chunk, n);
    for (size_t d : kp_.columns) derive(d, n);
    if (kp_.count_groupings)
      for (size_t g = 0; g < counters_.size(); ++g) count(g, n);
    if (!kp_.examples.empty()) collect_examples(chunk, n);
    rows_ += n;
  }

  void merge(source::ChunkConsumer& base) override {
    auto& other = static_cast<Partial&>(base);
    std::vector<std::vector<uint32_t>> remap(kp_.derived.size());
    for (size_t d = 0; d < kp_.derived.size(); ++d)
      for (const auto& l : other.derived_[d].labels) remap[d].push_back(derived_[d].intern(l));
    for (size_t g = 0; g < counters_.size(); ++g) {
      const auto& dims = kp_.grouping_dims[g];
      other.counters_[g].for_each([&](const std::array<uint32_t, 3>& codes, Fixed m) {
        std::array<uint32_t, 3> mine{0, 0, 0};
        for (size_t k = 0; k < dims.size(); ++k) mine[k] = remap[dims[k]][codes[k]];
        counters_[g].add(mine[0], mine[1], mine[2], m);
      });
    }
    for (size_t e = 0; e < examples_.size(); ++e) {
      for (const auto& id : other.examples_[e]) keep_example(examples_[e], id);
      violations_[e] += other.violations_[e];
    }
    rows_ += other.rows_;
  }

  uint64_t rows() const { return rows_; }
  bool any_violation() const {
    return std::any_of(violations_.begin(), violations_.end(), [](uint64_t v) { return v > 0; });
  }
  void take_examples(Partial& named) { examples_ = std::move(named.examples_); }

  void write(Counts& out, const Plan& plan) const {
    for (size_t g = 0; g < counters_.size(); ++g) {
      const auto& dims = kp_.grouping_dims[g];
      CountTable& t = out.groupings[g].table;
      std::vector<std::string> labels(dims.size());
      counters_[g].for_each([&](const std::array<uint32_t, 3>& codes, Fixed m) {
        for (size_t k = 0; k < dims.size(); ++k) labels[k] = derived_[dims[k]].labels[codes[k]];
        t.add(labels, from_fixed(m));
      });
    }
    for (size_t e = 0; e < examples_.size(); ++e)
      out.examples[plan.examples[e].check] = std::vector<std::string>(examples_[e].begin(), examples_[e].end());
  }

 private:
  static uint32_t* sized(std::vector<uint32_t>& v, size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
  }

  void encode(const source::Chunk& chunk, size_t i, size_t n) {
    uint32_t* out = sized(input_codes_[i], n);
    Dictionary& dict = dicts_[i];
    if (!kp_.inputs[i].text) {
      for (size_t r = 0; r < n; ++r) out[r] = chunk.valid(i, r) ? dict.number(chunk.number(i, r)) : kNullCode;
      return;
    }
    if (const HashedTexts* hashed = hashed_[i].get()) {
      for (size_t r = 0; r < n; ++r) {
        if (!chunk.valid(i, r)) {
          out[r] = kNullCode;
          continue;
        }
        out[r] = hashed->code(chunk.hash(i, r));
        if (out[r] == kNullCode)
          throw DataError("dataset: column '" + kp_.inputs[i].column +
                          "' holds a value it did not hold a moment before; the files changed while they were read");
      }
      return;
    }
    for (size_t r = 0; r < n; ++r) {
      if (!chunk.valid(i, r)) out[r] = kNullCode;
      else if (chunk.text_inlined(i, r)) out[r] = dict.inlined_text(chunk.inlined_words(i, r), chunk.text(i, r));
      else out[r] = dict.text(chunk.text(i, r));
    }
  }

  void weigh(const source::Chunk& chunk, size_t n) {
    auto w = static_cast<size_t>(kp_.weight_input);
    if (masses_.size() < n) masses_.resize(n);
    for (size_t r = 0; r < n; ++r) {
      if (!chunk.valid(w, r)) throw DataError("dataset: a row has no weight (column '" + kp_.inputs[w].column + "')");
      double v = chunk.number(w, r);
      if (!(v >= 0) || !std::isfinite(v) || v >= 9.2e18)
        throw DataError("dataset: weight " + std::to_string(v) + " in column '" + kp_.inputs[w].column +
                        "' is not a finite non-negative number below 9.2e18");
      masses_[r] = to_fixed(v);
    }
  }

  // The codes of row r as the row-at-a-time evaluator reads them.
  void load_row(size_t r) {
    for (size_t i = 0; i < kp_.inputs.size(); ++i)
      if (kp_.encoded[i]) codes_[i] = input_codes_[i][r];
  }

  void derive(size_t d, size_t n) {
    const Derived& spec = kp_.derived[d];
    DerivedState& st = derived_[d];
    uint32_t* out = sized(values_[d], n);
    if (!spec.all_of.empty()) {
      std::fill(out, out + n, 1u);
      for (size_t part : spec.all_of) {
        const uint32_t* p = values_[part].data();
        for (size_t r = 0; r < n; ++r) out[r] &= p[r] == 1 ? 1u : 0u;
      }
      return;
    }
    if (spec.inputs.size() == 1 && st.memo1_complete) {
      const uint32_t* in = input_codes_[spec.inputs[0]].data();
      const int32_t* memo = st.memo1.data();
      for (size_t r = 0; r < n; ++r) out[r] = static_cast<uint32_t>(memo[in[r]]);
      return;
    }
    if (spec.inputs.size() == 1) {
      const uint32_t* in = input_codes_[spec.inputs[0]].data();
      // Held in locals: the stores to `out` could otherwise alias the memo, reloading it per row.
      const int32_t* memo = st.memo1.data();
      size_t known = st.memo1.size();
      for (size_t r = 0; r < n; ++r) {
        uint32_t c = in[r];
        if (c < known && memo[c] >= 0) {
          out[r] = static_cast<uint32_t>(memo[c]);
        } else {
          load_row(r);
          out[r] = value(d);  // fills the memo, which may move it
          memo = st.memo1.data();
          known = st.memo1.size();
        }
      }
      return;
    }
    if (spec.inputs.size() <= 3) {
      const uint32_t* in[3] = {};
      for (size_t k = 0; k < spec.inputs.size(); ++k) in[k] = input_codes_[spec.inputs[k]].data();
      for (size_t r = 0; r < n; ++r) {
        uint64_t packed = 0;
        uint32_t high = 0;  // a code of 2^21 or more does not pack: value() takes the wide memo
        for (size_t k = 0; k < spec.inputs.size(); ++k) {
          packed = (packed << kBitsPerDim) | (in[k][r] & (kMaxLabels - 1));
          high |= in[k][r] & ~(kMaxLabels - 1);
        }
        const uint32_t* hit = high ? nullptr : st.memo.find(packed);
        if (hit) {
          out[r] = *hit;
        } else {
          load_row(r);
          out[r] = value(d);
        }
      }
      return;
    }
    for (size_t r = 0; r < n; ++r) {
      load_row(r);
      out[r] = value(d);
    }
  }

  void count(size_t g, size_t n) {
    const auto& dims = kp_.grouping_dims[g];
    int u = kp_.grouping_universe[g];
    const uint32_t* in_universe = u >= 0 ? values_[static_cast<size_t>(u)].data() : nullptr;
    std::array<const uint32_t*, 3> codes{};  // an unused dimension stays null: code 0 for every row
    for (size_t k = 0; k < dims.size(); ++k) codes[k] = values_[dims[k]].data();
    if (kp_.weight_input >= 0) counters_[g].add_masses(codes, in_universe, masses_.data(), n);
    else counters_[g].add_rows(codes, in_universe, n);
  }

  void collect_examples(const source::Chunk& chunk, size_t n) {
    for (size_t e = 0; e < kp_.examples.size(); ++e) {
      const auto& ex = kp_.examples[e];
      const uint32_t* in_universe = ex.universe >= 0 ? values_[static_cast<size_t>(ex.universe)].data() : nullptr;
      const uint32_t* scope = values_[ex.scope].data();
      const uint32_t* assertion = values_[ex.assertion].data();
      const auto& scope_labels = derived_[ex.scope].labels;
      const auto& assertion_labels = derived_[ex.assertion].labels;
      for (size_t r = 0; r < n; ++r) {
        if (in_universe && in_universe[r] != 1) continue;
        if (scope_labels[scope[r]] != kTrueLabel || assertion_labels[assertion[r]] == kTrueLabel) continue;
        if (kp_.defer_ids) {
          ++violations_[e];
          continue;
        }
        auto id_col = static_cast<size_t>(kp_.id_input);
        keep_example(examples_[e], kp_.id_input >= 0 && chunk.valid(id_col, r) ? std::string(chunk.text(id_col, r))
                                                                                : std::string("(no id)"));
      }
    }
  }

  // The derived value of the current row: memoised on its input codes.
  uint32_t value(size_t d) {
    const Derived& spec = kp_.derived[d];
    DerivedState& st = derived_[d];
    // (A AND B) holds exactly when A holds and B holds, NULLs included.
    if (!spec.all_of.empty()) {
      for (size_t part : spec.all_of)
        if (value(part) != 1) return 0;
      return 1;
    }
    if (spec.inputs.size() == 1) {
      uint32_t c = codes_[spec.inputs[0]];
      if (c < st.memo1.size() && st.memo1[c] >= 0) return static_cast<uint32_t>(st.memo1[c]);
      uint32_t v = compute(d);
      if (c >= st.memo1.size()) st.memo1.resize(c + 1 + c / 2, -1);
      st.memo1[c] = static_cast<int32_t>(v);
      return v;
    }
    uint64_t packed = 0;
    bool fits = spec.inputs.size() <= 3;
    for (size_t i : spec.inputs) {
      fits = fits && codes_[i] < kMaxLabels;
      packed = (packed << kBitsPerDim) | (codes_[i] & (kMaxLabels - 1));
    }
    if (fits) {
      if (const uint32_t* v = st.memo.find(packed)) return *v;
      uint32_t v = compute(d);
      st.memo[packed] = v;
      return v;
    }
    key_.clear();
    for (size_t i : spec.inputs) key_.append(reinterpret_cast<const char*>(&codes_[i]), sizeof(uint32_t));
    auto it = st.wide_memo.find(key_);
    if (it != st.wide_memo.end()) return it->second;
    uint32_t v = compute(d);
    st.wide_memo.emplace(key_, v);
    return v;
  }

  pack::Value column_value(const std::string& column) {
    bool text = !kp_.numeric(column);
    int i = kp_.find_input(column, text);
    if (i < 0) throw std::logic_error("kernel input missing: " + column);
    uint32_t c = codes_[i];
    if (c == kNullCode) return pack::Null{};
    if (!text) return dicts_[i].numbers[c];
    auto& cached = dicts_[i].normalized[c];
    if (!cached) cached = nfc(dicts_[i].texts[c], "dataset column " + column);
    return *cached;
  }

  std::optional<std::string> column_text(const std::string& column) const {
    int i = kp_.find_input(column, true);
    if (i < 0) throw std::logic_error("kernel text input missing: " + column);
    uint32_t c = codes_[i];
    if (c == kNullCode) return std::nullopt;
    return dicts_[i].texts[c];
  }

  std::string attribute_label(const pack::Attribute& a) {
    pack::RowValues row{[&](const std::string& c) { return column_value(c); }, [&](const std::string& c) { return column_text(c); }};
    return pack::attribute_label(a, row);
  }

  uint32_t compute(size_t d) {
    const Derived& spec = kp_.derived[d];
    DerivedState& st = derived_[d];
    // An attribute inside an expression is its own memoised derived value.
    auto resolve = [&](const std::string& id) -> pack::Value {
      auto it = kp_.attribute_derived.find(id);
      if (it != kp_.attribute_derived.end()) return derived_[it->second].labels[value(it->second)];
      return column_value(id);
    };
    uint32_t v = 0;
    switch (spec.kind) {
      case Derived::attribute: v = st.intern(attribute_label(*spec.attr)); break;
      case Derived::indicator: {
        pack::Value x = pack::evaluate(*spec.expr, resolve);
        v = st.intern(std::holds_alternative<pack::Null>(x) ? std::string(kMissingLabel)
                                                            : std::get<bool>(x) ? kTrueLabel : kFalseLabel);
        break;
      }
      case Derived::universe: return pack::holds(*spec.expr, resolve) ? 1 : 0;
    }
    if (st.labels.size() > kp_.max_cardinality || st.labels.size() >= kMaxLabels)
      throw DataError("dataset: attribute '" + spec.name + "' takes more than " + std::to_string(kp_.max_cardinality) +
                      " distinct labels; a categorical attribute that large is almost certainly an identifier or free "
                      "text (raise the limit with --max-cardinality if it is intended)");
    return v;
  }

  void keep_example(std::set<std::string>& ids, const std::string& id) const {
    ids.insert(id);
    if (ids.size() > kp_.max_examples) ids.erase(std::prev(ids.end()));
  }

  const KernelPlan& kp_;
  const HashedInputs hashed_;
  std::vector<Dictionary> dicts_;
  std::vector<DerivedState> derived_;
  std::vector<CellCounter> counters_;
  std::vector<std::set<std::string>> examples_;  // the smallest violating ids: the same whatever the threads
  std::vector<uint64_t> violations_;              // per example: violating rows (their ids deferred)
  std::vector<uint32_t> codes_;                     // the row value() evaluates (load_row)
  std::vector<std::vector<uint32_t>> input_codes_;  // per input: the chunk's codes
  std::vector<std::vector<uint32_t>> values_;       // per derived value: the chunk's label codes
  std::vector<Fixed> masses_;                       // the chunk's weights, when the pack has them
  std::string key_;
  uint64_t rows_ = 0;
};

enum class Pass { counts, example_ids };

KernelPlan kernel_plan(const pack::AuditPack& pack, const Plan& plan, const Schema& schema, const RowOptions& options,
                       Pass pass) {
  KernelPlan kp;
  kp.count_groupings = pass == Pass::counts;
  kp.pack = &pack;
  kp.schema = schema;
  kp.max_examples = options.max_examples;
  kp.max_cardinality = pack.limits.max_cardinality;
  std::map<std::string, size_t> index;  // derived key → index
  auto add = [&](Derived d, const std::string& key) {
    auto it = index.find(key);
    if (it != index.end()) return it->second;
    kp.derived.push_back(std::move(d));
    index[key] = kp.derived.size() - 1;
    return kp.derived.size() - 1;
  };
  for (const auto& g : plan.groupings) {
    std::vector<size_t> dims;
    for (const auto& dim : g.dims) {
      Derived d;
      std::set<size_t> in;
      d.name = dim.name;
      if (dim.kind == Dim::attribute) {
        d.kind = Derived::attribute;
        d.attr = &pack.attribute(dim.name);
        attribute_inputs(kp, *d.attr, in);
      } else {
        d.kind = Derived::indicator;
        d.expr = plan.indicators.at(dim.name).expr;
        expression_inputs(kp, *d.expr, in);
      }
      d.inputs.assign(in.begin(), in.end());
      dims.push_back(add(std::move(d), (dim.kind == Dim::attribute ? "a:" : "i:") + dim.name));
    }
    if (dims.size() > 3) throw std::logic_error("kernel: a grouping of more than 3 dimensions");
    kp.grouping_dims.push_back(dims);
    int u = -1;
    if (!g.universe.empty()) {
      auto universe = [&](const pack::ExprPtr& e, const std::string& text) {
        Derived d;
        std::set<size_t> in;
        d.kind = Derived::universe;
        d.name = text;
        d.expr = e;
        expression_inputs(kp, *d.expr, in);
        d.inputs.assign(in.begin(), in.end());
        return d;
      };
      Derived d = universe(plan.universes.at(g.universe), g.universe);
      auto parts = pack::conjuncts(d.expr);
      if (parts.size() > 1)
        for (const auto& part : parts) {
          std::string text = pack::to_text(*part);
          d.all_of.push_back(add(universe(part, text), "u:" + text));
        }
      u = static_cast<int>(add(std::move(d), "u:" + g.universe));
    }
    kp.grouping_universe.push_back(u);
  }
  std::set<std::string> in_expressions;
  for (const auto& d : kp.derived)
    if (d.expr)
      for (const auto& id : pack::identifiers(*d.expr))
        if (pack.find_attribute(id)) in_expressions.insert(id);
  for (const auto& name : in_expressions) {
    Derived d;
    std::set<size_t> in;
    d.name = name;
    d.attr = &pack.attribute(name);
    attribute_inputs(kp, *d.attr, in);
    d.inputs.assign(in.begin(), in.end());
    kp.attribute_derived[name] = add(std::move(d), "a:" + name);
  }
  for (const auto& e : plan.examples)
    kp.examples.push_back({index.at("i:" + e.scope), index.at("i:" + e.assertion),
                           e.universe.empty() ? -1 : static_cast<int>(index.at("u:" + e.universe))});
  bool ids = !pack.dataset.id_column.empty() && !plan.examples.empty();
  kp.defer_ids = ids && pass == Pass::counts;
  if (ids && pass == Pass::example_ids) kp.id_input = static_cast<int>(kp.input(pack.dataset.id_column, true));
  if (!pack.dataset.weight.empty() && kp.count_groupings)
    kp.weight_input = static_cast<int>(kp.input(pack.dataset.weight, false));
  // A derived value with no input (a constant expression) still needs a code to memoise on.
  if (kp.inputs.empty()) kp.input(schema.begin()->first, !schema.begin()->second);
  for (auto& d : kp.derived)
    if (d.inputs.empty()) d.inputs.push_back(0);
  std::vector<bool> column(kp.derived.size(), false);
  for (size_t g = 0; g < kp.grouping_dims.size() && kp.count_groupings; ++g) {
    for (size_t d : kp.grouping_dims[g]) column[d] = true;
    if (kp.grouping_universe[g] >= 0) column[static_cast<size_t>(kp.grouping_universe[g])] = true;
  }
  for (const auto& e : kp.examples) {
    column[e.scope] = column[e.assertion] = true;
    if (e.universe >= 0) column[static_cast<size_t>(e.universe)] = true;
  }
  for (size_t d = kp.derived.size(); d-- > 0;)
    for (size_t part : kp.derived[d].all_of) {
      if (part >= d) throw std::logic_error("kernel: a conjunct after its AND");
      column[part] = column[part] || column[d];
    }
  for (size_t d = 0; d < kp.derived.size(); ++d)
    if (column[d]) kp.columns.push_back(d);
  // A derived value's inputs include those of the attributes its expression names, so these are
  // all the codes a memo miss can read.
  kp.encoded.assign(kp.inputs.size(), false);
  for (size_t d : kp.columns)
    for (size_t i : kp.derived[d].inputs) kp.encoded[i] = true;
  return kp;
}

// A Parquet file's distinct values of every text input the kernel encodes, with DuckDB's hash() of
// each, in one query; the file's scan then reads those inputs' hashes. An input with more than
// kMaxHashed values, or with two values of one hash, is read as strings. (CSV and JSON are parsed
// row by row, so reading them twice would cost more than the strings do.) One file at a time, as
// the scan reads it: over several files DuckDB would cast every file to the first one's types
// (30.5 in a DOUBLE shard read as 30 where the first shard has BIGINT), and the texts would not be
// those the file's scan hashes.
HashedInputs hashed_inputs(const KernelPlan& kp, source::Duck& duck, const source::RowSource& src,
                           const std::filesystem::path& file) {
  constexpr size_t kMaxHashed = 65536;
  HashedInputs hashed(kp.inputs.size());
  if (src.format() != source::Format::parquet || !kp.count_groupings) return hashed;
  std::string sql;
  for (size_t i = 0; i < kp.inputs.size(); ++i) {
    if (!kp.encoded[i] || !kp.inputs[i].text) continue;
    std::string column = quote_identifier(kp.inputs[i].column);
    sql += (sql.empty() ? "" : " UNION ALL ") + std::string("(SELECT '") + std::to_string(i) + "', v, CAST(hash(v) AS VARCHAR) FROM (SELECT CAST(" +
           column + " AS VARCHAR) AS v FROM " + src.relation(file) + " WHERE " + column + " IS NOT NULL GROUP BY v) LIMIT " +
           std::to_string(kMaxHashed + 1) + ")";
  }
  if (sql.empty()) return hashed;
  source::TextResult r = duck.query(sql, file.string());
  std::map<size_t, std::pair<std::vector<std::string>, std::vector<uint64_t>>> values;
  for (const auto& row : r.rows) {
    auto& [texts, hashes] = values[std::stoul(row[0].value_or("0"))];
    const std::string& h = row[2].value_or("");
    uint64_t hash = 0;
    std::from_chars(h.data(), h.data() + h.size(), hash);
    texts.push_back(row[1].value_or(""));
    hashes.push_back(hash);
  }
  for (auto& [i, texts_hashes] : values) {
    auto& [texts, hashes] = texts_hashes;
    std::set<uint64_t> distinct(hashes.begin(), hashes.end());
    if (texts.size() > kMaxHashed || distinct.size() != hashes.size()) continue;
    hashed[i] = std::make_shared<HashedTexts>(std::move(texts), hashes);
  }
  return hashed;
}

// What a scan projects: each input as text, a number, or its hash. Inputs no derived value reads,
// nor the weights or ids, are projected as NULL: DuckDB then does not read them (the second pass
// reads only the examples' columns and the ids).
std::vector<source::ScanColumn> scan_columns(const KernelPlan& kp, const HashedInputs& hashed) {
  std::vector<source::ScanColumn> columns;
  for (size_t i = 0; i < kp.inputs.size(); ++i) {
    const auto& in = kp.inputs[i];
    bool read = kp.encoded[i] || static_cast<int>(i) == kp.id_input || static_cast<int>(i) == kp.weight_input;
    std::string sql = read ? "CAST(" + quote_identifier(in.column) + ")" : "CAST(NULL)";
    sql.insert(sql.size() - 1, in.text ? " AS VARCHAR" : " AS DOUBLE");
    if (hashed[i])
      columns.push_back({"CASE WHEN " + quote_identifier(in.column) + " IS NULL THEN NULL ELSE hash(" + sql + ") END",
                         source::ColumnKind::hash});
    else
      columns.push_back({sql, in.text ? source::ColumnKind::text : source::ColumnKind::number});
  }
  return columns;
}

// One parallel scan of every file with `kp`: the merged partial, and each file's rows.
std::unique_ptr<Partial> scan(const KernelPlan& kp, source::Duck& duck, const source::RowSource& src,
                              const RowOptions& options, std::vector<uint64_t>& rows_per_file) {
  std::unique_ptr<Partial> total;
  const size_t files = src.files().size();
  uint64_t rows_before = 0;
  for (size_t i = 0; i < files; ++i) {
    const auto& file = src.files()[i];
    source::Progress file_progress;
    if (options.progress)
      file_progress = [&, i](uint64_t rows, uint64_t, double percentage) {
        // Each file counts as an equal share of the scan; DuckDB only knows the current one, and
        // only Parquet says its row count up front (for text formats it guesses from the size).
        bool known = percentage >= 0 && src.format() == source::Format::parquet;
        double whole = known ? (100.0 * static_cast<double>(i) + percentage) / static_cast<double>(files) : -1;
        options.progress(rows_before + rows, whole);
      };
    std::unique_ptr<source::ChunkConsumer> consumer;
    try {
      HashedInputs hashed = hashed_inputs(kp, duck, src, file);
      consumer = duck.consume_parallel(src.relation(file), scan_columns(kp, hashed),
                                       [&] { return std::make_unique<Partial>(kp, hashed); }, file.string(), file_progress);
    } catch (const DataError& e) {
      throw src.explained(file, e);
    }
    std::unique_ptr<Partial> part(static_cast<Partial*>(consumer.release()));
    rows_per_file.push_back(part->rows());
    rows_before += part->rows();
    if (!total) total = std::move(part);
    else total->merge(*part);
  }
  return total;
}

}  // namespace

Counts count_rows_fast(const pack::AuditPack& pack, const Plan& plan, const RowOptions& options, source::Duck& duck,
                       const source::RowSource& src, const Schema& schema, Fingerprints& fingerprints) {
  KernelPlan kp = kernel_plan(pack, plan, schema, options, Pass::counts);
  Counts out;
  out.mode = "rows";
  out.groupings.resize(plan.groupings.size());
  for (size_t g = 0; g < plan.groupings.size(); ++g) {
    std::vector<std::string> names;
    for (const auto& d : plan.groupings[g].dims) names.push_back(d.name);
    out.groupings[g].table = CountTable(names);
    out.groupings[g].served_by = "rows";
  }
  std::vector<uint64_t> rows;
  std::unique_ptr<Partial> total = scan(kp, duck, src, options, rows);
  if (kp.defer_ids && total->any_violation()) {
    RowOptions quiet = options;
    quiet.progress = nullptr;
    std::vector<uint64_t> again;
    std::unique_ptr<Partial> named = scan(kernel_plan(pack, plan, schema, options, Pass::example_ids), duck, src, quiet, again);
    if (again != rows) throw DataError("dataset: the files changed while they were read (row counts differ between passes)");
    total->take_examples(*named);
  }
  const std::vector<std::string>& prints = fingerprints.get();
  for (size_t i = 0; i < src.files().size(); ++i) {
    const auto& file = src.files()[i];
    out.inputs.push_back({"rows", file.string(), std::filesystem::file_size(file), prints[i], static_cast<int64_t>(rows[i])});
    out.rows += rows[i];
  }
  total->write(out, plan);
  return out;
}

}  // namespace iaf::count
