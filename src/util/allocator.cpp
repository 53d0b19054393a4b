#include "util/allocator.h"

#include <cstdlib>  // defines __GLIBC__ on glibc
#ifdef __GLIBC__
#include <malloc.h>
#endif

// jemalloc's control interface, when jemalloc is the process's allocator (the fortress binary and
// the benchmarks link it); null otherwise (weak: the engine library does not depend on it).
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace fortress {

void set_allocator_policy() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 1 << 20);  // fixing it also stops the dynamic adjustment
#endif
}

void release_free_memory() {
  if (mallctl != nullptr) {
    // Every arena's unused dirty pages back to the system now, not after the decay time.
    mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);  // 4096 = MALLCTL_ARENAS_ALL
    return;
  }
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

}  // namespace fortress
