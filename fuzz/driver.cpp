// The libFuzzer entry point of one target; CMake compiles it once per target with IAF_FUZZ_TARGET set.
#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { return iaf::fuzz::IAF_FUZZ_TARGET(data, size); }
