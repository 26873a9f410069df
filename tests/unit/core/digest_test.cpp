#include <gtest/gtest.h>
#include <xxhash.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "iaf/core/digest.hpp"
#include "iaf/core/error.hpp"

using namespace iaf;

TEST(Digest, Sha256KnownVectors) {
  // FIPS 180-2 test vectors.
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Digest, FileDigestsMatchInMemoryAndXxh3IsStable) {
  auto path = std::filesystem::temp_directory_path() / "iaf_digest_test.bin";
  std::string content(3 << 20, 'x');  // spans several read blocks
  content[12345] = 'y';
  std::ofstream(path, std::ios::binary) << content;
  EXPECT_EQ(sha256_file(path), sha256_hex(content));
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "";
  // XXH3-128 of the empty input (xxHash reference: 99aa06d3014798d86001c324468d497f).
  EXPECT_EQ(xxh3_128_file(path), "99aa06d3014798d86001c324468d497f");
  std::filesystem::remove(path);
  EXPECT_THROW(sha256_file(path), DataError);
}

// The file is hashed from 16 MiB windows of a mapping: the streamed XXH3-128 over several windows must
// be the one-shot XXH3-128 of the same bytes, and a set stop flag ends the read with an error.
TEST(Digest, MappedWindowsHashLikeTheWholeAndStopEndsTheRead) {
  auto path = std::filesystem::temp_directory_path() / "iaf_digest_slices.bin";
  std::string content((40 << 20) + 77, '\0');
  for (size_t i = 0; i < content.size(); ++i) content[i] = static_cast<char>((i * 2654435761u) >> 24);
  std::ofstream(path, std::ios::binary) << content;
  XXH128_canonical_t canonical;
  XXH128_canonicalFromHash(&canonical, XXH3_128bits(content.data(), content.size()));
  std::string hex;
  for (unsigned char b : canonical.digest) hex += "0123456789abcdef"[b >> 4], hex += "0123456789abcdef"[b & 15];
  EXPECT_EQ(xxh3_128_file(path), hex);
  std::atomic<bool> stop{true};
  EXPECT_THROW(xxh3_128_file(path, &stop), DataError);
  std::filesystem::remove(path);
}
