#include "iaf/report/svg_charts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "iaf/report/text_reports.hpp"
#include "iaf/stats/interval.hpp"

namespace iaf::report::svg {
namespace {

using json = nlohmann::ordered_json;

constexpr double kLabelPx = 6.4;  // px per text unit at the 12px chart font

// One UTF-8 code point from s at i (advancing i); malformed bytes come back as U+FFFD.
char32_t next_code_point(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 2) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  i += len;
  return cp;
}

double units_of(char32_t cp) {
  if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F)) return 0;  // combining, zero width
  bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
              (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
              (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
  return wide ? 2.0 : 1.0;
}

std::optional<double> num(const json& v) {
  if (v.is_number()) {
    double x = v.get<double>();
    if (std::isfinite(x)) return x;
  }
  return std::nullopt;
}

const json& field(const json& o, const char* key) {
  static const json null_value;
  if (o.is_object())
    if (auto it = o.find(key); it != o.end()) return *it;
  return null_value;
}

std::optional<double> num_at(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) return std::nullopt;
  return num(obj[key]);
}

bool bool_at(const json& obj, const char* key) {
  const json& v = field(obj, key);
  return v.is_boolean() && v.get<bool>();
}

std::string str_at(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key) || !obj[key].is_string()) return "";
  return obj[key].get<std::string>();
}

const json& empty_array() {
  static const json a = json::array();
  return a;
}

const json& array_at(const json& obj, const char* key) {
  if (obj.is_object() && obj.contains(key) && obj[key].is_array()) return obj[key];
  return empty_array();
}


std::string f2(double x) { return fmt::format("{:.2f}", x); }
std::string px(double x) { return fmt::format("{:.1f}", x); }

// About n "nice" ticks covering [lo, hi].
std::vector<double> ticks(double lo, double hi, int n = 5) {
  std::vector<double> out;
  if (!(hi > lo)) return {lo};
  double raw = (hi - lo) / n, mag = std::pow(10, std::floor(std::log10(raw))), r = raw / mag;
  double step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  for (double t = std::ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-6; t += step) out.push_back(std::fabs(t) < step * 1e-9 ? 0 : t);
  return out;
}

std::string tick_label(double t, bool percent) {
  if (percent) {
    double a = std::fabs(t * 100);
    if (a == 0) return "0";
    if (a >= 1 && std::fabs(t * 100 - std::round(t * 100)) < 1e-9) return fmt::format("{:.0f}%", t * 100);
    return fmt::format("{:.3g}%", t * 100);
  }
  return fmt::format("{:.3g}", t);
}

// A <text> with the label cut to max_units and the full label in a tooltip.
std::string label_text(double x, double y, const std::string& label, double max_units, const std::string& attrs) {
  std::string shown = truncate(label, max_units);
  std::string s = fmt::format("<text x=\"{}\" y=\"{}\" {}>", px(x), px(y), attrs);
  if (shown != label) s += "<title>" + esc(label) + "</title>";
  return s + esc(shown) + "</text>";
}

std::string open_svg(const std::string& kind, const std::string& uid, double w, double h, const std::string& title,
                     const std::string& desc) {
  return fmt::format(
             "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-chart=\"{}\" role=\"img\" "
             "aria-labelledby=\"{}-t {}-d\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\">",
             kind, uid, uid, px(w), px(h), px(w), px(h)) +
         fmt::format("<title id=\"{}-t\">{}</title><desc id=\"{}-d\">{}</desc>", uid, esc(title), uid, esc(desc));
}

std::string dump_safe(const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }
std::string fnum(const json& v) {
  if (v.is_number() || v.is_boolean() || v.is_null()) return fmt_number(v);
  return v.is_string() ? v.get<std::string>() : dump_safe(v);
}

std::string joined_labels(const json& cell, size_t from, const char* sep) {
  if (!cell.is_array()) return from == 0 ? (cell.is_string() ? cell.get<std::string>() : dump_safe(cell)) : "";
  std::string s;
  for (size_t i = from; i < cell.size(); ++i) {
    if (i > from) s += sep;
    s += cell[i].is_string() ? cell[i].get<std::string>() : dump_safe(cell[i]);
  }
  return s;
}

std::string ci_text(const std::optional<stats::Interval>& ci) {
  return ci ? " [" + pct(ci->lo) + ", " + pct(ci->hi) + "]" : "";
}

// ---- paired bars ---------------------------------------------------------------------------------

