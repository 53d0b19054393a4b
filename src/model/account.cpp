#include "model/account.h"

#include <algorithm>

#include "model/service_index.h"
#include "util/parallel.h"

namespace fortress {

Symbol name_tag(const Tags& tags) {
  for (const Tag& t : tags) {
    if (t.key == "Name") return t.value;
  }
  return {};
}

std::string RulePeer::to_string() const {
  switch (kind) {
    case PeerKind::kCidr:
      return cidr.to_string();
    case PeerKind::kSecurityGroup:
      if (!group_owner_id.empty()) return group_id + " (account " + group_owner_id + ")";
      return group_id.str();
    case PeerKind::kPrefixList:
      return prefix_list_id.str();
  }
  return {};
}

bool RouteTable::is_main() const {
  return std::any_of(associations.begin(), associations.end(), [](const auto& a) { return a.main; });
}

bool NetworkInterface::has_public_ipv4() const {
  return std::any_of(private_ips.begin(), private_ips.end(),
                     [](const PrivateIp& p) { return p.public_ip.has_value(); });
}

// ---------------------------------------------------------------------------------------------

struct Region::Index {
  template <typename T>
  using ById = std::unordered_map<std::string_view, const T*, TextHash>;

  ById<Vpc> vpcs;
  ById<Subnet> subnets;
  ById<SecurityGroup> groups;
  ById<NetworkInterface> enis;
  ById<Instance> instances;
  ById<RouteTable> route_tables;
  ById<NetworkAcl> nacls;
  ById<PrefixList> prefix_lists;

