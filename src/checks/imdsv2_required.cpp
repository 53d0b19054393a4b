// imdsv2-required (CIS 5.6): every instance's metadata service requires session tokens (IMDSv2), or is
// turned off.
#include <fmt/format.h>

#include "checks/baseline_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

// Instances that can run again keep their metadata options; terminated ones are gone.
bool judged(const Instance& i) {
  return i.state != "terminated" && i.state != "shutting-down";
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    report_coverage_gaps(region, {Dataset::kInstances}, sink);
    for (const Instance& instance : region.instances) {
      if (!judged(instance)) continue;
      JsonValue evidence = JsonValue::object();
      evidence.set("instance_id", instance.id);
      evidence.set("state", instance.state);
      if (!instance.metadata_options || instance.metadata_options->http_tokens.empty()) {
        Finding& f = sink.not_assessed(region.name, instance.id, instance.name(),
                                       "describe-instances did not report MetadataOptions.HttpTokens for the instance");
        f.evidence = std::move(evidence);
        continue;
      }
      const InstanceMetadataOptions& m = *instance.metadata_options;
      evidence.set("http_tokens", m.http_tokens);
      evidence.set("http_endpoint", m.http_endpoint);
      evidence.set("http_put_response_hop_limit", m.http_put_response_hop_limit);
      if (m.http_endpoint == "disabled") {
        Finding& f = sink.pass(region.name, instance.id, instance.name(), "the instance metadata service is turned off");
        f.evidence = std::move(evidence);
        continue;
      }
      if (m.http_tokens == "required") {
        Finding& f = sink.pass(region.name, instance.id, instance.name(),
                               "the metadata service requires session tokens (IMDSv2 only)");
        f.evidence = std::move(evidence);
        continue;
      }
      std::string detail = fmt::format(
          "the metadata service answers without a session token (HttpTokens {}): IMDSv1 requests are served",
          m.http_tokens);
      if (instance.public_ip) detail += fmt::format("; the instance has a public IP ({})", instance.public_ip->to_string());
      if (!instance.iam_instance_profile_arn.empty()) {
        detail += fmt::format("; its role's credentials ({}) can be read by one forged request",
                              instance.iam_instance_profile_arn);
      }
      Finding& f = sink.fail(region.name, instance.id, instance.name(), std::move(detail));
      evidence.set("iam_instance_profile_arn", instance.iam_instance_profile_arn);
      f.evidence = std::move(evidence);
      f.remediation_cli = fmt::format(
          "aws ec2 modify-instance-metadata-options --region {} --instance-id {} --http-tokens required "
          "--http-endpoint enabled",
          region.name, instance.id);
    }
  }
}

}  // namespace

Check imdsv2_required_check() {
  return Check{
      CheckMetadata{
          .id = "imdsv2-required",
          .title = "EC2 instance metadata service allows IMDSv1",
          .severity = Severity::kMedium,
          .area = Area::kWebServers,
          .resource_type = "AWS::EC2::Instance",
          .cis_aws_3_0 = "5.6",
          .rationale =
              "IMDSv1 answers any plain HTTP GET from the instance, so a server-side request forgery in a web "
              "application (the application fetches a URL an attacker chooses) returns the instance role's "
              "temporary credentials to the attacker. IMDSv2 requires a PUT for a session token first, which "
              "such forgeries and most open proxies cannot do. Instances whose endpoint is disabled pass; "
              "stopped instances are judged too, because their options apply when they start.",
          .remediation =
              "Require session tokens on the instance (check first that its software uses an SDK or agent "
              "recent enough for IMDSv2; an AMI or launch template can set the default for new instances).",
          .remediation_cli =
              "aws ec2 modify-instance-metadata-options --region {region} --instance-id {instance_id} "
              "--http-tokens required --http-endpoint enabled",
          .links = {"https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html",
                    "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instance-metadata-transition-to-version-2.html"},
      },
      run,
  };
}

}  // namespace fortress