std::optional<Chart> paired_bars(const json& c, const std::string& uid) {
  const json& cells = array_at(field(c, "details"), "cells");
  if (cells.empty()) return std::nullopt;
  auto n = num_at(field(c, "metrics"), "n_synthetic");
  struct Row {
    std::string label;
    double p, q;
    std::optional<stats::Interval> ci;
    bool flagged, impossible;
    std::optional<double> z;
  };
  std::vector<Row> rows;
  double xmax = 0, maxu = 0;
  for (const auto& cell : cells) {
    Row r;
    r.label = joined_labels(field(cell, "cell"), 0, " × ");
    r.p = num_at(cell, "p").value_or(0);
    r.q = num_at(cell, "q").value_or(0);
    if (auto x = num_at(cell, "synthetic"); x && n && *n > 0) r.ci = stats::wilson(std::clamp(*x, 0.0, *n), *n);
    r.flagged = bool_at(cell, "flagged");
    r.z = num_at(cell, "z");
    r.impossible = r.q <= 0 && r.p > 0;
    xmax = std::max({xmax, r.p, r.q, r.ci ? r.ci->hi : 0.0});
    maxu = std::max(maxu, text_units(r.label));
    rows.push_back(std::move(r));
  }
  if (!(xmax > 0)) xmax = 1;
  xmax = std::min(1.0, xmax * 1.08);
  const double W = 760, lw = std::clamp(std::min(maxu, 30.0) * kLabelPx + 10, 60.0, 210.0), x0 = lw + 8, x1 = W - 96;
  const bool dense = rows.size() > 40;
  const double rh = dense ? 13 : 26, top = 30, bar = dense ? 5 : 9;
  const double H = top + rows.size() * rh + 34;
  auto sx = [&](double v) { return x0 + (x1 - x0) * v / xmax; };
  std::string s = open_svg("paired-bars", uid, W, H, "Synthetic vs reference share per category: " + str_at(c, "id"),
                           fmt::format("{} categories; solid bars are the synthetic shares with Wilson 95% intervals, "
                                       "outlined bars the reference shares.",
                                       rows.size()));
  // legend
  s += fmt::format("<g class=\"legend\"><rect x=\"{}\" y=\"6\" width=\"14\" height=\"9\" class=\"syn\"/>"
                   "<text x=\"{}\" y=\"14\">synthetic (Wilson 95% CI)</text>"
                   "<rect x=\"{}\" y=\"6\" width=\"14\" height=\"9\" class=\"ref\"/><text x=\"{}\" y=\"14\">reference</text>"
                   "<text x=\"{}\" y=\"14\" class=\"flagmark\">●</text><text x=\"{}\" y=\"14\">flagged cell</text></g>",
                   px(x0), px(x0 + 18), px(x0 + 190), px(x0 + 208), px(x0 + 290), px(x0 + 302));
  // grid and axis
  double ybot = top + rows.size() * rh;
  for (double t : ticks(0, xmax)) {
    s += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" class=\"grid\"/>", px(sx(t)), px(top - 4), px(ybot));
    s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>", px(sx(t)), px(ybot + 14),
                     tick_label(t, true));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis-title\" text-anchor=\"middle\">share of the compared universe</text>",
                   px((x0 + x1) / 2), px(ybot + 29));
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    double y = top + i * rh;
    std::string tip = fmt::format("{}: synthetic {}{} vs reference {}", r.label, pct(r.p), ci_text(r.ci), pct(r.q));
    if (r.z) tip += fmt::format("; z {}", fmt_number(json(*r.z)));
    if (r.flagged) tip += "; flagged";
    if (r.impossible) tip += "; impossible: the reference has no mass here";
    s += "<g class=\"row\">";
    s += label_text(lw, y + rh / 2 + (dense ? 3.5 : 4), r.label, 30,
                    dense ? "class=\"label\" text-anchor=\"end\" style=\"font-size:10px\"" : "class=\"label\" text-anchor=\"end\"");
    double ys = y + (rh - 2 * bar) / 2 - 1;
    s += fmt::format("<rect data-mark=\"bar\" class=\"syn\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>",
                     px(x0), px(ys), px(std::max(0.5, sx(r.p) - x0)), px(bar), esc(tip));
    s += fmt::format("<rect class=\"ref\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>", px(x0),
                     px(ys + bar + 2), px(std::max(0.5, sx(r.q) - x0)), px(bar), esc(tip));
    if (r.ci) {
      double yc = ys + bar / 2;
      s += fmt::format("<path class=\"ci\" d=\"M{0} {1}H{2}M{0} {3}V{4}M{2} {3}V{4}\"/>", px(sx(r.ci->lo)), px(yc), px(sx(r.ci->hi)),
                       px(yc - bar / 2), px(yc + bar / 2));
    }
    if (!dense)
      s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"value\">{} / {}</text>", px(x1 + 6), px(y + rh / 2 + 4), pct(r.p), pct(r.q));
    if (r.flagged || r.impossible)
      s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"flagmark\">●</text>", px(x0 - 6 - 0), px(y + rh / 2 + 4));
    s += "</g>";
  }
  s += "</svg>";
  Chart ch{"paired-bars", s, "", rows.size()};
  ch.caption = fmt::format(
      "Share per category, synthetic (solid, with its Wilson 95% interval from the cell's synthetic count and "
      "n_synthetic = {}) against the reference (outlined); values at the right read synthetic / reference.",
      esc(n ? fmt_number(json(*n)) : std::string("unknown")));
  return ch;
}

// ---- heatmap --------------------------------------------------------------------------------------

struct HeatCell {
  size_t row, col;
  std::optional<double> z;
  std::string tip;
};

void diverging(double t, int& r, int& g, int& b) {
  // white → #b2182b for t > 0, white → #2166ac for t < 0
  t = std::clamp(t, -1.0, 1.0);
  int tr = t >= 0 ? 0xb2 : 0x21, tg = t >= 0 ? 0x18 : 0x66, tb = t >= 0 ? 0x2b : 0xac;
  double a = std::fabs(t);
  r = static_cast<int>(std::lround(255 + (tr - 255) * a));
  g = static_cast<int>(std::lround(255 + (tg - 255) * a));
  b = static_cast<int>(std::lround(255 + (tb - 255) * a));
}

