// Fuzzes the credential report's own entry points: the CSV parser (any bytes as the decoded report)
// and the base64 decoder (the same bytes as get-credential-report's Content).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "load/credential_report.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fortress::ParsedCredentialReport report = fortress::parse_credential_report_csv(bytes);
  for (const fortress::CredentialReportProblem& p : report.problems) (void)p.message.size();
  if (std::optional<std::string> decoded = fortress::decode_base64(bytes)) {
    (void)fortress::parse_credential_report_csv(*decoded);
  }
  return 0;
}
