#pragma once
// How much dependence a joint distribution carries, and whether the synthetic's dependence sits in
// the reference's places (any number of dimensions).
#include "iaf/core/dense_table.hpp"
#include "iaf/stats/metric.hpp"

namespace iaf::stats {

// D below this is zero up to rounding: a product of marginals rebuilt in floating point.
inline constexpr double kNoDependence = 1e-12;

// ⊗T: the product of T's one-way marginals, as a distribution over T's grid.
DenseTable independence_product(const DenseTable& t);
// Dependence mass D(T) = TVD(T, ⊗T).
double dependence_mass(const DenseTable& t);
// Dependence retained ρ = D(p) / D(q).
Metric dependence_retained(const DenseTable& p, const DenseTable& q);
// Pattern agreement π = cos(p − ⊗p, q − ⊗q).
Metric pattern_agreement(const DenseTable& p, const DenseTable& q);

}  // namespace iaf::stats