Chart heatmap(const std::string& uid, const std::string& title, const std::string& desc, const std::vector<std::string>& rows,
              const std::vector<std::string>& cols, const std::vector<HeatCell>& cells, const std::string& row_title,
              const std::string& col_title, const std::string& value_name, size_t worst_count) {
  // Colour scale: ±L with L the 95th percentile of |value| (at least 2), saturating beyond.
  std::vector<double> mags;
  for (const auto& c : cells)
    if (c.z) mags.push_back(std::fabs(*c.z));
  double L = mags.empty() ? 2.0 : std::max(2.0, stats::quantile(mags, 0.95));
  // The worst cells by |value|.
  std::vector<size_t> order;
  for (size_t i = 0; i < cells.size(); ++i)
    if (cells[i].z) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::fabs(*cells[a].z) > std::fabs(*cells[b].z); });
  order.resize(std::min(order.size(), worst_count));
  std::map<size_t, size_t> rank;
  for (size_t k = 0; k < order.size(); ++k) rank[order[k]] = k + 1;

  double row_units = 0, col_units = 0;
  for (const auto& r : rows) row_units = std::max(row_units, text_units(r));
  for (const auto& c : cols) col_units = std::max(col_units, text_units(c));
  const double lw = std::clamp(std::min(row_units, 28.0) * kLabelPx + 10, 40.0, 200.0);
  const double avail = 760 - lw - 40;
  const double cw = std::clamp(std::floor(avail / std::max<size_t>(1, cols.size())), 8.0, 56.0);
  const double ch = rows.size() > 40 ? std::clamp(cw, 8.0, 14.0) : std::clamp(cw * 0.7, 16.0, 30.0);
  const double col_font = std::min(11.0, cw * 0.9);
  const double col_h = std::min(col_units, 18.0) * kLabelPx * (col_font / 12) * 0.77 + 22;
  const double x0 = lw + 6, y0 = col_h + 8;
  const double grid_w = cols.size() * cw, grid_h = rows.size() * ch;
  const double W = std::max(460.0, x0 + grid_w + col_h * 0.65 + 10), H = y0 + grid_h + 62;

  std::string s = open_svg("heatmap", uid, W, H, title, desc);
  s += fmt::format(
      "<defs><linearGradient id=\"{}-g\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\"><stop offset=\"0\" stop-color=\"#2166ac\"/>"
      "<stop offset=\"0.5\" stop-color=\"#ffffff\"/><stop offset=\"1\" stop-color=\"#b2182b\"/></linearGradient></defs>",
      uid);
  s += fmt::format("<text x=\"{}\" y=\"12\" class=\"axis-title\">{} ↓ · {} →</text>", px(4), esc(truncate(row_title, 40)),
                   esc(truncate(col_title, 50)));
  for (size_t j = 0; j < cols.size(); ++j) {
    double x = x0 + j * cw + cw / 2 + col_font * 0.35;
    std::string shown = truncate(cols[j], 18);
    s += fmt::format("<text class=\"label\" style=\"font-size:{}px\" transform=\"translate({},{}) rotate(-50)\">", px(col_font), px(x),
                     px(y0 - 5));
    if (shown != cols[j]) s += "<title>" + esc(cols[j]) + "</title>";
    s += esc(shown) + "</text>";
  }
  for (size_t i = 0; i < rows.size(); ++i)
    s += label_text(lw, y0 + i * ch + ch / 2 + 4, rows[i], 28,
                    rows.size() > 40 ? "class=\"label\" text-anchor=\"end\" style=\"font-size:9px\"" : "class=\"label\" text-anchor=\"end\"");
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"frame\"/>", px(x0), px(y0), px(grid_w), px(grid_h));
  std::string worst_marks;
  for (size_t k = 0; k < cells.size(); ++k) {
    const auto& c = cells[k];
    double x = x0 + c.col * cw, y = y0 + c.row * ch;
    std::string fill = "#d0d4d9";
    int r = 0, g = 0, b = 0;
    if (c.z) {
      diverging(*c.z / L, r, g, b);
      fill = fmt::format("#{:02x}{:02x}{:02x}", r, g, b);
    }
    s += fmt::format("<rect data-mark=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}><title>{}</title></rect>", px(x),
                     px(y), px(cw), px(ch), fill, c.z ? "" : " class=\"undef\"", esc(c.tip));
    if (auto it = rank.find(k); it != rank.end()) {
      worst_marks += fmt::format("<rect class=\"worst\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", px(x + 1), px(y + 1),
                                 px(cw - 2), px(ch - 2));
      bool dark = std::fabs(*c.z / L) > 0.6;
      std::string text = cw >= 30 && ch >= 15 ? fmt::format("{:.1f}", *c.z) : cw >= 10 && ch >= 10 ? std::to_string(it->second) : "";
      if (!text.empty())
        worst_marks += fmt::format("<text x=\"{}\" y=\"{}\" class=\"cell-label{}\" text-anchor=\"middle\">{}</text>", px(x + cw / 2),
                                   px(y + ch / 2 + 4), dark ? " dark" : "", text);
    }
  }
  s += worst_marks;
  // legend
  double ly = y0 + grid_h + 16;
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"200\" height=\"10\" fill=\"url(#{}-g)\" stroke=\"#8c959f\" stroke-width=\"0.8\"/>",
                   px(x0), px(ly), uid);
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"start\">≤ −{}</text>", px(x0), px(ly + 23), f2(L));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">0</text>", px(x0 + 100), px(ly + 23));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">≥ {}</text>", px(x0 + 200), px(ly + 23), f2(L));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\">{}: blue = synthetic under, red = over</text>", px(x0 + 214), px(ly + 9),
                   esc(value_name));
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#d0d4d9\"/><text x=\"{}\" y=\"{}\" class=\"tick\">undefined</text>",
                   px(x0 + 214), px(ly + 14), px(x0 + 228), px(ly + 23));
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" class=\"worst\"/><text x=\"{}\" y=\"{}\" class=\"tick\">largest |{}|</text>",
                   px(x0 + 290), px(ly + 14), px(x0 + 304), px(ly + 23), esc(value_name));
  s += "</svg>";
  Chart out{"heatmap", s, "", cells.size()};
  std::string worst_list;
  for (size_t k = 0; k < order.size(); ++k) {
    const auto& c = cells[order[k]];
    worst_list += fmt::format("{}{}. {} × {} ({})", k ? "; " : "", k + 1, esc(rows[c.row]), esc(cols[c.col]), f2(*c.z));
  }
  out.caption = fmt::format("Colour scale ±{} (the 95th percentile of |{}|, at least 2), saturating beyond. ", f2(L), esc(value_name));
  if (!worst_list.empty()) out.caption += "Worst cells (largest |" + esc(value_name) + "|), outlined: " + worst_list + ".";
  return out;
}

std::optional<Chart> joint_heatmap(const json& c, const std::string& uid) {
  const json& cells = array_at(field(c, "details"), "cells");
  if (cells.empty()) return std::nullopt;
  std::vector<std::string> rows, cols;
  std::map<std::string, size_t> ri, ci;
  std::vector<HeatCell> hc;
  for (const auto& cell : cells) {
    const json& labels = field(cell, "cell");
    std::string r = !labels.is_array() ? joined_labels(labels, 0, "") : labels.empty() ? "" : joined_labels(json::array({labels[0]}), 0, "");
    std::string col = labels.is_array() && labels.size() > 1 ? joined_labels(labels, 1, " × ") : "share";
    if (!ri.count(r)) ri[r] = rows.size(), rows.push_back(r);
    if (!ci.count(col)) ci[col] = cols.size(), cols.push_back(col);
    HeatCell h{ri[r], ci[col], num_at(cell, "z"), ""};
    h.tip = fmt::format("{}: synthetic {} vs reference {}; z {}", joined_labels(labels, 0, " × "), pct(num_at(cell, "p").value_or(0)),
                        pct(num_at(cell, "q").value_or(0)), h.z ? fmt_number(json(*h.z)) : std::string("undefined (no reference mass)"));
    if (bool_at(cell, "flagged")) h.tip += "; flagged";
    hc.push_back(std::move(h));
  }
  const json& attrs = field(c, "attributes").is_array() ? field(c, "attributes") : empty_array();
  std::string row_title = attrs.size() > 0 && attrs[0].is_string() ? attrs[0].get<std::string>() : "rows";
  std::string col_title = attrs.size() > 1 ? joined_labels(attrs, 1, " × ") : "";
  auto ch = heatmap(uid, "Standardised residuals per cell: " + str_at(c, "id"),
                    fmt::format("{} × {} cells; colour is the cell's standardised residual z, blue where the synthetic is "
                                "under the reference, red where over.",
                                rows.size(), cols.size()),
                    rows, cols, hc, row_title, col_title, "z", 5);
  ch.caption = "Standardised residual z of each cell (details.cells[].z, from the check's test: " +
               esc(str_at(field(c, "details"), "test")) + "). " + ch.caption;
  return ch;
}

