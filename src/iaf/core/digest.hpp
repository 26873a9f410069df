#pragma once
// Fingerprints of inputs (XXH3-128, fast enough for 2 GB of Parquet) and sha256 digests of
// references, crosswalks and packs (OpenSSL libcrypto), as lowercase hex.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace iaf {

std::string sha256_hex(std::string_view bytes);
// `stop`, when given and set, ends the read early with a DataError (a result nobody will read).
std::string sha256_file(const std::filesystem::path& path, const std::atomic<bool>* stop = nullptr);
std::string xxh3_128_file(const std::filesystem::path& path, const std::atomic<bool>* stop = nullptr);
// XXH3-64 of bytes in memory: the kernel's string hash.
uint64_t xxh3_64(std::string_view bytes);

}  // namespace iaf
