#include "iaf/checks/status.hpp"

#include <stdexcept>

namespace iaf::checks {

const char* status_name(Status s) {
  switch (s) {
    case Status::pass: return "pass";
    case Status::flag: return "flag";
    case Status::fail: return "fail";
    case Status::incomputable: return "incomputable";
    case Status::not_applicable: return "not_applicable";
  }
  return "?";
}

bool trips_fail_on(std::string_view status, std::string_view level) {
  if (status == "fail") return true;
  if (status == "flag") return level == "flag" || level == "incomputable";
  if (status == "incomputable") return level == "incomputable";
  return false;
}

int severity(Status s) {
  switch (s) {
    case Status::pass: return 0;
    case Status::flag: return 1;
    case Status::fail: return 2;
    case Status::incomputable: return 3;
    case Status::not_applicable: return -1;
  }
  return -1;
}

const std::vector<Band>& default_bands() {
  static const std::vector<Band> bands = {
      {"marginal", "tvd", false, 0.05, 0.10, "the bands of the published third-party NPK audit"},
      {"joint", "tvd", false, 0.05, 0.10, "the bands of the published third-party NPK audit"},
      {"conditional", "fi", false, 0.25, 0.50, "keeps at least 75% of the reference's conditional structure / loses over half"},
      {"share", "beta", true, 0.75, 0.50, "same reading as FI, for one target level"},
      {"rule", "compliance", true, 1.0, 1.0, "institutional rules are hard; a pack may relax them with a reason"},
  };
  return bands;
}

Band band_for(const std::string& check_type, const std::map<std::string, double>& overrides) {
  for (Band b : default_bands()) {
    if (b.check_type != check_type) continue;
    if (auto it = overrides.find("pass"); it != overrides.end()) b.pass = it->second;
    if (auto it = overrides.find("flag"); it != overrides.end()) b.flag = it->second;
    if (auto it = overrides.find("min_compliance"); it != overrides.end()) b.pass = b.flag = it->second;
    if (b.higher_is_better ? b.flag > b.pass : b.flag < b.pass)
      throw std::invalid_argument("the flag threshold of a " + check_type + " check lies inside its pass band");
    return b;
  }
  throw std::invalid_argument("no band for check type " + check_type);
}

Status judge(const Band& band, double value) {
  if (band.higher_is_better) {
    if (value >= band.pass) return Status::pass;
    if (value >= band.flag) return Status::flag;
    return Status::fail;
  }
  if (value <= band.pass) return Status::pass;
  if (value <= band.flag) return Status::flag;
  return Status::fail;
}

}  // namespace iaf::checks