std::optional<Chart> conditional_heatmap(const json& c, const std::string& uid) {
  const json& levels = array_at(field(c, "details"), "levels");
  const json& outcomes = array_at(field(c, "details"), "outcome_labels");
  auto n = num_at(field(c, "metrics"), "n_synthetic");
  if (levels.empty() || outcomes.empty()) return std::nullopt;
  std::vector<std::string> rows, cols;
  for (const auto& o : outcomes) cols.push_back(o.is_string() ? o.get<std::string>() : dump_safe(o));
  std::vector<HeatCell> hc;
  for (size_t i = 0; i < levels.size(); ++i) {
    const json& l = levels[i];
    rows.push_back(str_at(l, "level"));
    double pl = num_at(l, "p_level").value_or(0), na = n ? pl * *n : 0;
    const json& pb = array_at(l, "p_outcome_given_level");
    const json& qb = array_at(l, "q_outcome_given_level");
    for (size_t j = 0; j < cols.size(); ++j) {
      double p = j < pb.size() ? num(pb[j]).value_or(0) : 0, q = j < qb.size() ? num(qb[j]).value_or(0) : 0;
      HeatCell h{i, j, std::nullopt, ""};
      std::string why;
      if (!(na > 0)) why = "level absent from the synthetic";
      else if (q <= 0 || q >= 1) why = q <= 0 ? "q(b|a) = 0" : "q(b|a) = 1";
      else h.z = (p - q) / std::sqrt(q * (1 - q) / na);
      h.tip = fmt::format("{} | {}: p(b|a) {} vs q(b|a) {}; n_a {}; residual {}", rows.back(), cols[j], pct(p), pct(q),
                          fmt_number(json(na)), h.z ? f2(*h.z) : "undefined (" + why + ")");
      hc.push_back(std::move(h));
    }
  }
  const json& attrs = field(c, "attributes").is_array() ? field(c, "attributes") : empty_array();
  std::string row_title = attrs.size() > 0 && attrs[0].is_string() ? attrs[0].get<std::string>() : "level";
  std::string col_title = attrs.size() > 1 ? joined_labels(attrs, 1, " × ") : "outcome";
  auto ch = heatmap(uid, "Standardised residuals of p(outcome | level): " + str_at(c, "id"),
                    fmt::format("{} levels × {} outcomes; colour is (p(b|a) − q(b|a)) / sqrt(q(1−q)/n_a), blue where the "
                                "synthetic is under the reference, red where over.",
                                rows.size(), cols.size()),
                    rows, cols, hc, row_title, col_title, "residual", 5);
  ch.caption = fmt::format(
                   "Residual of each level a and outcome b: (p(b|a) − q(b|a)) / sqrt(q(b|a)(1 − q(b|a)) / n_a), with "
                   "n_a = p_level · n_synthetic (n_synthetic = {}); computed here from details.levels, undefined where "
                   "q(b|a) is 0 or 1 or the level is absent from the synthetic. ",
                   esc(n ? fmt_number(json(*n)) : std::string("unknown"))) +
               ch.caption;
  return ch;
}

// ---- share scatter --------------------------------------------------------------------------------

