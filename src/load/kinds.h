// The snapshot file kinds the loader recognizes, by content (loader internal).
//
// An AWS CLI output is a JSON object whose one list member names what it holds: describe-vpcs prints
// {"Vpcs": [...]} (plus "NextToken" when a page was cut). Each kind is one line of kKinds: the
// member that identifies it, the dataset it fills, and the parser of one list element. To support a
// new AWS CLI command, write its element parser (in the parse_<service>_<family>.cpp that fits) and
// add its line.
//
// Two kinds are not list-shaped and are recognized in file_parser.cpp: get-caller-identity
// ({"UserId", "Account", "Arn"}) and the FortressCollectionError record.
//
// Beyond EC2, two extensions (still recognized by content only):
//  - A dataset may have several lists in one output (get-account-authorization-details:
//    UserDetailList, GroupDetailList, RoleDetailList, Policies): one SnapshotKind line each, same
//    dataset. A `companion` list ("Policies", "failedAccounts") is read only beside another list of
//    its dataset; alone it identifies nothing (iam list-policies also prints "Policies").
//  - Document kinds (DocumentKind, snapshot_document_kinds()): outputs that are one object rather
//    than a list (get-trail-status, get-credential-report, ...), recognized by a distinguishing set
//    of top-level members and parsed whole: they are small. Their shape problems fail the file.
//  - Fan-out kinds (called once per parent resource, one file per parent) take the parent's ID from
//    the content when it carries it, else from the file name, which the collector makes with
//    collect::file_name_for_id (the percent-encoded ID): fan_out_id().
#pragma once

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "load/json_reader.h"
#include "model/dataset.h"

