// Fuzzes the snapshot loader's one-file entry point: any bytes, as a file of any kind, in a region
// folder (the first byte picks one of a few paths, so regional, account-wide and prefix-list-entry
// placements are all reached). Nothing is written to disk.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "load/file_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static constexpr std::string_view kPaths[] = {
      "us-east-1/ec2/snapshot.json",
      "ec2/account-wide.json",
      "eu-west-1/ec2/get-managed-prefix-list-entries/pl-0123abcd.json",
      "us-gov-west-1/ec2/snapshot.json",
  };
  std::string_view path = kPaths[size > 0 ? data[0] % 4 : 0];
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fortress::Account account;
  std::vector<fortress::LoadDiagnostic> diagnostics;
  fortress::load_snapshot_file_for_test(bytes, path, account, diagnostics);
  for (const fortress::LoadDiagnostic& d : diagnostics) (void)d.to_string();
  return 0;
}