std::optional<Chart> share_scatter(const json& c, const std::string& uid) {
  const json& cats = array_at(field(c, "details"), "categories");
  if (cats.empty()) return std::nullopt;
  struct Pt {
    std::string label;
    double sp, sq, w;
    bool dominated, excess;
    std::optional<double> std_sp, kappa;
  };
  std::map<std::string, double> standardised;
  if (field(field(c, "details"), "standardised").is_object())
    for (const auto& sc : array_at(field(field(c, "details"), "standardised"), "categories"))
      if (auto v = num_at(sc, "s_p_standardised")) standardised[str_at(sc, "category")] = *v;
  std::vector<Pt> pts;
  double wmax = 0, wsum = 0, mp = 0, mq = 0;
  for (const auto& k : cats) {
    auto sp = num_at(k, "s_p"), sq = num_at(k, "s_q");
    if (!sp || !sq) continue;
    Pt p{str_at(k, "category"), *sp, *sq, num_at(k, "weight").value_or(0), bool_at(k, "dominated"), bool_at(k, "excess"),
         std::nullopt, num_at(k, "kappa")};
    if (auto it = standardised.find(p.label); it != standardised.end()) p.std_sp = it->second;
    wmax = std::max(wmax, p.w);
    wsum += p.w;
    mp += p.w * p.sp;
    mq += p.w * p.sq;
    pts.push_back(std::move(p));
  }
  if (pts.empty()) return std::nullopt;
  auto mean_p = num_at(field(c, "metrics"), "mean_share_synthetic"), mean_q = num_at(field(c, "metrics"), "mean_share_reference");
  if (!mean_p && wsum > 0) mean_p = mp / wsum;
  if (!mean_q && wsum > 0) mean_q = mq / wsum;
  auto beta = num_at(field(c, "metrics"), "beta");
  double tau = num_at(field(c, "thresholds"), "dominated_below").value_or(0.30);
  const double P = 400, L = 56, T = 16, R = 190, B = 48, W = L + P + R, H = T + P + B;
  auto sx = [&](double v) { return L + P * std::clamp(v, 0.0, 1.0); };
  auto sy = [&](double v) { return T + P * (1 - std::clamp(v, 0.0, 1.0)); };
  std::string target = str_at(field(field(c, "details"), "target"), "level");
  std::string s = open_svg("share-scatter", uid, W, H, "Synthetic vs reference share per category: " + str_at(c, "id"),
                           fmt::format("{} categories; x is the reference share s_q, y the synthetic share s_p of {}; point "
                                       "area by weight; the identity line, the parity line s = ½, the fitted β line and the "
                                       "dominated region s_q ≤ {} are drawn.",
                                       pts.size(), target.empty() ? std::string("the target level") : target, f2(tau)));
  s += fmt::format("<defs><clipPath id=\"{}-clip\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath></defs>", uid, px(L),
                   px(T), px(P), px(P));
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"dominated\"><title>dominated region: s_q ≤ τ = {}</title></rect>",
                   px(L), px(T), px(sx(tau) - L), px(P), f2(tau));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\">dominated s_q ≤ {}</text>", px(L + 4), px(T + 12), f2(tau));
  for (double t : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    s += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" class=\"grid\"/><line x1=\"{3}\" x2=\"{4}\" y1=\"{5}\" y2=\"{5}\" class=\"grid\"/>",
                     px(sx(t)), px(T), px(T + P), px(L), px(L + P), px(sy(t)));
    s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>", px(sx(t)), px(T + P + 14), tick_label(t, false));
    s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">{}</text>", px(L - 5), px(sy(t) + 4), tick_label(t, false));
  }
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"frame\"/>", px(L), px(T), px(P), px(P));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis-title\" text-anchor=\"middle\">reference share s_q</text>", px(L + P / 2),
                   px(T + P + 32));
  s += fmt::format("<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate({},{}) rotate(-90)\">synthetic share s_p</text>",
                   px(16), px(T + P / 2));
  s += fmt::format("<g clip-path=\"url(#{}-clip)\">", uid);
  s += fmt::format("<line class=\"identity\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", px(sx(0)), px(sy(0)), px(sx(1)), px(sy(1)));
  s += fmt::format("<line class=\"parity\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", px(sx(0)), px(sy(0.5)), px(sx(1)), px(sy(0.5)));
  if (beta && mean_p && mean_q) {
    auto fy = [&](double x) { return *mean_p + *beta * (x - *mean_q); };
    // drawn over x in [0,1]; the clip path keeps it in the square (coordinates are not clamped here)
    s += fmt::format("<line class=\"fit\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", px(L), px(T + P * (1 - fy(0))), px(L + P),
                     px(T + P * (1 - fy(1))));
    s += fmt::format("<circle class=\"means\" cx=\"{}\" cy=\"{}\" r=\"3\"><title>weighted means: s_q {}, s_p {}</title></circle>",
                     px(sx(*mean_q)), px(sy(*mean_p)), f2(*mean_q), f2(*mean_p));
  }
  s += "</g>";
  // standardised shares (not marks): hollow diamonds joined to the crude points
  for (const auto& p : pts)
    if (p.std_sp) {
      double x = sx(p.sq), y = sy(*p.std_sp);
      s += fmt::format("<line class=\"std-link\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>", px(x), px(sy(p.sp)), px(x), px(y));
      s += fmt::format("<path class=\"std\" d=\"M{} {}l4 4l-4 4l-4 -4z\"><title>{}: age-standardised s_p {}</title></path>", px(x),
                       px(y - 4), esc(p.label), pct(*p.std_sp));
    }
  std::vector<size_t> by_weight(pts.size());
  for (size_t i = 0; i < pts.size(); ++i) by_weight[i] = i;
  std::stable_sort(by_weight.begin(), by_weight.end(), [&](size_t a, size_t b) { return pts[a].w > pts[b].w; });
  std::vector<bool> labelled(pts.size(), pts.size() <= 25);
  for (size_t k = 0; k < by_weight.size() && k < 12; ++k) labelled[by_weight[k]] = true;
  // heavy points first so light ones stay visible on top
  for (size_t i : by_weight) {
    const auto& p = pts[i];
    double r = 3 + 11 * (wmax > 0 ? std::sqrt(p.w / wmax) : 0.5);
    std::string cls = p.dominated ? (p.excess ? "pt dominated-excess" : "pt dominated") : "pt";
    std::string tip = fmt::format("{}: s_p {}, s_q {}, weight {}{}{}{}", p.label, pct(p.sp), pct(p.sq), fmt_number(json(p.w)),
                                  p.kappa ? ", κ " + fmt_number(json(*p.kappa)) : "", p.dominated ? ", dominated" : "",
                                  p.excess ? ", over-represented by ≥ δ" : "");
    s += fmt::format("<circle data-mark=\"point\" class=\"{}\" cx=\"{}\" cy=\"{}\" r=\"{}\"><title>{}</title></circle>", cls, px(sx(p.sq)),
                     px(sy(p.sp)), px(r), esc(tip));
  }
  // Labels: the first of a few positions around the point that overlaps no label placed before
  // (heaviest first); a label with no free position is left to the point's tooltip.
  struct Box {
    double x0, y0, x1, y1;
  };
  std::vector<Box> placed;
  for (size_t i : by_weight) {
    if (!labelled[i]) continue;
    const auto& p = pts[i];
    double r = 3 + 11 * (wmax > 0 ? std::sqrt(p.w / wmax) : 0.5), w = std::min(text_units(p.label), 14.0) * 5.7 + 2, h = 12;
    double cx = sx(p.sq), cy = sy(p.sp);
    const std::pair<double, double> offsets[] = {{r + 2, -r}, {r + 2, r + 10}, {-r - 2 - w, -r}, {-r - 2 - w, r + 10},
                                                 {-w / 2, -r - 4}, {-w / 2, r + 13}, {r + 2, -r - 13}, {r + 2, r + 23}};
    for (const auto& [dx, dy] : offsets) {
      Box b{cx + dx, cy + dy - h + 2, cx + dx + w, cy + dy + 2};
      if (b.x0 < L || b.x1 > L + P + 4 || b.y0 < T || b.y1 > T + P) continue;
      bool clash = false;
      for (const auto& o : placed) clash = clash || !(b.x1 < o.x0 || b.x0 > o.x1 || b.y1 < o.y0 || b.y0 > o.y1);
      if (clash) continue;
      placed.push_back(b);
      s += label_text(b.x0, cy + dy, p.label, 14, "class=\"pt-label\"");
      break;
    }
  }
  // legend
  double lx = L + P + 14, ly = T + 8;
  s += "<g class=\"legend\">";
  s += fmt::format("<line class=\"identity\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text x=\"{}\" y=\"{}\">identity s_p = s_q (β = 1)</text>",
                   px(lx), px(ly), px(lx + 22), px(ly), px(lx + 28), px(ly + 4));
  s += fmt::format("<line class=\"parity\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text x=\"{}\" y=\"{}\">parity s = ½</text>", px(lx),
                   px(ly + 18), px(lx + 22), px(ly + 18), px(lx + 28), px(ly + 22));
  s += fmt::format("<line class=\"fit\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><text x=\"{}\" y=\"{}\">fitted β = {}</text>", px(lx),
                   px(ly + 36), px(lx + 22), px(ly + 36), px(lx + 28), px(ly + 40), beta ? f2(*beta) : std::string("—"));
  s += fmt::format("<circle class=\"pt\" cx=\"{}\" cy=\"{}\" r=\"5\"/><text x=\"{}\" y=\"{}\">category (area ∝ weight)</text>", px(lx + 11),
                   px(ly + 56), px(lx + 28), px(ly + 60));
  s += fmt::format("<circle class=\"pt dominated\" cx=\"{}\" cy=\"{}\" r=\"5\"/><text x=\"{}\" y=\"{}\">dominated</text>", px(lx + 11),
                   px(ly + 74), px(lx + 28), px(ly + 78));
  s += fmt::format("<circle class=\"pt dominated-excess\" cx=\"{}\" cy=\"{}\" r=\"5\"/><text x=\"{}\" y=\"{}\">dominated, excess ≥ δ</text>",
                   px(lx + 11), px(ly + 92), px(lx + 28), px(ly + 96));
  if (!standardised.empty())
    s += fmt::format("<path class=\"std\" d=\"M{} {}l4 4l-4 4l-4 -4z\"/><text x=\"{}\" y=\"{}\">age-standardised s_p</text>", px(lx + 11),
                     px(ly + 106), px(lx + 28), px(ly + 114));
  s += "</g></svg>";
  Chart ch{"share-scatter", s, "", pts.size()};
  ch.caption = fmt::format(
      "Each category's share of {} in the synthetic (s_p) against the reference (s_q). The fitted line has slope β "
      "= {} through the weighted means (s_q {}, s_p {}); β = 1 keeps the reference's spread, β = 0 flattens every "
      "category to the mean. Shaded: the dominated set s_q ≤ τ = {}.",
      esc(target.empty() ? std::string("the target level") : target), beta ? f2(*beta) : std::string("—"),
      mean_q ? f2(*mean_q) : std::string("—"), mean_p ? f2(*mean_p) : std::string("—"), f2(tau));
  size_t undefined = cats.size() - pts.size();
  if (undefined)
    ch.caption += fmt::format(" {} {} without both shares {} not drawn (see the table).", undefined, undefined == 1 ? "category" : "categories",
                              undefined == 1 ? "is" : "are");
  return ch;
}

