// Fuzzes the snapshot loader's one-file entry point: any bytes, as a file of any kind, in a region
// folder (the first byte picks one of a few paths, so regional, account-wide, prefix-list-entry and
// percent-encoded fan-out placements are all reached). Nothing is written to disk.
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
      "us-east-1/elbv2/describe-target-health/arn%3Aaws%3Aelasticloadbalancing%3Aus-east-1%3A1%3Atargetgroup%2Fa%2F1.json",
      "us-east-1/cloudtrail/get-trail-status/arn%3Aaws%3Acloudtrail%3Aus-east-1%3A1%3Atrail%2Ft.json",
      "us-east-1/sns/list-subscriptions-by-topic/arn%3Aaws%3Asns%3Aus-east-1%3A1%3At.error.json",
      "us-east-1/guardduty/get-detector/%ZZ.json",
  };
  std::string_view path = kPaths[size > 0 ? data[0] % 8 : 0];
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fortress::Account account;
  std::vector<fortress::LoadDiagnostic> diagnostics;
  fortress::load_snapshot_file_for_test(bytes, path, account, diagnostics);
  for (const fortress::LoadDiagnostic& d : diagnostics) (void)d.to_string();
  return 0;
}
