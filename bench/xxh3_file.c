/* The fingerprint iaf includes in its time, alone: XXH3-128 over the whole file, read from
 * read-only mappings of 16 MiB windows, as iaf's core/digest.cpp reads it. The benchmark prints it
 * beside the bare scan because the scan reads only the projected columns' pages while the
 * fingerprint reads every byte.
 *
 *   xxh3_file FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: xxh3_file FILE\n");
    return 2;
  }
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(argv[1]);
    return 1;
  }
  size_t size = (size_t)st.st_size;
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  const size_t window = (size_t)16 << 20;
  for (size_t at = 0; at < size; at += window) {
    size_t n = size - at < window ? size - at : window;
    void* bytes = mmap(NULL, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)at);
    if (bytes == MAP_FAILED) {
      perror(argv[1]);
      return 1;
    }
    XXH3_128bits_update(state, bytes, n);
    munmap(bytes, n);
  }
  XXH128_hash_t h = XXH3_128bits_digest(state);
  printf("rows=0 first=%016llx%016llx\n", (unsigned long long)h.high64, (unsigned long long)h.low64);
  XXH3_freeState(state);
  return 0;
}