// ---- rate profile ---------------------------------------------------------------------------------

std::optional<Chart> rate_profile(const json& c, const std::string& uid) {
  const json& strata = array_at(field(c, "details"), "strata");
  struct St {
    std::string label, status;
    double rate, events, rows;
    std::optional<stats::Interval> ci;
    std::optional<std::pair<double, double>> bounds;
  };
  std::vector<St> pts;
  std::vector<std::string> skipped;
  double dmax = 0;
  for (const auto& st : strata) {
    auto rate = num_at(st, "rate");
    if (!rate) {
      skipped.push_back(str_at(st, "stratum"));
      continue;
    }
    St p{str_at(st, "stratum"), str_at(st, "status"), *rate, num_at(st, "events").value_or(0), num_at(st, "rows").value_or(0), {}, {}};
    const json& ci = array_at(st, "ci");
    if (ci.size() == 2 && num(ci[0]) && num(ci[1])) p.ci = stats::Interval{*num(ci[0]), *num(ci[1])};
    const json& b = array_at(st, "bounds");
    if (b.size() == 2 && num(b[0]) && num(b[1])) p.bounds = std::make_pair(*num(b[0]), *num(b[1]));
    dmax = std::max({dmax, p.rate, p.ci ? p.ci->hi : 0.0, p.bounds ? p.bounds->first : 0.0});
    pts.push_back(std::move(p));
  }
  if (pts.empty()) return std::nullopt;
  for (const auto& p : pts)
    if (p.bounds && p.bounds->second <= 3 * std::max(dmax, 1e-9)) dmax = std::max(dmax, p.bounds->second);
  if (!(dmax > 0)) dmax = 0.01;
  dmax = std::min(1.0, dmax * 1.12);
  double maxu = 0;
  for (const auto& p : pts) maxu = std::max(maxu, text_units(p.label));
  const double L = 62, R = 20, T = 26, B = 28 + std::min(maxu, 16.0) * kLabelPx * 0.7;
  const double slot = std::clamp(680.0 / pts.size(), 34.0, 110.0), W = std::max(480.0, L + R + slot * pts.size()), P = 260, H = T + P + B;
  auto sy = [&](double v) { return T + P * (1 - std::clamp(v / dmax, 0.0, 1.0)); };
  std::string s = open_svg("rate-profile", uid, W, H, "Rate per stratum against its bounds: " + str_at(c, "id"),
                           fmt::format("{} strata; each point is the stratum's event rate with its Wilson 95% interval; shaded "
                                       "bands are the bounds [lo, hi] where the rule sets them.",
                                       pts.size()));
  for (double t : ticks(0, dmax)) {
    s += fmt::format("<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" class=\"grid\"/>", px(L), px(W - R), px(sy(t)));
    s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">{}</text>", px(L - 5), px(sy(t) + 4), tick_label(t, true));
  }
  s += fmt::format("<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate({},{}) rotate(-90)\">rate: {}</text>", px(14),
                   px(T + P / 2), esc(truncate(str_at(field(c, "details"), "event"), 40)));
  for (size_t i = 0; i < pts.size(); ++i) {
    const auto& p = pts[i];
    double cx = L + slot * (i + 0.5);
    if (p.bounds) {
      double y1 = sy(p.bounds->second), y2 = sy(p.bounds->first);
      bool off = p.bounds->second > dmax;
      s += fmt::format("<rect class=\"bounds\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: bounds [{}, {}]{}</title></rect>",
                       px(cx - slot * 0.38), px(y1), px(slot * 0.76), px(std::max(1.0, y2 - y1)), esc(p.label), pct(p.bounds->first),
                       pct(p.bounds->second), off ? " (upper bound off the scale)" : "");
      s += fmt::format("<path class=\"bound-line\" d=\"M{0} {1}H{2}{3}\"/>", px(cx - slot * 0.38), px(y2), px(cx + slot * 0.38),
                       off ? "" : fmt::format("M{} {}H{}", px(cx - slot * 0.38), px(y1), px(cx + slot * 0.38)));
      if (off)
        s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">↑ {}</text>", px(cx), px(T + 10), pct(p.bounds->second));
    }
    if (p.ci)
      s += fmt::format("<path class=\"ci\" d=\"M{0} {1}V{2}M{3} {1}H{4}M{3} {2}H{4}\"/>", px(cx), px(sy(p.ci->lo)), px(sy(p.ci->hi)),
                       px(cx - 5), px(cx + 5));
    std::string tip = fmt::format("{}: rate {} ({} of {}){}{}{}", p.label, pct(p.rate), fmt_number(json(p.events)), fmt_number(json(p.rows)),
                                  ci_text(p.ci), p.bounds ? "; bounds [" + pct(p.bounds->first) + ", " + pct(p.bounds->second) + "]" : "",
                                  p.status.empty() ? "" : "; " + p.status);
    s += fmt::format("<circle data-mark=\"point\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\" class=\"rate\"><title>{}</title></circle>", px(cx),
                     px(sy(p.rate)), p.status.empty() ? "#24292f" : status_colour(p.status), esc(tip));
    s += fmt::format("<text class=\"label\" text-anchor=\"end\" transform=\"translate({},{}) rotate(-40)\">", px(cx + 4), px(T + P + 14));
    std::string shown = truncate(p.label, 16);
    if (shown != p.label) s += "<title>" + esc(p.label) + "</title>";
    s += esc(shown) + "</text>";
  }
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"frame\"/>", px(L), px(T), px(W - R - L), px(P));
  s += fmt::format("<g class=\"legend\"><rect x=\"{}\" y=\"6\" width=\"14\" height=\"10\" class=\"bounds\"/><text x=\"{}\" y=\"15\">bounds "
                   "[lo, hi]</text><path class=\"ci\" d=\"M{} 6V16\"/><circle cx=\"{}\" cy=\"11\" r=\"4\" fill=\"#24292f\"/><text "
                   "x=\"{}\" y=\"15\">rate, Wilson 95% CI (coloured by the stratum's verdict)</text></g>",
                   px(L), px(L + 18), px(L + 110), px(L + 110), px(L + 120));
  s += "</svg>";
  Chart ch{"rate-profile", s, "", pts.size()};
  ch.caption = "Event rate per stratum (" + esc(str_at(field(c, "details"), "event")) +
               ") with its Wilson 95% interval; a stratum fails when its interval lies outside its bounds and is flagged "
               "when it straddles one.";
  std::string ord;
  for (const auto& o : array_at(field(c, "details"), "orderings"))
    ord += (ord.empty() ? "" : "; ") + esc(str_at(o, "ordering")) + " → " + esc(str_at(o, "status"));
  if (!ord.empty()) ch.caption += " Orderings: " + ord + ".";
  if (!skipped.empty()) {
    std::string list;
    for (const auto& k : skipped) list += (list.empty() ? "" : ", ") + esc(k);
    ch.caption += " Not drawn (no rows): " + list + ".";
  }
  return ch;
}

