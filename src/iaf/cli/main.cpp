#include "iaf/cli/app.hpp"

int main(int argc, char** argv) { return iaf::cli::run(argc, argv); }
