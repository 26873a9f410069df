// Peer reproduction: the third-party NPK audit (github.com/eopchang/nemotron-personas-korea-audit
// @99b064b) published Cramér's V, NMI, Theil's U both ways and TVD-vs-independence for 55 pairs of
// the full 1M-row NPK. For the 28 pairs whose published contingency table is complete, iaf
// recomputes every one from the table. Figures: tests/data/peer_eopchang.json
// (scripts/peer/extract_eopchang.py).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "iaf/core/dense_table.hpp"
#include "iaf/stats/association.hpp"
#include "iaf/stats/dependence.hpp"

using namespace iaf;
using namespace iaf::stats;

namespace {

nlohmann::json load_peer() {
  std::ifstream in(std::string(IAF_SOURCE_DIR) + "/tests/data/peer_eopchang.json");
  return nlohmann::json::parse(in);
}

void expect_rel(double got, double want, double tol, const std::string& what) {
  EXPECT_LE(std::fabs(got - want), tol * std::fabs(want)) << what << ": got " << got << " published " << want;
}

}  // namespace

TEST(PeerReproduction, AssociationOfCompleteNpkTables) {
  auto peer = load_peer();
  ASSERT_EQ(peer["pairs"].size(), 28u);
  for (const auto& pair : peer["pairs"]) {
    std::string name = pair["x"].get<std::string>() + " x " + pair["y"].get<std::string>();
    DenseTable t = DenseTable::matrix(pair["table"].get<std::vector<std::vector<double>>>());
    auto a = association(t);
    const auto& pub = pair["published"];
    EXPECT_EQ(a.n, pub["N"].get<double>()) << name;
    // Entropies, V and D are sums of positive terms: they agree to rounding (1e-12).
    expect_rel(*a.h_rows, pub["H_x"], 1e-12, name + " H_x");
    expect_rel(*a.h_cols, pub["H_y"], 1e-12, name + " H_y");
    expect_rel(*a.cramers_v, pub["V"], 1e-12, name + " V");
    expect_rel(dependence_mass(t), pub["TVD_indep"], 1e-12, name + " TVD_indep");
    // MI = H(A) + H(B) − H(A,B) cancels: for MI ≈ 1e-5 nats from entropies ≈ 2 nats, a rounding
    // difference of 1e-16 in an entropy is ~1e-11 of MI, so MI, NMI and U get 1e-9.
    expect_rel(*a.mi, pub["MI_nats"], 1e-9, name + " MI");
    expect_rel(*a.nmi, pub["NMI"], 1e-9, name + " NMI (arithmetic-mean normalisation)");
    expect_rel(*a.u_cols_given_rows, pub["U_y_given_x"], 1e-9, name + " U(y|x)");
    expect_rel(*a.u_rows_given_cols, pub["U_x_given_y"], 1e-9, name + " U(x|y)");
  }
}