namespace fortress::load {

// Parses one element of the kind's list into el.file.result(). Returns a fatal error only for
// malformed JSON; shape problems go to el.fail().
using ElementParser = error_code (*)(od::value& element, Element& el);
// Runs once after the whole file was read (for members outside the list, such as PrefixListId).
using FileFinisher = void (*)(FileContext& file, std::string_view top_level_prefix_list_id);

struct SnapshotKind {
  std::string_view list_member;  // "SecurityGroups"
  Dataset dataset;
  std::string_view noun;  // "security group", for messages
  ElementParser parse;
  FileFinisher finish = nullptr;
  bool companion = false;  // read only beside another list of the same dataset (see above)
};

// Every list-shaped kind.
[[nodiscard]] std::span<const SnapshotKind> snapshot_kinds();
// The kind whose list member is `member`, or nullptr.
[[nodiscard]] const SnapshotKind* kind_by_list_member(std::string_view member);

// Parses the whole top-level object of a document kind into el.file.result(); shape problems go to
// el.fail() (the file then fails). Returns a fatal error only for malformed JSON.
using DocumentParser = error_code (*)(od::object& top, Element& el);

struct DocumentKind {
  std::string_view command;  // "get-trail-status", for messages
  // The dataset it fills; nullopt for an output that is recognized but fills none
  // (generate-credential-report).
  std::optional<Dataset> dataset;
  std::array<std::string_view, 2> all_of;  // members that must all be present ("" = unused)
  std::array<std::string_view, 2> any_of;  // when given, at least one must be present
  DocumentParser parse;
  FileFinisher finish = nullptr;
};

[[nodiscard]] std::span<const DocumentKind> snapshot_document_kinds();
// The document kind whose members are all in `keys` (the top-level member names), or nullptr.
[[nodiscard]] const DocumentKind* document_kind_for(std::span<const std::string> keys);
// True when `member` is one a document kind is recognized by (the streamed parse leaves such files
// to the whole-file parse).
[[nodiscard]] bool is_document_member(std::string_view member);

// ---- fan-out kinds ----------------------------------------------------------------------------

struct FanOutKind {
  Dataset dataset;
  std::string_view what;  // "target group ARN", for messages
  bool (*valid)(std::string_view id);
};
// The fan-out description of a dataset, or nullptr when it is not one.
[[nodiscard]] const FanOutKind* fan_out_kind(Dataset dataset);
// The parent ID of a fan-out file of `dataset`: `from_content` when the output carries it, else the
// file name's stem ("<id>.json", "<id>.error.json") percent-decoded, when valid for the kind.
// Returns "" after a warning naming the file when neither gives one.
[[nodiscard]] std::string fan_out_id(FileContext& file, Dataset dataset, std::string_view from_content);
// Percent-decoding of a file name stem (collect::file_name_for_id's inverse); nullopt for a bad
// escape ("%G1", a '%' at the end) or a decoded NUL.
[[nodiscard]] std::optional<std::string> percent_decode(std::string_view text);

// Element parsers, grouped by file.
// parse_account.cpp
error_code parse_region(od::value& element, Element& el);
// The FortressCollectionError object (not list-shaped; called by file_parser.cpp).
error_code parse_collection_error(od::value& record, Element& el, CollectionErrorRecord& out);
// parse_ec2_network.cpp
error_code parse_vpc(od::value& element, Element& el);
error_code parse_subnet(od::value& element, Element& el);
error_code parse_route_table(od::value& element, Element& el);
error_code parse_network_acl(od::value& element, Element& el);
error_code parse_internet_gateway(od::value& element, Element& el);
error_code parse_egress_only_internet_gateway(od::value& element, Element& el);
error_code parse_nat_gateway(od::value& element, Element& el);
error_code parse_vpc_peering_connection(od::value& element, Element& el);
error_code parse_flow_log(od::value& element, Element& el);
// parse_ec2_security_groups.cpp
error_code parse_security_group(od::value& element, Element& el);
error_code parse_security_group_rule(od::value& element, Element& el);
// parse_ec2_compute.cpp
error_code parse_network_interface(od::value& element, Element& el);
error_code parse_reservation(od::value& element, Element& el);
// parse_ec2_prefix_lists.cpp
error_code parse_prefix_list(od::value& element, Element& el);
error_code parse_prefix_list_entry(od::value& element, Element& el);
void finish_prefix_list_entries(FileContext& file, std::string_view top_level_prefix_list_id);

// ---- beyond EC2 ----
// parse_elbv2.cpp
error_code parse_load_balancer(od::value& element, Element& el);
error_code parse_listener(od::value& element, Element& el);
void finish_listeners(FileContext& file, std::string_view);
error_code parse_target_group(od::value& element, Element& el);
error_code parse_target_health(od::value& element, Element& el);
void finish_target_health(FileContext& file, std::string_view);
// parse_iam.cpp
error_code parse_iam_user(od::value& element, Element& el);
error_code parse_iam_group(od::value& element, Element& el);
error_code parse_iam_role(od::value& element, Element& el);
error_code parse_managed_policy(od::value& element, Element& el);
error_code parse_virtual_mfa_device(od::value& element, Element& el);
error_code parse_organization_account(od::value& element, Element& el);
error_code parse_credential_report(od::object& top, Element& el);
error_code parse_generate_credential_report(od::object& top, Element& el);
error_code parse_account_summary(od::object& top, Element& el);
error_code parse_password_policy(od::object& top, Element& el);
// parse_logging.cpp
error_code parse_trail(od::value& element, Element& el);
error_code parse_trail_status(od::object& top, Element& el);
error_code parse_event_selectors(od::object& top, Element& el);
void finish_trail_child(FileContext& file, std::string_view top_level_trail_arn);
error_code parse_configuration_recorder(od::value& element, Element& el);
error_code parse_configuration_recorder_status(od::value& element, Element& el);
// parse_security_services.cpp
error_code parse_detector_id(od::value& element, Element& el);
error_code parse_detector(od::object& top, Element& el);
void finish_detector(FileContext& file, std::string_view);
error_code parse_inspector_account(od::value& element, Element& el);
error_code parse_inspector_failed_account(od::value& element, Element& el);
error_code parse_access_analyzer(od::value& element, Element& el);
// parse_fleet.cpp
error_code parse_ssm_instance(od::value& element, Element& el);
error_code parse_compliance_summary(od::value& element, Element& el);
error_code parse_auto_scaling_instance(od::value& element, Element& el);

}  // namespace fortress::load
