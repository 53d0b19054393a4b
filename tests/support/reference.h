// Where the shared reference data (SigV4 suite, botocore protocol tests, AWS CLI examples) is:
// FORTRESS_REFERENCE_DIR when set, else the first "shared/reference" found beside the source tree or
// one level further up (a checkout at /work/main finds /work/shared, a worktree at /work/wt/NAME
// finds it too). Tests that need it skip with a message naming this path when it is absent.
#pragma once

#include <cstdlib>
#include <filesystem>

namespace fortress::testing {

inline std::filesystem::path reference_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("FORTRESS_REFERENCE_DIR"); env != nullptr && *env != '\0') return env;
  const fs::path source(FORTRESS_SOURCE_DIR);
  for (const fs::path& candidate : {source / ".." / "shared" / "reference", source / ".." / ".." / "shared" / "reference"}) {
    if (fs::is_directory(candidate)) return candidate.lexically_normal();
  }
  return (source / ".." / "shared" / "reference").lexically_normal();
}

}  // namespace fortress::testing