  template <typename V>
  using ByText = std::unordered_map<std::string_view, V, TextHash>;
  ByText<std::vector<const NetworkInterface*>> enis_by_group;
  ByText<std::vector<RuleRef>> rules_by_referenced_group;
  ByText<const RouteTable*> route_table_by_subnet;
  ByText<const RouteTable*> main_route_table_by_vpc;
  ByText<const NetworkAcl*> nacl_by_subnet;
  ByText<std::vector<const FlowLog*>> flow_logs_by_resource;
  ByText<std::vector<const SecurityGroup*>> groups_by_vpc;
};

Region::Region() = default;
Region::~Region() = default;
Region::Region(Region&&) noexcept = default;
Region& Region::operator=(Region&&) noexcept = default;

namespace {

template <typename T>
void index_by_id(const std::vector<T>& items, std::unordered_map<std::string_view, const T*, TextHash>& out) {
  out.reserve(items.size());
  for (const T& item : items) out.emplace(item.id, &item);  // first wins on duplicate IDs
}

template <typename Map>
auto find_or_null(const Map& map, std::string_view key) -> typename Map::mapped_type {
  auto it = map.find(key);
  return it == map.end() ? nullptr : it->second;
}

template <typename Map>
auto find_span(const Map& map, std::string_view key)
    -> std::span<const typename Map::mapped_type::value_type> {
  auto it = map.find(key);
  if (it == map.end()) return {};
  return {it->second.data(), it->second.size()};
}

}  // namespace

void Region::build_index() {
  index_ = std::make_unique<Index>();
  Index& ix = *index_;
  index_by_id(vpcs, ix.vpcs);
  index_by_id(subnets, ix.subnets);
  index_by_id(security_groups, ix.groups);
  index_by_id(network_interfaces, ix.enis);
  index_by_id(instances, ix.instances);
  index_by_id(route_tables, ix.route_tables);
  index_by_id(network_acls, ix.nacls);
  index_by_id(prefix_lists, ix.prefix_lists);

  for (const NetworkInterface& eni : network_interfaces) {
    for (const Symbol& g : eni.group_ids) ix.enis_by_group[g].push_back(&eni);
  }
  for (const SecurityGroup& sg : security_groups) {
    ix.groups_by_vpc[sg.vpc_id].push_back(&sg);
    for (const SecurityGroupRule& rule : sg.rules) {
      if (rule.peer.kind == PeerKind::kSecurityGroup) {
        ix.rules_by_referenced_group[rule.peer.group_id].push_back({&sg, &rule});
      }
    }
  }
  for (const RouteTable& rt : route_tables) {
    for (const RouteTableAssociation& a : rt.associations) {
      if (a.state == "disassociated" || a.state == "failed") continue;
      if (a.main) ix.main_route_table_by_vpc.emplace(rt.vpc_id, &rt);
      if (!a.subnet_id.empty()) ix.route_table_by_subnet.emplace(a.subnet_id, &rt);
    }
  }
  for (const NetworkAcl& acl : network_acls) {
    for (const Symbol& s : acl.subnet_ids) ix.nacl_by_subnet.emplace(s, &acl);
  }
  for (const FlowLog& fl : flow_logs) ix.flow_logs_by_resource[fl.resource_id].push_back(&fl);
}

const Vpc* Region::vpc(std::string_view id) const { return find_or_null(index_->vpcs, id); }
const Subnet* Region::subnet(std::string_view id) const { return find_or_null(index_->subnets, id); }
const SecurityGroup* Region::security_group(std::string_view id) const {
  return find_or_null(index_->groups, id);
}
const NetworkInterface* Region::network_interface(std::string_view id) const {
  return find_or_null(index_->enis, id);
}
const Instance* Region::instance(std::string_view id) const { return find_or_null(index_->instances, id); }
const RouteTable* Region::route_table(std::string_view id) const {
  return find_or_null(index_->route_tables, id);
}
const NetworkAcl* Region::network_acl(std::string_view id) const { return find_or_null(index_->nacls, id); }
const PrefixList* Region::prefix_list(std::string_view id) const {
  return find_or_null(index_->prefix_lists, id);
}

std::span<const NetworkInterface* const> Region::enis_in_group(std::string_view group_id) const {
  return find_span(index_->enis_by_group, group_id);
}
std::span<const Region::RuleRef> Region::rules_referencing(std::string_view group_id) const {
  return find_span(index_->rules_by_referenced_group, group_id);
}
std::span<const FlowLog* const> Region::flow_logs_for(std::string_view resource_id) const {
  return find_span(index_->flow_logs_by_resource, resource_id);
}
std::span<const SecurityGroup* const> Region::groups_in_vpc(std::string_view vpc_id) const {
  return find_span(index_->groups_by_vpc, vpc_id);
}

const RouteTable* Region::route_table_for_subnet(std::string_view subnet_id) const {
  if (const RouteTable* rt = find_or_null(index_->route_table_by_subnet, subnet_id)) return rt;
  const Subnet* s = subnet(subnet_id);
  if (s == nullptr) return nullptr;
  return find_or_null(index_->main_route_table_by_vpc, s->vpc_id);
}

const NetworkAcl* Region::network_acl_for_subnet(std::string_view subnet_id) const {
  return find_or_null(index_->nacl_by_subnet, subnet_id);
}

// ---------------------------------------------------------------------------------------------

const Region* Account::region(std::string_view name) const {
  for (const Region& r : regions) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

Region& Account::region_mut(std::string_view name) {
  for (Region& r : regions) {
    if (r.name == name) return r;
  }
  Region& r = regions.emplace_back();
  r.name = std::string(name);
  return r;
}

const Coverage& Account::covered(std::string_view region_name, Dataset d) const {
  static const Coverage kMissing{};
  if (dataset_info(d).account_wide) return global_coverage[size_t(d)];
  const Region* r = region(region_name);
  return r == nullptr ? kMissing : r->covered(d);
}

void Account::finalize(unsigned threads) {
  std::sort(regions.begin(), regions.end(), [](const Region& a, const Region& b) { return a.name < b.name; });
  parallel_for(regions.size(), threads, [&](size_t k) {  // a region's indexes point into it alone
    regions[k].build_index();
    regions[k].build_service_index();
  });
  iam.build_index();
}

}  // namespace fortress
