#pragma once
// A CSV field as iaf writes it (RFC 4180): quoted only when it holds a comma, quote or line break.
#include <string>

namespace iaf {

inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace iaf