// ---- compliance -----------------------------------------------------------------------------------

std::optional<Chart> compliance(const json& c, const std::string& uid) {
  auto v = num_at(field(c, "metrics"), "compliance");
  if (!v) return std::nullopt;
  double min_c = num_at(field(c, "thresholds"), "min_compliance").value_or(num_at(field(c, "band"), "pass").value_or(1));
  std::optional<stats::Interval> ci;
  const json& cj = field(field(c, "ci"), "compliance");
  if (cj.is_array() && cj.size() == 2 && num(cj[0]) && num(cj[1])) ci = stats::Interval{*num(cj[0]), *num(cj[1])};
  double lo = std::min({*v, min_c, ci ? ci->lo : *v});
  double span = std::max(1 - lo, 0.005);
  double a0 = std::max(0.0, 1 - span * 1.25), a1 = 1;
  const double W = 760, L = 40, R = 40, T = 30, H = 104;
  auto sx = [&](double x) { return L + (W - L - R) * (x - a0) / (a1 - a0); };
  std::string s = open_svg("compliance", uid, W, H, "Rule compliance against its minimum: " + str_at(c, "id"),
                           fmt::format("Compliance {} with its Wilson 95% interval, against min_compliance {}.", pct(*v), pct(min_c)));
  s += fmt::format("<rect class=\"bounds\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"30\"><title>passing region: compliance ≥ {}</title></rect>",
                   px(sx(min_c)), px(T), px(std::max(1.0, sx(1) - sx(min_c))), pct(min_c));
  for (double t : ticks(a0, a1, 6)) {
    s += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" class=\"grid\"/>", px(sx(t)), px(T - 4), px(T + 34));
    s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{}</text>", px(sx(t)), px(T + 48), tick_label(t, true));
  }
  s += fmt::format("<line class=\"threshold\" x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\"/><text x=\"{0}\" y=\"{3}\" class=\"tick\" "
                   "text-anchor=\"{5}\">min_compliance {4}</text>",
                   px(sx(min_c)), px(T - 8), px(T + 38), px(T - 12), pct(min_c), sx(min_c) > W - 120 ? "end" : "middle");
  double cy = T + 15;
  if (ci)
    s += fmt::format("<path class=\"ci\" d=\"M{0} {1}H{2}M{0} {3}V{4}M{2} {3}V{4}\"/>", px(sx(ci->lo)), px(cy), px(sx(ci->hi)), px(cy - 6),
                     px(cy + 6));
  std::string tip = fmt::format("compliance {}{}: {} violations of {} rows in scope", pct(*v), ci_text(ci),
                                fnum(field(field(c, "metrics"), "violations")),
                                fnum(field(field(c, "metrics"), "in_scope")));
  s += fmt::format("<circle data-mark=\"point\" cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{}\" class=\"rate\"><title>{}</title></circle>", px(sx(*v)),
                   px(cy), status_colour(str_at(c, "status")), esc(tip));
  s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"value\">compliance {}{}: {} violations of {} rows in scope</text>", px(L), px(H - 8),
                   pct(*v), ci_text(ci), fnum(field(field(c, "metrics"), "violations")),
                   fnum(field(field(c, "metrics"), "in_scope")));
  s += "</svg>";
  Chart ch{"compliance", s, "", 1};
  ch.caption = "Share of the rows in scope (" + esc(str_at(field(c, "details"), "scope")) + ") that satisfy the assertion (" +
               esc(str_at(field(c, "details"), "assert")) + "), with its Wilson 95% interval; shaded: compliance ≥ min_compliance.";
  return ch;
}

}  // namespace

std::string pct(double x) {
  double a = std::fabs(x) * 100;
  if (a == 0) return "0%";
  if (a >= 10) return fmt::format("{:.1f}%", x * 100);
  if (a >= 1) return fmt::format("{:.2f}%", x * 100);
  return fmt::format("{:.2g}%", x * 100);
}

std::string esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x80) {  // copied when well-formed UTF-8, else U+FFFD
      size_t at = i;
      char32_t cp = next_code_point(s, i);
      if (cp == 0xFFFD && s.substr(at, 3) != "\xEF\xBF\xBD") out += "\xEF\xBF\xBD";
      else out.append(s.substr(at, i - at));
      continue;
    }
    ++i;
    switch (u) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((u < 0x20 && u != '\t' && u != '\n') || u == 0x7F) out += "\xEF\xBF\xBD";
        else out += static_cast<char>(u);
    }
  }
  return out;
}

double text_units(std::string_view s) {
  double u = 0;
  for (size_t i = 0; i < s.size();) u += units_of(next_code_point(s, i));
  return u;
}

std::string truncate(std::string_view s, double max_units) {
  if (text_units(s) <= max_units) return std::string(s);
  double u = 0;
  size_t i = 0, cut = 0;
  while (i < s.size()) {
    double w = units_of(next_code_point(s, i));
    if (u + w > max_units - 1) break;
    u += w;
    cut = i;
  }
  return std::string(s.substr(0, cut)) + "…";
}

const char* status_colour(const std::string& status) {
  if (status == "pass") return "#1a7f37";
  if (status == "flag") return "#9a6700";
  if (status == "fail") return "#cf222e";
  if (status == "incomputable") return "#57606a";
  return "#8c959f";
}

