#pragma once
// Writes a set of report files into --out all or nothing: every file is first written to a
// temporary name in the same directory, and only when all are complete are they renamed into
// place, so a failed run leaves no half report.
#include <filesystem>
#include <map>
#include <string>

namespace iaf::report {

void write_outputs(const std::filesystem::path& dir, const std::map<std::string, std::string>& files);

}  // namespace iaf::report
