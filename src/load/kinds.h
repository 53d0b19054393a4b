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
#pragma once

#include <span>
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
};

// Every list-shaped kind.
[[nodiscard]] std::span<const SnapshotKind> snapshot_kinds();
// The kind whose list member is `member`, or nullptr.
[[nodiscard]] const SnapshotKind* kind_by_list_member(std::string_view member);

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

}  // namespace fortress::load
