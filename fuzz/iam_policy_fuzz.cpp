// Fuzz target for the IAM policy parser and evaluator: arbitrary bytes as a policy document.
//
// parse_policy_document must never crash or throw, and every error must carry a message. An
// accepted document is evaluated as an identity policy, a permissions boundary and a trust policy
// against a few requests (exact, patterns, "some resource"); the answers must be consistent: a
// Deny decision names its Denies, an allowed one names its grants, the unknown ones name the
// unreadable policy, and the same request asked twice gets the same answer.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "iam/evaluate.h"
#include "iam/policy.h"
#include "iam/trust.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "iam_policy_fuzz: %s\n", what);
  std::abort();
}

void check(const fortress::iam::Answer& a) {
  using fortress::iam::Decision;
  if (a.decision == Decision::kDenied && a.denies.empty()) fail("denied without a Deny");
  if (a.allowed() && a.grants.empty()) fail("allowed without a grant");
  if (a.decision == Decision::kAllowed) {
    bool certain = false;
    for (const auto& g : a.grants) certain = certain || !g.conditional;
    if (!certain) fail("allowed through conditional grants only");
    for (const auto& d : a.denies) {
      if (!d.conditional) fail("allowed despite an unconditional Deny");
    }
  }
  if (a.decision == Decision::kUnknown && a.unknown.empty()) fail("unknown without an unreadable policy");
  if (a.explain().empty()) fail("no explanation");
  (void)a.to_json().dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace fortress::iam;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (DocumentKind kind : {DocumentKind::kIdentity, DocumentKind::kTrust}) {
    fortress::Expected<PolicyDocument> doc = parse_policy_document(text, kind);
    if (!doc) {
      if (doc.error().message.empty()) fail("error without a message");
      continue;
    }
    if (kind == DocumentKind::kTrust) {
      Caller c{"arn:aws:iam::111122223333:user/bob", "111122223333", "AIDAEXAMPLE", "", false};
      const TrustAnswer t = trust_admits(&*doc, c);
      if (t.decision == Decision::kUnknown) fail("trust unknown with a document");
      (void)t.explain();
      (void)trust_admits_service(&*doc, "ec2.amazonaws.com");
      continue;
    }
    AttachedPolicy p;
    p.name = "fuzzed";
    p.document = &*doc;
    AttachedPolicy missing;
    missing.name = "missing";
    missing.problem = "not collected";
    PolicySet alone{{p}, std::nullopt};
    PolicySet bounded{{p}, p};
    bounded.boundary->boundary = true;
    PolicySet unknown{{p, missing}, std::nullopt};
    const PolicyVariables vars{{{"aws:username", "bob"}}};
    for (const Request& r : {Request::exact("s3:GetObject", "arn:aws:s3:::b/k"), Request::every("*", "*"),
                             Request::every("iam:*", "*"), Request::some("ec2:RunInstances", "*"),
                             Request::exact("iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob")}) {
      for (const PolicySet* set : {&alone, &bounded, &unknown}) {
        const Answer a = evaluate(*set, r, vars);
        check(a);
        if (evaluate(*set, r, vars).decision != a.decision) fail("not deterministic");
      }
    }
  }
  return 0;
}