std::string chart_kind_for(const std::string& t) {
  if (t == "marginal") return "paired-bars";
  if (t == "joint" || t == "conditional") return "heatmap";
  if (t == "share") return "share-scatter";
  if (t == "bounds") return "rate-profile";
  if (t == "rule") return "compliance";
  return "";
}

std::optional<Chart> type_chart(const json& check, const std::string& uid) {
  std::string status = str_at(check, "status");
  if (status != "pass" && status != "flag" && status != "fail") return std::nullopt;
  if (!field(check, "details").is_object()) return std::nullopt;
  std::string t = str_at(check, "type");
  if (t == "marginal") return paired_bars(check, uid);
  if (t == "joint") return joint_heatmap(check, uid);
  if (t == "conditional") return conditional_heatmap(check, uid);
  if (t == "share") return share_scatter(check, uid);
  if (t == "bounds") return rate_profile(check, uid);
  if (t == "rule") return compliance(check, uid);
  return std::nullopt;
}

std::optional<Chart> variant_matrix(const json& c, const std::string& uid) {
  static const json no_variants = json::object();
  const json& bv = field(c, "by_variant").is_object() ? field(c, "by_variant") : no_variants;
  std::string std_status = str_at(c, "standardised_status");
  if (bv.empty() && std_status.empty()) return std::nullopt;
  const json& det = field(field(c, "details"), "by_variant").is_object() ? field(field(c, "details"), "by_variant") : no_variants;
  bool any_screen = false, any_std = false;
  double name_u = 8;
  for (const auto& [v, st] : bv.items()) {
    name_u = std::max(name_u, text_units(v));
    if (field(field(det, v.c_str()), "screening_all").is_string()) any_screen = true;
    if (field(field(det, v.c_str()), "standardised_status").is_string()) any_std = true;
  }
  const double nw = std::clamp(std::min(name_u, 34.0) * kLabelPx + 16, 110.0, 240.0);
  std::vector<std::pair<std::string, double>> colsw = {{"verdict", 118}, {"deciding metric", 124}, {"coverage", 90}};
  if (any_screen) colsw.push_back({"strict screening", 124});
  if (any_std) colsw.push_back({"standardised", 118});
  double W = nw, rh = 26;
  for (auto& [n, w] : colsw) W += w;
  W = std::max(W + 10, 420.0);
  double H = 28 + rh * bv.size() + (std_status.empty() ? 0 : 34 + rh * 1) + 8;
  std::string dm = str_at(c, "deciding_metric");
  std::string s = open_svg("variant-matrix", uid, W, H, "Verdict by crosswalk variant: " + str_at(c, "id"),
                           fmt::format("{} crosswalk variants with their verdicts{}.", bv.size(),
                                       std_status.empty() ? "" : ", and the crude against the standardised verdict"));
  auto badge = [&](double x, double y, double w, const std::string& st, const char* mark, const std::string& tip) {
    return fmt::format("<g><rect {}x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\" fill=\"{}\"><title>{}</title></rect>"
                       "<text x=\"{}\" y=\"{}\" class=\"badge-text\" text-anchor=\"middle\">{}</text></g>",
                       mark ? fmt::format("data-mark=\"{}\" ", mark) : "", px(x + 3), px(y + 3), px(w - 6), px(rh - 6),
                       status_colour(st), esc(tip), px(x + w / 2), px(y + rh / 2 + 4), esc(st.empty() ? "—" : st));
  };
  double y = 4;
  if (!bv.empty()) {
    s += fmt::format("<text x=\"4\" y=\"{}\" class=\"axis-title\">variant</text>", px(y + 14));
    double x = nw;
    for (auto& [n, w] : colsw) {
      s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"axis-title\" text-anchor=\"middle\">{}</text>", px(x + w / 2), px(y + 14), esc(n));
      x += w;
    }
    y += 22;
    for (const auto& [v, st] : bv.items()) {
      const json& d = field(det, v.c_str());
      std::string status = st.is_string() ? st.get<std::string>() : "";
      s += label_text(4, y + rh / 2 + 4, v, 34, "class=\"label\"");
      double x2 = nw;
      s += badge(x2, y, colsw[0].second, status, "variant", v + ": " + status + (str_at(d, "reason").empty() ? "" : " — " + str_at(d, "reason")));
      x2 += colsw[0].second;
      auto metric = num_at(d, "metric");
      s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"value\" text-anchor=\"middle\">{}</text>", px(x2 + colsw[1].second / 2),
                       px(y + rh / 2 + 4), esc((dm.empty() ? std::string("") : dm + " ") + (metric ? fmt_number(json(*metric)) : "—")));
      x2 += colsw[1].second;
      auto cov = num_at(d, "coverage");
      s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"value\" text-anchor=\"middle\">{}</text>", px(x2 + colsw[2].second / 2),
                       px(y + rh / 2 + 4), cov ? pct(*cov) : "—");
      x2 += colsw[2].second;
      size_t k = 3;
      if (any_screen) {
        std::string sc = str_at(d, "screening_all");
        s += badge(x2, y, colsw[k].second, sc, nullptr, v + ": strict screening " + (sc.empty() ? "not applicable" : sc));
        x2 += colsw[k++].second;
      }
      if (any_std) {
        std::string ss = str_at(d, "standardised_status");
        s += badge(x2, y, colsw[k].second, ss, nullptr, v + ": standardised " + (ss.empty() ? "—" : ss));
      }
      y += rh;
    }
  }
  if (!std_status.empty()) {
    y += 10;
    s += fmt::format("<text x=\"4\" y=\"{}\" class=\"axis-title\">crude vs standardised</text>", px(y + 14));
    y += 20;
    std::string raw = str_at(c, "status");
    s += label_text(4, y + rh / 2 + 4, "default variant", 34, "class=\"label\"");
    s += badge(nw, y, 118, raw, "standardisation", "crude verdict: " + raw);
    s += badge(nw + 118, y, 118, std_status, "standardisation", "standardised verdict: " + std_status);
    s += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\">crude → standardised{}</text>", px(nw + 244), px(y + rh / 2 + 4),
                     raw == std_status ? " (agree)" : " (differ)");
  }
  s += "</svg>";
  Chart ch{"variant-matrix", s, "", bv.size()};
  ch.caption = bv.empty() ? "" : fmt::format("The check re-run with each crosswalk variant; {}.",
                                             bool_at(c, "mapping_dependent") ? "the verdict is <strong>mapping-dependent</strong>"
                                                                                 : "the variants agree");
  if (!std_status.empty())
    ch.caption += std::string(ch.caption.empty() ? "" : " ") + "Crude and age-standardised verdicts " +
                  (std_status == str_at(c, "status") ? "agree (age-robust)." : "differ: the age mix moves the verdict.");
  return ch;
}

}  // namespace iaf::report::svg
