// vpc-flow-logs-disabled (CIS 3.7): every VPC needs an active flow log of its own that delivers.
#include <fmt/format.h>

#include "checks/network_checks.h"
#include "checks/rule_match.h"

namespace fortress {

namespace {

bool delivery_failed(const FlowLog& log) {
  return log.deliver_logs_status == "FAILED";
}

JsonValue flow_log_evidence(const FlowLog& log) {
  JsonValue e = JsonValue::object();
  e.set("flow_log_id", log.id);
  e.set("status", log.status);
  e.set("deliver_logs_status", log.deliver_logs_status);
  e.set("traffic_type", log.traffic_type);
  e.set("destination_type", log.destination_type);
  e.set("destination", log.destination);
  return e;
}

void run(const CheckContext& ctx, FindingSink& sink) {
  for (const Region& region : ctx.account.regions) {
    // Without every flow log, a VPC whose log was not loaded would look unlogged: only a PASS
    // (a working log seen) is reported for it then.
    // VPCs that did load are still judged when describe-vpcs failed: their flow logs are all known.
    report_coverage_gaps(region, {Dataset::kVpcs, Dataset::kFlowLogs}, sink);
    const bool logs_complete = region.has(Dataset::kFlowLogs);
    for (const Vpc& vpc : region.vpcs) {
      const auto logs = region.flow_logs_for(vpc.id);
      const FlowLog* working = nullptr;
      const FlowLog* failing = nullptr;
      JsonValue listed = JsonValue::array();
      for (const FlowLog* log : logs) {
        listed.push(flow_log_evidence(*log));
        if (!log->active()) continue;
        if (delivery_failed(*log)) {
          if (failing == nullptr) failing = log;
        } else if (working == nullptr ||
                   (working->traffic_type == "REJECT" && log->traffic_type != "REJECT")) {
          working = log;  // prefer a log that records accepted traffic too
        }
      }
      JsonValue evidence = JsonValue::object();
      evidence.set("vpc_id", vpc.id);
      evidence.set("is_default", vpc.is_default);
      evidence.set("flow_logs", std::move(listed));

      if (working != nullptr) {
        std::string detail = fmt::format(
            "flow log {} is active ({} traffic, {})", working->id,
            working->traffic_type.empty() ? "unknown" : working->traffic_type,
            working->destination_type.empty() ? "unknown destination" : working->destination_type);
        if (working->traffic_type == "REJECT") {
          detail +=
              "; it records rejected traffic only, which CIS 3.7 accepts but which shows no accepted "
              "connections";
          evidence.set(
              "note",
              "REJECT-only flow log: counts as enabled per CIS 3.7; accepted traffic is not recorded");
        }
        Finding& f = sink.pass(region.name, vpc.id, vpc.name(), std::move(detail));
        f.evidence = std::move(evidence);
        continue;
      }
      if (!logs_complete) continue;  // the region's NOT_ASSESSED finding covers it

      std::string detail;
      if (failing != nullptr) {
        detail = fmt::format(
            "flow log {} is active but its delivery FAILED (to {} {}): no records are being written",
            failing->id, failing->destination_type, failing->destination);
      } else if (!logs.empty()) {
        detail = fmt::format("no active flow log: {} flow log(s) on the VPC, none ACTIVE", logs.size());
      } else {
        detail = "no flow log on the VPC (logs on its subnets or network interfaces do not count)";
      }
      Finding& f = sink.fail(region.name, vpc.id, vpc.name(), std::move(detail));
      f.evidence = std::move(evidence);
      f.remediation_cli = fmt::format(
          "aws ec2 create-flow-logs --region {} --resource-type VPC --resource-ids {} --traffic-type ALL "
          "--log-destination-type s3 --log-destination arn:aws:s3:::<your-flow-log-bucket>",
          region.name, vpc.id);
    }
  }
}

}  // namespace

Check vpc_flow_logs_disabled_check() {
  return Check{
      CheckMetadata{
          .id = "vpc-flow-logs-disabled",
          .title = "VPC flow logging is not enabled",
          .severity = Severity::kMedium,
          .area = Area::kLifecycle,
          .resource_type = "AWS::EC2::VPC",
          .cis_aws_3_0 = "3.7",
          .rationale =
              "Flow logs are the record of who talked to what: without them an intrusion cannot be scoped, "
              "and unused security-group rules cannot be found and removed (fortress's rule-usage analysis "
              "reads them). Only an ACTIVE log on the VPC itself whose delivery is not FAILED counts; "
              "subnet- or interface-level logs cover only part of the VPC. Filed under lifecycle because "
              "flow "
              "logs are how rules are reviewed and retired over time.",
          .remediation =
              "Create a flow log for the VPC with traffic type ALL to an S3 bucket (or CloudWatch Logs) that "
              "the log-delivery service may write to. A log whose delivery FAILED needs its destination "
              "permissions fixed, or a new log.",
          .remediation_cli =
              "aws ec2 create-flow-logs --region {region} --resource-type VPC --resource-ids {vpc_id} "
              "--traffic-type ALL --log-destination-type s3 --log-destination "
              "arn:aws:s3:::<your-flow-log-bucket>",
          .links = {"https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html",
                    "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-troubleshooting.html"},
      },
      run,
  };
}

}  // namespace fortress
