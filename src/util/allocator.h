// The process's allocator policy, set once by a program's main() (the CLI, the benchmarks).
#pragma once

namespace fortress {

// glibc serves a large block from the heap once a block of that size has been freed (its mmap
// threshold rises with each free), and heap pages freed in one thread's arena stay resident while
// other threads allocate elsewhere. A scan allocates and frees many multi-megabyte vectors (file
// buffers, growing finding lists, the exposure's tables), so that policy kept ~130 MB of freed memory
// resident on the 50,000-ENI account (620 -> 488 MB peak RSS with it fixed at 1 MiB, for ~0.3 s of
// extra page faults). Blocks of 1 MiB and more are mapped on their own and returned when freed.
// A no-op on other C libraries. The fortress binary and the benchmarks link jemalloc, which then
// serves every allocation (CMakeLists.txt); this is for a build or a test program that does not.
void set_allocator_policy();

// Gives the memory freed so far back to the system at once (jemalloc keeps freed pages for reuse for
// seconds, glibc at the top of its heaps): for the moment a large structure is gone and the next
// phase allocates others, so that the peak holds one of them, not both.
void release_free_memory();

}  // namespace fortress
