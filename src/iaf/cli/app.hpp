#pragma once
// The iaf command line: parses arguments, runs one subcommand, and maps every failure to the
// documented exit code (0 ok, 1 findings, 2 usage or pack error, 3 data error).
namespace iaf::cli {

int run(int argc, char** argv);

}  // namespace iaf::cli
