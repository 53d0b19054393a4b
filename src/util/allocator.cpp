#include "util/allocator.h"

#include <cstdlib>  // defines __GLIBC__ on glibc
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace fortress {

void set_allocator_policy() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 1 << 20);  // fixing it also stops the dynamic adjustment
#endif
}

}  // namespace fortress
