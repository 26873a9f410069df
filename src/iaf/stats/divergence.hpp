#pragma once
// Divergences between a synthetic distribution p and a reference q over the same cells.
// Inputs are non-negative masses, normalised here; both totals must be positive (std::domain_error
// otherwise) and the spans the same length.
#include <span>

#include "iaf/stats/metric.hpp"

namespace iaf::stats {

double total_variation(std::span<const double> p, std::span<const double> q);
double jensen_shannon(std::span<const double> p, std::span<const double> q);  // bits, 0…1
double js_distance(std::span<const double> p, std::span<const double> q);     // √JSD in bits
double hellinger(std::span<const double> p, std::span<const double> q);
double max_abs_difference(std::span<const double> p, std::span<const double> q);
double impossible_mass(std::span<const double> p, std::span<const double> q);  // p's mass where q = 0
// KL(p‖q) in bits after additive smoothing (x + ε)/(1 + kε) of both sides; undefined for ε = 0 when
// q = 0 somewhere p > 0.
Metric kullback_leibler(std::span<const double> p, std::span<const double> q, double epsilon);

}  // namespace iaf::stats
