// fortress_gen_account: writes a synthetic large AWS account as a snapshot directory, in exactly the
// AWS CLI JSON shape (`--output json`, 4-space indent) and the layout of scripts/export-aws-cli.sh:
//
//   OUTDIR/sts/get-caller-identity.json
//   OUTDIR/ec2/describe-regions.json
//   OUTDIR/<region>/ec2/describe-*.json
//   OUTDIR/<region>/ec2/get-managed-prefix-list-entries/<pl-id>.json
//
// The account is deterministic for a seed. Counts given on the command line are met exactly:
// --security-groups is the number of groups (one default group per VPC included), --rules the number of
// normalized rules (ingress + egress, one peer each: the rows of describe-security-group-rules), --enis
// the number of network interfaces (instance, NAT gateway, load balancer, Lambda, endpoint, detached).
//
// Shapes follow what a real large account looks like: traffic concentrated in a few regions, unused
// regions holding only their default VPC, a long-tailed rule count per group, popular groups shared by
// thousands of ENIs next to unused ones. This is a benchmark input, not a test fixture: it does not try
// to hit every corner of the format, only to be realistic in size and mix.
//
// A standalone tool: it prints (it is not library code) and depends only on fmt.
#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Determinism: a splitmix64 stream per region, and IDs from a bijective mix of (kind, counter), so
// IDs are unique across the whole account for any seed.

uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  uint64_t below(uint64_t n) { return n == 0 ? 0 : uint64_t((unsigned __int128)next() * n >> 64); }
  // Uniform in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) { return lo + int64_t(below(uint64_t(hi - lo + 1))); }
  double real() { return double(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return real() < p; }
  template <typename T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }
  template <typename T, size_t N>
  const T& pick(const std::array<T, N>& v) { return v[below(N)]; }

 private:
  uint64_t state_;
};

enum class IdKind : uint64_t {
  kVpc = 1, kSubnet, kSg, kRule, kEni, kInstance, kReservation, kRtb, kRtbAssoc, kAcl, kAclAssoc, kIgw, kEigw,
  kNat, kEip, kEipAssoc, kFlowLog, kPcx, kPl, kAttach, kVpce, kAmi, kCidrAssoc, kVolume, kDopt,
};

class IdFactory {
 public:
  explicit IdFactory(uint64_t seed) : salt_(mix64(seed ^ 0x5eedf00dULL) & 0x00ffffffffffffffULL) {}
  // "sg-0" + 16 hex digits: 17 hex digits in all, like sg-0123456789abcdef0.
  std::string make(std::string_view prefix, IdKind kind) {
    uint64_t n = counters_[size_t(kind)]++;
    uint64_t v = mix64(((uint64_t(kind) << 56) | n) ^ salt_);
    return fmt::format("{}-0{:016x}", prefix, v);
  }

 private:
  uint64_t salt_;
  std::array<uint64_t, 32> counters_{};
};

// ---------------------------------------------------------------------------------------------
// A pretty-printing JSON writer matching `aws --output json` (Python json.dumps, indent=4): ",\n"
// between items, ": " after keys, empty containers as [] and {}, a final newline.

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& obj() { item(); return open('{'); }
  JsonWriter& obj(std::string_view k) { key(k); return open('{'); }
  JsonWriter& arr() { item(); return open('['); }
  JsonWriter& arr(std::string_view k) { key(k); return open('['); }
  JsonWriter& end() {
    Frame f = stack_.back();
    stack_.pop_back();
    if (f.has_items) newline_indent();
    out_ += f.close;
    if (stack_.empty()) out_ += '\n';
    return *this;
  }
  JsonWriter& str(std::string_view k, std::string_view v) { key(k); return quoted(v); }
  JsonWriter& str(std::string_view v) { item(); return quoted(v); }
  JsonWriter& num(std::string_view k, int64_t v) {
    key(k);
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  JsonWriter& boolean(std::string_view k, bool v) { key(k); out_ += v ? "true" : "false"; return *this; }
  // An empty array under a key: "Key": []
  JsonWriter& empty_arr(std::string_view k) { key(k); out_ += "[]"; return *this; }
  JsonWriter& tags(std::string_view k, const std::vector<std::pair<std::string, std::string>>& t) {
    arr(k);
    for (const auto& [tk, tv] : t) obj().str("Key", tk).str("Value", tv).end();
    return end();
  }

 private:
  struct Frame {
    char close;
    bool has_items;
  };
  void newline_indent() {
    out_ += '\n';
    out_.append(stack_.size() * 4, ' ');
  }
  void item() {
    if (stack_.empty()) return;
    if (stack_.back().has_items) out_ += ',';
    stack_.back().has_items = true;
    newline_indent();
  }
  void key(std::string_view k) {
    item();
    out_ += '"';
    out_ += k;
    out_ += "\": ";
  }
  JsonWriter& open(char c) {
    out_ += c;
    stack_.push_back({c == '{' ? '}' : ']', false});
    return *this;
  }
  JsonWriter& quoted(std::string_view v) {
    out_ += '"';
    if (v.find_first_of("\"\\") == std::string_view::npos) {
      out_ += v;
    } else {
      for (char c : v) {
        if (c == '"' || c == '\\') out_ += '\\';
        out_ += c;
      }
    }
    out_ += '"';
    return *this;
  }
  std::string& out_;
  std::vector<Frame> stack_;
};

// ---------------------------------------------------------------------------------------------
// Addresses

std::string ipv4(uint32_t a) {
  return fmt::format("{}.{}.{}.{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}
// Host bits are cleared, as AWS always prints the network address.
std::string cidr4(uint32_t a, int len) {
  uint32_t mask = len == 0 ? 0 : ~uint32_t(0) << (32 - len);
  return fmt::format("{}/{}", ipv4(a & mask), len);
}
uint32_t ip(int a, int b, int c, int d) { return uint32_t(a) << 24 | uint32_t(b) << 16 | uint32_t(c) << 8 | uint32_t(d); }
std::string dashed(uint32_t a) {
  return fmt::format("{}-{}-{}-{}", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

// ---------------------------------------------------------------------------------------------
// Regions: the 17 regions enabled by default (no opt-in), ordered by how much a typical large account
// uses them. `weight` shares out the resources.

struct RegionSpec {
  std::string_view name;
  double weight;
  int azs;
};
constexpr std::array<RegionSpec, 17> kRegions = {{
    {"us-east-1", 30, 6},     {"us-west-2", 16, 4},      {"eu-west-1", 12, 3},      {"us-east-2", 8, 3},
    {"eu-central-1", 7, 3},   {"ap-southeast-1", 5, 3},  {"ap-northeast-1", 5, 3},  {"ap-southeast-2", 3, 3},
    {"eu-west-2", 3, 3},      {"ap-south-1", 2, 3},      {"ca-central-1", 2, 3},    {"sa-east-1", 2, 3},
    {"us-west-1", 1.5, 2},    {"eu-north-1", 1, 3},      {"eu-west-3", 1, 3},       {"ap-northeast-2", 1, 4},
    {"ap-northeast-3", 0.5, 3},
}};

// "us-east-1" -> "use1" (the AvailabilityZoneId prefix).
std::string az_id_prefix(std::string_view region) {
  std::string out;
  size_t a = region.find('-'), b = region.rfind('-');
  out += region.substr(0, a);
  std::string_view dir = region.substr(a + 1, b - a - 1);
  static constexpr std::pair<std::string_view, std::string_view> kDirs[] = {
      {"northeast", "ne"}, {"southeast", "se"}, {"east", "e"}, {"west", "w"},
      {"central", "c"},    {"north", "n"},      {"south", "s"},
  };
  for (const auto& [word, abbr] : kDirs) {
    if (dir == word) {
      out += abbr;
      break;
    }
  }
  out += region.substr(b + 1);
  return out;
}

std::string private_dns(std::string_view region, uint32_t addr) {
  if (region == "us-east-1") return fmt::format("ip-{}.ec2.internal", dashed(addr));
  return fmt::format("ip-{}.{}.compute.internal", dashed(addr), region);
}
std::string public_dns(std::string_view region, uint32_t addr) {
  if (region == "us-east-1") return fmt::format("ec2-{}.compute-1.amazonaws.com", dashed(addr));
  return fmt::format("ec2-{}.{}.compute.amazonaws.com", dashed(addr), region);
}

// A timestamp between 2019 and 2025 as the CLI prints it ("2023-04-05T06:07:08+00:00").
std::string timestamp(Rng& rng, bool millis_z = false) {
  int y = int(rng.range(2019, 2025)), mo = int(rng.range(1, 12)), d = int(rng.range(1, 28));
  int h = int(rng.range(0, 23)), mi = int(rng.range(0, 59)), s = int(rng.range(0, 59));
  if (millis_z) return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z", y, mo, d, h, mi, s);
  return fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00", y, mo, d, h, mi, s);
}

using Tags = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------------------------
// The generated model (only what the files need).

enum class Peer : uint8_t { kCidr4, kCidr6, kGroup, kPrefixList };

struct Rule {
  bool egress = false;
  int16_t protocol = -1;  // -1, 6, 17, 1, 58, 50
  int32_t from = -1, to = -1;
  Peer kind = Peer::kCidr4;
  std::string peer;        // CIDR, group ID or prefix-list ID
  std::string peer_owner;  // groups: the referenced group's account
  std::string description;
  std::string id;
};

struct SecurityGroup {
  std::string id, name, description;
  int vpc = 0;
  int target_rules = 0;
  bool is_default = false;
  Tags tags;
  std::vector<Rule> rules;
};

struct Subnet {
  std::string id, name;
  int vpc = 0, az = 0;
  uint32_t net = 0;
  int len = 20;
  bool is_public = false;
  std::string ipv6;  // "2600:...::/64" or ""
  uint32_t ipv6_hi = 0;
  uint32_t next_host = 4;  // AWS reserves the first four addresses
  std::string rtb;         // explicitly associated route table ("" = main)
  std::string acl;
  uint32_t take_ip() {
    uint32_t size = 1u << (32 - len);
    uint32_t host = next_host++;
    if (next_host >= size - 1) next_host = 4;  // wraps in very dense runs; addresses may then repeat
    return net + host;
  }
};

struct PrefixList {
  std::string id, name, family, owner;
  int max_entries = 0;
  bool aws_managed = false;
  std::vector<std::pair<std::string, std::string>> entries;  // cidr, description
};

struct Vpc {
  std::string id, name;
  uint32_t net = 0;
  int len = 16;
  uint32_t secondary = 0;  // 100.64.0.0/16 for some (EKS pods), 0 = none
  bool is_default = false;
  std::string ipv6;  // "/56" or ""
  uint32_t ipv6_hi = 0;
  std::vector<int> subnets;
  std::vector<int> groups;
  std::string igw, eigw, main_rtb, default_acl, vpce_s3;
  std::vector<std::string> nat_by_az;
  std::vector<std::pair<std::string, std::string>> peer_routes;  // pcx id, remote CIDR
  double weight = 1;
};

enum class EniType : uint8_t { kInstance, kElb, kLambda, kEndpoint, kDetached, kNat };

struct Eni {
  std::string id, mac, description, attachment_id, instance_id, attach_time;
  EniType type = EniType::kInstance;
  int subnet = 0;
  int device_index = 0;
  std::vector<int> groups;  // region-wide group indexes
  std::vector<uint32_t> private_ips;  // primary first
  uint32_t public_ip = 0;             // 0 = none
  bool elastic = false;
  std::string eip_assoc;
  std::vector<std::string> ipv6;
  Tags tags;
};

struct Instance {
  std::string id, type, image, key_name, launch_time, state, profile;
  int subnet = 0;
  std::vector<int> enis;
  Tags tags;
  std::string imds_tokens;
  int hop_limit = 1;
  bool windows = false;
};

struct NatGateway {
  std::string id, create_time, alloc, assoc;
  int subnet = 0;
  int eni = 0;
};

struct PeeringConnection {
  std::string id, status, status_message;
  std::string requester_vpc, requester_cidr, requester_region, requester_owner;
  std::string accepter_vpc, accepter_cidr, accepter_region, accepter_owner;
};

struct NetworkAclEntry {
  int number;
  bool egress;
  std::string protocol;  // "-1", "6", "17", "1"
  bool allow;
  std::string cidr;      // v4 or v6
  int from = -1, to = -1;
};

struct NetworkAcl {
  std::string id;
  int vpc = 0;
  bool is_default = false;
  std::vector<NetworkAclEntry> entries;
  std::vector<int> subnets;
  Tags tags;
};

struct RouteTable {
  std::string id;
  int vpc = 0;
  bool main = false;
  std::vector<int> subnets;
  std::string main_assoc;
  std::vector<std::string> assoc_ids;
  struct Route {
    std::string dest, dest6, dest_pl;
    std::string target_key, target;  // "GatewayId" / "NatGatewayId" / ...
    std::string origin, state;
  };
  std::vector<Route> routes;
  Tags tags;
};

struct FlowLog {
  std::string id, resource, traffic, deliver_status, dest_type, dest, log_group, created;
  int aggregation = 600;
};

struct Region {
  std::string name;
  int index = 0;
  double weight = 0;
  int azs = 3;
  int sg_budget = 0, eni_budget = 0;
  int64_t rule_budget = 0;
  std::vector<Vpc> vpcs;
  std::vector<Subnet> subnets;
  std::vector<SecurityGroup> groups;
  std::vector<PrefixList> prefix_lists;
  std::vector<Eni> enis;
  std::vector<Instance> instances;
  std::vector<NatGateway> nats;
  std::vector<RouteTable> route_tables;
  std::vector<NetworkAcl> acls;
  std::vector<FlowLog> flow_logs;
  std::vector<PeeringConnection> peerings;
};

// ---------------------------------------------------------------------------------------------
// Options

struct Options {
  fs::path out;
  int regions = 17;
  int64_t security_groups = 20000;
  int64_t rules = 200000;
  int64_t enis = 50000;
  uint64_t seed = 1;
};

void usage() {
  fmt::print(stderr,
             "usage: fortress_gen_account OUTDIR [--regions 17] [--security-groups 20000] [--rules 200000]\n"
             "                            [--enis 50000] [--seed 1]\n"
             "Writes a synthetic AWS account as a snapshot directory (AWS CLI JSON), deterministic per seed.\n");
}

std::optional<Options> parse_args(int argc, char** argv) {
  Options o;
  bool have_out = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](int64_t& dst) {
      if (i + 1 >= argc) return false;
      std::string_view v = argv[++i];
      auto r = std::from_chars(v.data(), v.data() + v.size(), dst);
      return r.ec == std::errc() && r.ptr == v.data() + v.size() && dst >= 0;
    };
    int64_t n = 0;
    if (a == "-h" || a == "--help") {
      usage();
      std::exit(0);
    } else if (a == "--regions") {
      if (!value(n) || n < 1 || n > 17) return std::nullopt;
      o.regions = int(n);
    } else if (a == "--security-groups") {
      if (!value(o.security_groups)) return std::nullopt;
    } else if (a == "--rules") {
      if (!value(o.rules)) return std::nullopt;
    } else if (a == "--enis") {
      if (!value(o.enis)) return std::nullopt;
    } else if (a == "--seed") {
      if (!value(n)) return std::nullopt;
      o.seed = uint64_t(n);
    } else if (!a.empty() && a[0] != '-' && !have_out) {
      o.out = a;
      have_out = true;
    } else {
      return std::nullopt;
    }
  }
  if (!have_out) return std::nullopt;
  return o;
}

// Splits `total` over `weights` (largest remainder), every share at least `floor_each`.
std::vector<int64_t> apportion(int64_t total, const std::vector<double>& weights, int64_t floor_each = 0) {
  std::vector<int64_t> out(weights.size(), floor_each);
  int64_t rest = total - floor_each * int64_t(weights.size());
  if (rest <= 0) return out;
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<std::pair<double, size_t>> rema;
  int64_t given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    double exact = double(rest) * weights[i] / sum;
    auto whole = int64_t(exact);
    out[i] += whole;
    given += whole;
    rema.push_back({exact - double(whole), i});
  }
  std::sort(rema.begin(), rema.end(), [](auto& a, auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); });
  for (size_t k = 0; given < rest; ++k, ++given) out[rema[k % rema.size()].second]++;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The generator

constexpr std::array<std::string_view, 8> kApps = {"payments", "orders", "search", "auth", "billing",
                                                   "catalog", "analytics", "gateway"};
constexpr std::array<std::string_view, 8> kTiers = {"web", "api", "worker", "db", "cache", "queue", "batch", "admin"};
constexpr std::array<std::string_view, 4> kEnvs = {"prod", "staging", "dev", "qa"};
constexpr std::array<std::string_view, 6> kTeams = {"platform", "payments", "data", "security", "growth", "core"};

struct PortWeight {
  int port;
  int weight;
};
// Single tcp ports as seen in real groups, the common ones heavier.
constexpr std::array<PortWeight, 26> kTcpPorts = {{
    {443, 30}, {80, 18}, {22, 16}, {8080, 8}, {3306, 6}, {5432, 7}, {6379, 5}, {3389, 4}, {8443, 4},
    {9200, 2}, {27017, 2}, {11211, 1}, {2049, 2}, {445, 1}, {53, 2}, {25, 1}, {1433, 2}, {5439, 1},
    {9092, 2}, {2181, 1}, {5601, 1}, {8000, 2}, {8888, 1}, {9000, 2}, {10250, 1}, {5000, 2},
}};
constexpr std::array<std::pair<int, int>, 7> kTcpRanges = {{
    {1024, 65535}, {8000, 8100}, {30000, 32767}, {0, 65535}, {9000, 9999}, {3000, 3010}, {49152, 65535},
}};
constexpr std::array<std::pair<int, int>, 8> kUdp = {{
    {53, 53}, {123, 123}, {161, 161}, {500, 500}, {4500, 4500}, {1194, 1194}, {51820, 51820}, {10000, 20000},
}};
constexpr std::array<std::string_view, 10> kRuleDescriptions = {
    "HTTPS from load balancer", "SSH from bastion", "office", "VPN users", "monitoring",
    "health checks", "app to database", "legacy - to be removed", "partner integration", "CI runners",
};
// Realistic public prefixes (cloud, ISP and office ranges) from which allow-listed /32s are drawn.
constexpr std::array<uint32_t, 8> kPublicBases = {
    0x34000000,  // 52.0.0.0
    0x36000000,  // 54.0.0.0
    0x22000000,  // 34.0.0.0
    0x51000000,  // 81.0.0.0
    0x5D000000,  // 93.0.0.0
    0xC6330000,  // 198.51.0.0 (outside the /24 documentation block)
    0x4A7D0000,  // 74.125.0.0
    0x0D000000,  // 13.0.0.0
};

int weighted_port(Rng& rng) {
  static const int total = [] {
    int t = 0;
    for (auto pw : kTcpPorts) t += pw.weight;
    return t;
  }();
  int r = int(rng.below(uint64_t(total)));
  for (auto pw : kTcpPorts) {
    if ((r -= pw.weight) < 0) return pw.port;
  }
  return 443;
}

class Generator {
 public:
  explicit Generator(const Options& o) : opt_(o), ids_(o.seed) {
    account_ = fmt::format("{:012}", 100000000000ULL + mix64(o.seed) % 900000000000ULL);
    other_account_ = fmt::format("{:012}", 100000000000ULL + mix64(o.seed + 7) % 900000000000ULL);
  }

  int run();

 private:
  void plan_regions();
  void build_network(Region& r);
  void build_prefix_lists(Region& r);
  void build_groups(Region& r);
  void build_rules(Region& r, SecurityGroup& g, Rng& rng, std::unordered_set<uint64_t>& seen);
  bool ingress_rule(Region& r, const SecurityGroup& g, Rng& rng, bool allow_list, Rule& out);
  void build_compute(Region& r);
  void build_peerings();
  void build_routes_and_acls(Region& r);

  void write_account();
  void write_region(const Region& r);
  void write_vpcs(const Region& r);
  void write_subnets(const Region& r);
  void write_security_groups(const Region& r);
  void write_security_group_rules(const Region& r);
  void write_network_interfaces(const Region& r);
  void write_instances(const Region& r);
  void write_route_tables(const Region& r);
  void write_network_acls(const Region& r);
  void write_internet_gateways(const Region& r);
  void write_nat_gateways(const Region& r);
  void write_flow_logs(const Region& r);
  void write_peerings(const Region& r);
  void write_prefix_lists(const Region& r);
  void write_eni_body(JsonWriter& w, const Region& r, const Eni& e, bool in_instance);
  void write_group_pairs(JsonWriter& w, const Region& r, const std::vector<int>& groups);

  void flush(const fs::path& file);

  const Options& opt_;
  IdFactory ids_;
  std::string account_, other_account_;
  std::vector<Region> regions_;
  std::string buf_;
  uint64_t bytes_written_ = 0;
  uint64_t files_written_ = 0;
  int vpc_counter_ = 0;
};

void Generator::plan_regions() {
  std::vector<double> weights;
  for (int i = 0; i < opt_.regions; ++i) weights.push_back(kRegions[size_t(i)].weight);
  // Every region holds at least its default VPC's default group.
  auto sgs = apportion(opt_.security_groups, weights, 1);
  auto enis = apportion(opt_.enis, weights, 0);
  for (int i = 0; i < opt_.regions; ++i) {
    Region r;
    r.name = std::string(kRegions[size_t(i)].name);
    r.index = i;
    r.weight = weights[size_t(i)];
    r.azs = kRegions[size_t(i)].azs;
    r.sg_budget = int(sgs[size_t(i)]);
    r.eni_budget = int(enis[size_t(i)]);
    regions_.push_back(std::move(r));
  }
}

void Generator::build_network(Region& r) {
  Rng rng(mix64(opt_.seed * 1000 + uint64_t(r.index) + 1));
  // A custom VPC per ~400 groups; lightly used regions keep only their default VPC.
  int custom = r.sg_budget >= 150 ? std::clamp(r.sg_budget / 400, 1, 40) : 0;
  auto add_subnet = [&](int vpc_index, int az, uint32_t net, int len, bool pub, std::string name) {
    Subnet s;
    s.id = ids_.make("subnet", IdKind::kSubnet);
    s.vpc = vpc_index;
    s.az = az;
    s.net = net;
    s.len = len;
    s.is_public = pub;
    s.name = std::move(name);
    Vpc& v = r.vpcs[size_t(vpc_index)];
    if (!v.ipv6.empty()) {
      s.ipv6_hi = v.ipv6_hi | uint32_t(v.subnets.size());
      s.ipv6 = fmt::format("2600:1f{:02x}:{:x}:{:x}::/64", 0x10 + r.index, (v.ipv6_hi >> 16) & 0xffff,
                           s.ipv6_hi & 0xffff);
    }
    v.subnets.push_back(int(r.subnets.size()));
    r.subnets.push_back(std::move(s));
  };

  // The default VPC: 172.31.0.0/16, one public /20 per AZ.
  {
    Vpc v;
    v.id = ids_.make("vpc", IdKind::kVpc);
    v.net = ip(172, 31, 0, 0);
    v.is_default = true;
    v.weight = 0.6;
    r.vpcs.push_back(std::move(v));
    for (int az = 0; az < r.azs; ++az) add_subnet(0, az, ip(172, 31, 16 * az, 0), 20, true, "");
  }
  for (int k = 0; k < custom; ++k) {
    Vpc v;
    v.id = ids_.make("vpc", IdKind::kVpc);
    int n = vpc_counter_++;
    v.net = ip(10, n % 256, 0, 0);
    v.name = fmt::format("{}-{}", kApps[size_t(n) % kApps.size()], kEnvs[size_t(n / 3) % kEnvs.size()]);
    if (k == 0) v.name = "shared-services";
    if (rng.chance(0.1)) v.secondary = ip(100, 64, 0, 0);
    if (rng.chance(0.3)) {
      v.ipv6_hi = uint32_t((rng.below(0xffff) << 16) | ((rng.below(0xff)) << 8));
      v.ipv6 = fmt::format("2600:1f{:02x}:{:x}:{:x}::/56", 0x10 + r.index, (v.ipv6_hi >> 16) & 0xffff,
                           v.ipv6_hi & 0xffff);
    }
    v.weight = 1.0 + rng.real() * 2.0;
    int vi = int(r.vpcs.size());
    r.vpcs.push_back(std::move(v));
    int azs = std::min(r.azs, 3);
    bool data_tier = rng.chance(0.5);
    int slot = 0;
    for (int az = 0; az < azs; ++az) {
      char letter = char('a' + az);
      add_subnet(vi, az, r.vpcs[size_t(vi)].net | uint32_t(16 * slot++) << 8, 20, true,
                 fmt::format("{}-public-{}", r.vpcs[size_t(vi)].name, letter));
      add_subnet(vi, az, r.vpcs[size_t(vi)].net | uint32_t(16 * slot++) << 8, 20, false,
                 fmt::format("{}-private-{}", r.vpcs[size_t(vi)].name, letter));
      if (data_tier) {
        add_subnet(vi, az, r.vpcs[size_t(vi)].net | uint32_t(16 * slot++) << 8, 20, false,
                   fmt::format("{}-data-{}", r.vpcs[size_t(vi)].name, letter));
      }
    }
  }
  // Gateways.
  for (Vpc& v : r.vpcs) {
    v.igw = ids_.make("igw", IdKind::kIgw);
    if (!v.ipv6.empty()) v.eigw = ids_.make("eigw", IdKind::kEigw);
    v.main_rtb = ids_.make("rtb", IdKind::kRtb);
    v.default_acl = ids_.make("acl", IdKind::kAcl);
    if (!v.is_default && rng.chance(0.7)) v.vpce_s3 = ids_.make("vpce", IdKind::kVpce);
  }
}

void Generator::build_prefix_lists(Region& r) {
  Rng rng(mix64(opt_.seed * 2000 + uint64_t(r.index) + 1));
  // AWS-managed lists keep their real short IDs (pl- + 8 hex digits).
  auto aws_list = [&](std::string name, std::vector<std::string> cidrs) {
    PrefixList p;
    p.id = fmt::format("pl-{:08x}", uint32_t(mix64(opt_.seed ^ std::hash<std::string>{}(r.name + name))));
    p.name = std::move(name);
    p.family = "IPv4";
    p.owner = "AWS";
    p.aws_managed = true;
    for (auto& c : cidrs) p.entries.push_back({std::move(c), ""});
    r.prefix_lists.push_back(std::move(p));
  };
  aws_list(fmt::format("com.amazonaws.{}.s3", r.name),
           {"3.5.0.0/19", "52.216.0.0/15", "54.231.0.0/16", "18.34.0.0/19", "16.182.0.0/16", "52.92.16.0/20"});
  aws_list(fmt::format("com.amazonaws.{}.dynamodb", r.name), {"3.218.180.0/22", "52.94.0.0/22", "52.119.224.0/20"});
  if (r.vpcs.size() > 1) {
    std::vector<std::string> cf;
    for (int i = 0; i < 45; ++i) cf.push_back(cidr4(ip(13, 32 + i, 0, 0), 15 + int(rng.below(8))));
    aws_list("com.amazonaws.global.cloudfront.origin-facing", std::move(cf));
  }
  int customer = r.vpcs.size() > 1 ? int(rng.range(2, 5)) : 0;
  static constexpr std::array<std::string_view, 5> kNames = {"corp-offices", "vpn-egress", "partner-acme",
                                                             "monitoring-saas", "ci-runners"};
  for (int i = 0; i < customer; ++i) {
    PrefixList p;
    p.id = ids_.make("pl", IdKind::kPl);
    p.name = std::string(kNames[size_t(i)]);
    p.family = "IPv4";
    p.owner = account_;
    int n = int(rng.range(2, 12));
    p.max_entries = std::max(10, (n + 9) / 10 * 10);
    for (int e = 0; e < n; ++e) {
      uint32_t base = kPublicBases[rng.below(kPublicBases.size())];
      p.entries.push_back({cidr4(base | uint32_t(rng.below(1u << 16)), 32), fmt::format("site {}", e + 1)});
    }
    r.prefix_lists.push_back(std::move(p));
  }
}

void Generator::build_groups(Region& r) {
  Rng rng(mix64(opt_.seed * 3000 + uint64_t(r.index) + 1));
  // One default group per VPC, the rest shared out by VPC weight.
  for (size_t vi = 0; vi < r.vpcs.size(); ++vi) {
    SecurityGroup g;
    g.id = ids_.make("sg", IdKind::kSg);
    g.name = "default";
    g.description = "default VPC security group";
    g.vpc = int(vi);
    g.is_default = true;
    r.vpcs[vi].groups.push_back(int(r.groups.size()));
    r.groups.push_back(std::move(g));
  }
  int rest = std::max(0, r.sg_budget - int(r.vpcs.size()));
  std::vector<double> w;
  for (const Vpc& v : r.vpcs) w.push_back(v.weight);
  auto per_vpc = apportion(rest, w);
  int wizard = 1;
  for (size_t vi = 0; vi < r.vpcs.size(); ++vi) {
    const Vpc& v = r.vpcs[vi];
    for (int64_t k = 0; k < per_vpc[vi]; ++k) {
      SecurityGroup g;
      g.id = ids_.make("sg", IdKind::kSg);
      g.vpc = int(vi);
      if (v.is_default || rng.chance(0.05)) {
        g.name = fmt::format("launch-wizard-{}", wizard++);
        g.description = fmt::format("{} created {}", g.name, timestamp(rng, true));
      } else if (rng.chance(0.08)) {
        g.name = fmt::format("eks-cluster-sg-{}-{}-{}", v.name, k, rng.range(100000000, 999999999));
        g.description = "EKS created security group applied to ENI that is attached to EKS Control Plane "
                        "master nodes, as well as any managed workloads.";
      } else if (rng.chance(0.06)) {
        g.name = fmt::format("k8s-elb-a{:031x}", rng.next() & 0x7fffffffffffffffULL);
        g.description = "Security group for Kubernetes ELB (ingress-nginx/ingress-nginx-controller)";
      } else {
        auto app = rng.pick(kApps);
        auto tier = rng.pick(kTiers);
        auto env = rng.pick(kEnvs);
        g.name = fmt::format("{}-{}-{}-{}", app, tier, env, k);
        g.description = fmt::format("{} {} ({})", app, tier, env);
        g.tags.push_back({"Name", fmt::format("{}-{}-{}", app, tier, env)});
        g.tags.push_back({"team", std::string(rng.pick(kTeams))});
        if (rng.chance(0.5)) g.tags.push_back({"env", std::string(env)});
      }
      r.vpcs[vi].groups.push_back(int(r.groups.size()));
      r.groups.push_back(std::move(g));
    }
  }
}

// A key for the uniqueness of a rule within its group (AWS rejects duplicates).
uint64_t rule_key(const Rule& x) {
  uint64_t h = mix64(uint64_t(x.egress) << 60 ^ uint64_t(uint16_t(x.protocol)) << 40 ^ uint64_t(uint32_t(x.from)) << 20 ^
                     uint64_t(uint32_t(x.to)));
  return mix64(h ^ std::hash<std::string>{}(x.peer));
}

bool Generator::ingress_rule(Region& r, const SecurityGroup& g, Rng& rng, bool allow_list, Rule& x) {
  const Vpc& v = r.vpcs[size_t(g.vpc)];
  x = Rule{};
  x.egress = false;
  // Traffic.
  double t = rng.real();
  if (allow_list) {
    x.protocol = 6;
    x.from = x.to = rng.chance(0.7) ? 443 : 22;
  } else if (t < 0.70) {
    x.protocol = 6;
    x.from = x.to = weighted_port(rng);
  } else if (t < 0.79) {
    auto [a, b] = rng.pick(kTcpRanges);
    x.protocol = 6;
    x.from = a;
    x.to = b;
  } else if (t < 0.86) {
    auto [a, b] = rng.pick(kUdp);
    x.protocol = 17;
    x.from = a;
    x.to = b;
  } else if (t < 0.95) {
    x.protocol = -1;
  } else if (t < 0.995) {
    x.protocol = 1;
    x.from = rng.chance(0.5) ? 8 : -1;  // ICMP type (echo request or any)
    x.to = -1;
  } else {
    x.protocol = 50;  // ESP
  }
  // Peer.
  double p = rng.real();
  if (allow_list) p = rng.chance(0.85) ? 0.40 : p;  // public /32s, mostly
  if (p < 0.34) {
    x.kind = Peer::kCidr4;
    double q = rng.real();
    if (q < 0.35) x.peer = cidr4(v.net, v.len);
    else if (q < 0.55) x.peer = "10.0.0.0/8";
    else if (q < 0.65) x.peer = "172.16.0.0/12";
    else if (q < 0.70) x.peer = "192.168.0.0/16";
    else x.peer = cidr4(ip(10, int(rng.below(256)), int(rng.below(256)), 0), rng.chance(0.5) ? 24 : 32);
  } else if (p < 0.50) {
    x.kind = Peer::kCidr4;
    uint32_t base = kPublicBases[rng.below(kPublicBases.size())];
    bool host = rng.chance(0.7);
    uint32_t a = base | uint32_t(rng.below(1u << 16));
    x.peer = host ? cidr4(a, 32) : cidr4(a & 0xffffff00u, 24);
  } else if (p < 0.60) {
    x.kind = Peer::kCidr4;
    x.peer = "0.0.0.0/0";
    // Mostly web ports, sometimes not (what the checks are for).
    if (x.protocol == 6 && x.from == x.to && rng.chance(0.6)) x.from = x.to = rng.chance(0.6) ? 443 : 80;
  } else if (p < 0.64) {
    x.kind = Peer::kCidr6;
    x.peer = "::/0";
    if (x.protocol == 1) x.protocol = 58;
    if (x.protocol == 6 && x.from == x.to && rng.chance(0.6)) x.from = x.to = 443;
  } else if (p < 0.66) {
    x.kind = Peer::kCidr6;
    x.peer = fmt::format("2600:1f{:02x}:{:x}::/48", 0x10 + r.index, rng.below(0xffff));
    if (x.protocol == 1) x.protocol = 58;
  } else if (p < 0.74) {
    x.kind = Peer::kGroup;
    x.peer = g.id;
    x.peer_owner = account_;
  } else if (p < 0.94) {
    x.kind = Peer::kGroup;
    x.peer = r.groups[size_t(rng.pick(v.groups))].id;
    x.peer_owner = account_;
  } else if (p < 0.95) {
    // A group of another account (a shared VPC).
    x.kind = Peer::kGroup;
    x.peer = fmt::format("sg-0{:016x}", mix64(rng.next()));
    x.peer_owner = other_account_;
  } else {
    std::vector<const PrefixList*> customer;
    for (const PrefixList& pl : r.prefix_lists) {
      if (!pl.aws_managed) customer.push_back(&pl);
    }
    if (customer.empty()) return false;
    x.kind = Peer::kPrefixList;
    x.peer = customer[rng.below(customer.size())]->id;
  }
  if (x.kind == Peer::kCidr6 && x.protocol == 1) x.protocol = 58;
  if (rng.chance(0.4)) x.description = std::string(rng.pick(kRuleDescriptions));
  return true;
}

void Generator::build_rules(Region& r, SecurityGroup& g, Rng& rng, std::unordered_set<uint64_t>& seen) {
  seen.clear();
  const Vpc& v = r.vpcs[size_t(g.vpc)];
  int n = g.target_rules;
  auto add = [&](Rule x) {
    if (int(g.rules.size()) >= n) return true;
    if (!seen.insert(rule_key(x)).second) return false;
    x.id = ids_.make("sgr", IdKind::kRule);
    g.rules.push_back(std::move(x));
    return true;
  };
  auto all_out = [&](std::string cidr, Peer kind) {
    Rule x;
    x.egress = true;
    x.protocol = -1;
    x.kind = kind;
    x.peer = std::move(cidr);
    return x;
  };
  if (g.is_default) {
    // What AWS creates: all traffic from the group itself, all traffic out.
    Rule self;
    self.protocol = -1;
    self.kind = Peer::kGroup;
    self.peer = g.id;
    self.peer_owner = account_;
    add(self);
    add(all_out("0.0.0.0/0", Peer::kCidr4));
    if (!v.ipv6.empty()) add(all_out("::/0", Peer::kCidr6));
  } else {
    // Egress: usually the default allow-all, sometimes also IPv6, sometimes locked down.
    double e = rng.real();
    if (n >= 1 && e < 0.85) {
      add(all_out("0.0.0.0/0", Peer::kCidr4));
    } else if (n >= 2 && e < 0.93) {
      add(all_out("0.0.0.0/0", Peer::kCidr4));
      add(all_out("::/0", Peer::kCidr6));
    } else if (n >= 1 && e < 0.98) {
      Rule x;
      x.egress = true;
      x.protocol = 6;
      x.from = x.to = 443;
      x.peer = "0.0.0.0/0";
      add(x);
      if (n >= 3) {
        x.from = x.to = 5432;
        x.kind = Peer::kGroup;
        x.peer = r.groups[size_t(rng.pick(v.groups))].id;
        x.peer_owner = account_;
        add(x);
        x.from = x.to = 443;
        x.kind = Peer::kPrefixList;
        x.peer = r.prefix_lists[0].id;  // the region's S3 list
        x.peer_owner.clear();
        add(x);
      }
    }  // else: no egress at all (e.g. an isolated group)
  }
  // Ingress up to the target; a big group is an allow-list of addresses.
  bool allow_list = n > 40 && rng.chance(0.7);
  int misses = 0;
  uint32_t fallback = 0;
  while (int(g.rules.size()) < n) {
    Rule x;
    bool ok = ingress_rule(r, g, rng, allow_list && rng.chance(0.8), x) && add(x);
    if (ok) continue;
    if (++misses > 16) {
      // Guaranteed fresh: a private /32 from a counter.
      x = Rule{};
      x.protocol = 6;
      x.from = x.to = 8443;
      x.peer = cidr4(ip(10, 254, 0, 0) + (fallback++), 32);
      add(x);
      misses = 0;
    }
  }
}

void Generator::build_compute(Region& r) {
  Rng rng(mix64(opt_.seed * 4000 + uint64_t(r.index) + 1));
  // NAT gateways: one per AZ in custom VPCs (their ENIs count towards the ENI budget).
  for (size_t vi = 0; vi < r.vpcs.size(); ++vi) {
    Vpc& v = r.vpcs[vi];
    if (v.is_default) continue;
    int azs = std::min(r.azs, 3);
    for (int az = 0; az < azs; ++az) {
      int sub = -1;
      for (int s : v.subnets) {
        if (r.subnets[size_t(s)].az == az && r.subnets[size_t(s)].is_public) sub = s;
      }
      if (sub < 0 || int(r.enis.size()) >= r.eni_budget) {
        v.nat_by_az.push_back("");
        continue;
      }
      NatGateway n;
      n.id = ids_.make("nat", IdKind::kNat);
      n.subnet = sub;
      n.create_time = timestamp(rng, true);
      n.alloc = ids_.make("eipalloc", IdKind::kEip);
      n.assoc = ids_.make("eipassoc", IdKind::kEipAssoc);
      Eni e;
      e.id = ids_.make("eni", IdKind::kEni);
      e.type = EniType::kNat;
      e.subnet = sub;
      e.private_ips.push_back(r.subnets[size_t(sub)].take_ip());
      e.public_ip = ip(3, 0, 0, 0) + (uint32_t(r.index) << 18) + uint32_t(r.enis.size());
      e.elastic = true;
      e.eip_assoc = n.assoc;
      e.description = fmt::format("Interface for NAT Gateway {}", n.id);
      e.attachment_id = ids_.make("ela-attach", IdKind::kAttach);
      n.eni = int(r.enis.size());
      r.enis.push_back(std::move(e));
      v.nat_by_az.push_back(n.id);
      r.nats.push_back(std::move(n));
    }
  }
  if (r.eni_budget <= int(r.enis.size())) return;

  // Group popularity: a few groups carry thousands of ENIs, many carry none (unused groups are real).
  // Per VPC, groups are drawn with index ~ n * u^3 over a shuffled order.
  std::vector<std::vector<int>> order(r.vpcs.size());
  for (size_t vi = 0; vi < r.vpcs.size(); ++vi) {
    order[vi] = r.vpcs[vi].groups;
    for (size_t i = order[vi].size(); i > 1; --i) std::swap(order[vi][i - 1], order[vi][rng.below(i)]);
  }
  std::vector<double> vw;
  for (const Vpc& v : r.vpcs) vw.push_back(v.weight * double(v.groups.size()));
  double vw_sum = 0;
  for (double x : vw) vw_sum += x;
  auto pick_vpc = [&] {
    double x = rng.real() * vw_sum;
    for (size_t i = 0; i < vw.size(); ++i) {
      if ((x -= vw[i]) < 0) return int(i);
    }
    return int(vw.size() - 1);
  };
  auto pick_groups = [&](int vi) {
    const auto& ord = order[size_t(vi)];
    double c = rng.real();
    int k = c < 0.5 ? 1 : c < 0.75 ? 2 : c < 0.9 ? 3 : c < 0.96 ? 4 : 5;
    k = std::min<int>(k, int(ord.size()));
    std::vector<int> out;
    int guard = 0;
    while (int(out.size()) < k && guard++ < 50) {
      double u = rng.real();
      int g = ord[size_t(double(ord.size()) * u * u * u)];
      if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
    }
    return out;
  };
  auto make_eni = [&](int sub, EniType type, std::vector<int> groups) {
    Subnet& s = r.subnets[size_t(sub)];
    Eni e;
    e.id = ids_.make("eni", IdKind::kEni);
    e.type = type;
    e.subnet = sub;
    e.groups = std::move(groups);
    e.private_ips.push_back(s.take_ip());
    if (rng.chance(0.05)) e.private_ips.push_back(s.take_ip());
    if (s.is_public && type != EniType::kLambda && type != EniType::kEndpoint && rng.chance(0.6)) {
      e.public_ip = ip(3, 0, 0, 0) + (uint32_t(r.index) << 18) + uint32_t(r.enis.size());
      e.elastic = rng.chance(0.1);
      if (e.elastic) e.eip_assoc = ids_.make("eipassoc", IdKind::kEipAssoc);
    }
    if (!s.ipv6.empty() && rng.chance(0.5)) {
      e.ipv6.push_back(fmt::format("2600:1f{:02x}:{:x}:{:x}:{:x}:{:x}:{:x}:{:x}", 0x10 + r.index,
                                   (s.ipv6_hi >> 16) & 0xffff, s.ipv6_hi & 0xffff, rng.below(0xffff) + 1,
                                   rng.below(0xffff), rng.below(0xffff), rng.below(0xffff) + 1));
    }
    uint64_t m = rng.next();
    e.mac = fmt::format("0a:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m & 255, (m >> 8) & 255, (m >> 16) & 255,
                        (m >> 24) & 255, (m >> 32) & 255);
    if (type != EniType::kDetached) e.attachment_id = ids_.make("eni-attach", IdKind::kAttach);
    e.attach_time = timestamp(rng);
    r.enis.push_back(std::move(e));
    return int(r.enis.size() - 1);
  };
  auto subnet_in = [&](int vi, bool prefer_public) {
    const Vpc& v = r.vpcs[size_t(vi)];
    std::vector<int> cands;
    for (int s : v.subnets) {
      if (r.subnets[size_t(s)].is_public == prefer_public) cands.push_back(s);
    }
    if (cands.empty()) cands = v.subnets;
    return cands[rng.below(cands.size())];
  };

  int remaining = r.eni_budget - int(r.enis.size());
  int for_instances = int(double(remaining) * 0.88);
  static constexpr std::array<std::string_view, 10> kTypes = {"t3.micro", "t3.medium", "m5.large", "m5.xlarge",
                                                              "c5.2xlarge", "r5.large", "m6i.large", "t3a.small",
                                                              "c6g.large", "m7g.xlarge"};
  int instance_enis = 0;
  while (instance_enis < for_instances) {
    int vi = pick_vpc();
    if (r.vpcs[size_t(vi)].groups.empty()) continue;
    bool pub = rng.chance(r.vpcs[size_t(vi)].is_default ? 1.0 : 0.25);
    int sub = subnet_in(vi, pub);
    Instance in;
    in.id = ids_.make("i", IdKind::kInstance);
    in.subnet = sub;
    in.type = std::string(rng.pick(kTypes));
    in.image = fmt::format("ami-0{:016x}", mix64(rng.below(40) + opt_.seed));
    in.launch_time = timestamp(rng);
    double st = rng.real();
    in.state = st < 0.86 ? "running" : st < 0.99 ? "stopped" : "stopping";
    in.windows = rng.chance(0.08);
    in.imds_tokens = rng.chance(0.55) ? "required" : "optional";
    in.hop_limit = in.imds_tokens == "required" ? 2 : 1;
    if (rng.chance(0.7)) in.profile = fmt::format("{}-{}-role", rng.pick(kApps), rng.pick(kTiers));
    if (rng.chance(0.6)) in.key_name = fmt::format("{}-key", rng.pick(kTeams));
    in.tags.push_back({"Name", fmt::format("{}-{}-{}", rng.pick(kApps), rng.pick(kTiers), instance_enis)});
    if (rng.chance(0.7)) in.tags.push_back({"env", std::string(rng.pick(kEnvs))});
    double c = rng.real();
    int count = c < 0.85 ? 1 : c < 0.97 ? 2 : 3;
    count = std::min(count, for_instances - instance_enis);
    auto groups = pick_groups(vi);
    for (int d = 0; d < count; ++d) {
      int e = make_eni(sub, EniType::kInstance, d == 0 ? groups : pick_groups(vi));
      Eni& eni = r.enis[size_t(e)];
      eni.instance_id = in.id;
      eni.device_index = d;
      eni.description = d == 0 ? "Primary network interface" : "";
      eni.attach_time = in.launch_time;
      if (in.state != "running" && !eni.elastic) eni.public_ip = 0;
      if (d > 0 && !eni.elastic) eni.public_ip = 0;  // auto-assigned public IPs go to device 0 only
      in.enis.push_back(e);
    }
    instance_enis += count;
    r.instances.push_back(std::move(in));
  }
  // A few terminated instances that still show up, with no network interfaces.
  for (int k = 0; k < std::max(1, int(r.instances.size() / 200)); ++k) {
    Instance in;
    in.id = ids_.make("i", IdKind::kInstance);
    in.subnet = -1;
    in.type = "t3.micro";
    in.image = fmt::format("ami-0{:016x}", mix64(opt_.seed + 99));
    in.launch_time = timestamp(rng);
    in.state = "terminated";
    in.imds_tokens = "optional";
    r.instances.push_back(std::move(in));
  }
  // Managed and detached ENIs fill the rest of the budget.
  while (int(r.enis.size()) < r.eni_budget) {
    int vi = pick_vpc();
    if (r.vpcs[size_t(vi)].groups.empty()) continue;
    double t = rng.real();
    EniType type = t < 0.45 ? EniType::kElb : t < 0.75 ? EniType::kLambda : t < 0.9 ? EniType::kEndpoint
                                                                                   : EniType::kDetached;
    int sub = subnet_in(vi, type == EniType::kElb && rng.chance(0.5));
    int e = make_eni(sub, type, pick_groups(vi));
    Eni& eni = r.enis[size_t(e)];
    switch (type) {
      case EniType::kElb:
        eni.description = fmt::format("ELB app/{}-alb/{:016x}", rng.pick(kApps), rng.next());
        break;
      case EniType::kLambda:
        eni.description = fmt::format("AWS Lambda VPC ENI-{}-{}-{:08x}", rng.pick(kApps), rng.pick(kTiers),
                                      uint32_t(rng.next()));
        eni.public_ip = 0;
        break;
      case EniType::kEndpoint:
        eni.description = fmt::format("VPC Endpoint Interface vpce-0{:016x}", rng.next());
        eni.public_ip = 0;
        break;
      default:
        eni.description = "";
        eni.public_ip = 0;
        break;
    }
  }
}

void Generator::build_peerings() {
  // Hub and spoke inside each region (shared-services peers the next few VPCs), plus one cross-region
  // peering between the two busiest regions, listed in both.
  for (Region& r : regions_) {
    Rng rng(mix64(opt_.seed * 5000 + uint64_t(r.index) + 1));
    if (r.vpcs.size() < 3) continue;
    Vpc& hub = r.vpcs[1];
    for (size_t k = 2; k < std::min<size_t>(r.vpcs.size(), 6); ++k) {
      Vpc& spoke = r.vpcs[k];
      PeeringConnection p;
      p.id = ids_.make("pcx", IdKind::kPcx);
      bool active = !rng.chance(0.1);
      p.status = active ? "active" : "pending-acceptance";
      p.status_message = active ? "Active" : fmt::format("Pending Acceptance by {}", account_);
      p.requester_vpc = spoke.id;
      p.requester_cidr = cidr4(spoke.net, spoke.len);
      p.requester_region = r.name;
      p.requester_owner = account_;
      p.accepter_vpc = hub.id;
      p.accepter_cidr = cidr4(hub.net, hub.len);
      p.accepter_region = r.name;
      p.accepter_owner = account_;
      if (active) {
        hub.peer_routes.push_back({p.id, p.requester_cidr});
        spoke.peer_routes.push_back({p.id, p.accepter_cidr});
      }
      r.peerings.push_back(std::move(p));
    }
  }
  if (regions_.size() >= 2 && regions_[0].vpcs.size() > 1 && regions_[1].vpcs.size() > 1) {
    Vpc& a = regions_[0].vpcs[1];
    Vpc& b = regions_[1].vpcs[1];
    PeeringConnection p;
    p.id = ids_.make("pcx", IdKind::kPcx);
    p.status = "active";
    p.status_message = "Active";
    p.requester_vpc = a.id;
    p.requester_cidr = cidr4(a.net, a.len);
    p.requester_region = regions_[0].name;
    p.requester_owner = account_;
    p.accepter_vpc = b.id;
    p.accepter_cidr = cidr4(b.net, b.len);
    p.accepter_region = regions_[1].name;
    p.accepter_owner = account_;
    a.peer_routes.push_back({p.id, p.accepter_cidr});
    b.peer_routes.push_back({p.id, p.requester_cidr});
    regions_[0].peerings.push_back(p);
    regions_[1].peerings.push_back(std::move(p));
  }
}

void Generator::build_routes_and_acls(Region& r) {
  Rng rng(mix64(opt_.seed * 6000 + uint64_t(r.index) + 1));
  const std::string& s3_pl = r.prefix_lists[0].id;
  for (size_t vi = 0; vi < r.vpcs.size(); ++vi) {
    Vpc& v = r.vpcs[vi];
    auto local = [&](RouteTable& t) {
      t.routes.push_back({cidr4(v.net, v.len), "", "", "GatewayId", "local", "CreateRouteTable", "active"});
      if (v.secondary) {
        t.routes.push_back({cidr4(v.secondary, 16), "", "", "GatewayId", "local", "CreateRouteTable", "active"});
      }
      if (!v.ipv6.empty()) t.routes.push_back({"", v.ipv6, "", "GatewayId", "local", "CreateRouteTable", "active"});
    };
    // Main table: the default VPC's routes to the internet; a custom VPC's only routes locally.
    RouteTable main;
    main.id = v.main_rtb;
    main.vpc = int(vi);
    main.main = true;
    main.main_assoc = ids_.make("rtbassoc", IdKind::kRtbAssoc);
    local(main);
    if (v.is_default) main.routes.push_back({"0.0.0.0/0", "", "", "GatewayId", v.igw, "CreateRoute", "active"});
    r.route_tables.push_back(std::move(main));
    if (!v.is_default) {
      RouteTable pub;
      pub.id = ids_.make("rtb", IdKind::kRtb);
      pub.vpc = int(vi);
      pub.tags.push_back({"Name", v.name + "-public"});
      local(pub);
      pub.routes.push_back({"0.0.0.0/0", "", "", "GatewayId", v.igw, "CreateRoute", "active"});
      if (!v.ipv6.empty()) pub.routes.push_back({"", "::/0", "", "GatewayId", v.igw, "CreateRoute", "active"});
      for (int s : v.subnets) {
        if (r.subnets[size_t(s)].is_public) {
          pub.subnets.push_back(s);
          r.subnets[size_t(s)].rtb = pub.id;
        }
      }
      r.route_tables.push_back(std::move(pub));
      for (int az = 0; az < std::min(r.azs, 3); ++az) {
        RouteTable priv;
        priv.id = ids_.make("rtb", IdKind::kRtb);
        priv.vpc = int(vi);
        priv.tags.push_back({"Name", fmt::format("{}-private-{}", v.name, char('a' + az))});
        local(priv);
        if (size_t(az) < v.nat_by_az.size() && !v.nat_by_az[size_t(az)].empty()) {
          priv.routes.push_back({"0.0.0.0/0", "", "", "NatGatewayId", v.nat_by_az[size_t(az)], "CreateRoute", "active"});
        }
        if (!v.eigw.empty()) {
          priv.routes.push_back({"", "::/0", "", "EgressOnlyInternetGatewayId", v.eigw, "CreateRoute", "active"});
        }
        if (!v.vpce_s3.empty()) priv.routes.push_back({"", "", s3_pl, "GatewayId", v.vpce_s3, "CreateRoute", "active"});
        for (const auto& [pcx, cidr] : v.peer_routes) {
          priv.routes.push_back({cidr, "", "", "VpcPeeringConnectionId", pcx, "CreateRoute", "active"});
        }
        if (rng.chance(0.05)) {
          priv.routes.push_back({"192.168.100.0/24", "", "", "NatGatewayId",
                                 fmt::format("nat-0{:016x}", rng.next()), "CreateRoute", "blackhole"});
        }
        for (int s : v.subnets) {
          if (!r.subnets[size_t(s)].is_public && r.subnets[size_t(s)].az == az) {
            priv.subnets.push_back(s);
            r.subnets[size_t(s)].rtb = priv.id;
          }
        }
        r.route_tables.push_back(std::move(priv));
      }
    }
    for (RouteTable& t : r.route_tables) {
      if (t.vpc == int(vi) && t.assoc_ids.empty()) {
        for (size_t k = 0; k < t.subnets.size(); ++k) t.assoc_ids.push_back(ids_.make("rtbassoc", IdKind::kRtbAssoc));
      }
    }

    // Network ACLs: the default allows everything; half the custom VPCs guard their private subnets.
    NetworkAcl def;
    def.id = v.default_acl;
    def.vpc = int(vi);
    def.is_default = true;
    def.entries = {{100, true, "-1", true, "0.0.0.0/0"}, {32767, true, "-1", false, "0.0.0.0/0"},
                   {100, false, "-1", true, "0.0.0.0/0"}, {32767, false, "-1", false, "0.0.0.0/0"}};
    if (!v.ipv6.empty()) {
      def.entries.insert(def.entries.begin() + 1, {101, true, "-1", true, "::/0"});
      def.entries.insert(def.entries.begin() + 3, {32768, true, "-1", false, "::/0"});
      def.entries.insert(def.entries.begin() + 5, {101, false, "-1", true, "::/0"});
      def.entries.push_back({32768, false, "-1", false, "::/0"});
    }
    bool guarded = !v.is_default && rng.chance(0.5);
    NetworkAcl priv;
    if (guarded) {
      priv.id = ids_.make("acl", IdKind::kAcl);
      priv.vpc = int(vi);
      priv.tags.push_back({"Name", v.name + "-private"});
      priv.entries = {
          {100, true, "-1", true, "0.0.0.0/0"},
          {32767, true, "-1", false, "0.0.0.0/0"},
          {100, false, "6", true, "10.0.0.0/8", 443, 443},
          {110, false, "6", true, "0.0.0.0/0", 1024, 65535},
          {120, false, "6", false, "0.0.0.0/0", 22, 22},
          {130, false, "-1", true, cidr4(v.net, v.len)},
          {140, false, "17", true, "0.0.0.0/0", 1024, 65535},
          {32767, false, "-1", false, "0.0.0.0/0"},
      };
    }
    for (int s : v.subnets) {
      Subnet& sn = r.subnets[size_t(s)];
      if (guarded && !sn.is_public) {
        priv.subnets.push_back(s);
        sn.acl = priv.id;
      } else {
        def.subnets.push_back(s);
        sn.acl = def.id;
      }
    }
    r.acls.push_back(std::move(def));
    if (guarded) r.acls.push_back(std::move(priv));

    // Flow logs on some custom VPCs (most to CloudWatch Logs, some to S3, a few failing).
    if (!v.is_default && rng.chance(0.45)) {
      FlowLog f;
      f.id = ids_.make("fl", IdKind::kFlowLog);
      f.resource = v.id;
      f.traffic = rng.chance(0.8) ? "ALL" : "REJECT";
      f.deliver_status = rng.chance(0.95) ? "SUCCESS" : "FAILED";
      f.created = timestamp(rng, true);
      if (rng.chance(0.7)) {
        f.dest_type = "cloud-watch-logs";
        f.log_group = fmt::format("/vpc/flow-logs/{}", v.name);
        f.dest = fmt::format("arn:aws:logs:{}:{}:log-group:{}", r.name, account_, f.log_group);
      } else {
        f.dest_type = "s3";
        f.dest = fmt::format("arn:aws:s3:::flow-logs-{}/{}", account_, v.name);
        f.aggregation = 60;
      }
      r.flow_logs.push_back(std::move(f));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

void Generator::flush(const fs::path& file) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  if (!f) {
    fmt::print(stderr, "fortress_gen_account: cannot write {}\n", file.string());
    std::exit(1);
  }
  std::fwrite(buf_.data(), 1, buf_.size(), f);
  std::fclose(f);
  bytes_written_ += buf_.size();
  ++files_written_;
  buf_.clear();
}

void Generator::write_account() {
  fs::create_directories(opt_.out / "sts");
  fs::create_directories(opt_.out / "ec2");
  {
    JsonWriter w(buf_);
    w.obj()
        .str("UserId", "AIDA2EXAMPLEFORTRESS0")
        .str("Account", account_)
        .str("Arn", fmt::format("arn:aws:iam::{}:user/security-audit", account_))
        .end();
    flush(opt_.out / "sts" / "get-caller-identity.json");
  }
  JsonWriter w(buf_);
  w.obj().arr("Regions");
  std::vector<std::string_view> names;
  for (const Region& r : regions_) names.push_back(r.name);
  std::sort(names.begin(), names.end());
  for (auto n : names) {
    w.obj()
        .str("Endpoint", fmt::format("ec2.{}.amazonaws.com", n))
        .str("RegionName", n)
        .str("OptInStatus", "opt-in-not-required")
        .end();
  }
  w.end().end();
  flush(opt_.out / "ec2" / "describe-regions.json");
}

void Generator::write_vpcs(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("Vpcs");
  for (const Vpc& v : r.vpcs) {
    w.obj().str("CidrBlock", cidr4(v.net, v.len)).str("DhcpOptionsId", fmt::format("dopt-0{:016x}", mix64(r.index)));
    w.str("State", "available").str("VpcId", v.id).str("OwnerId", account_).str("InstanceTenancy", "default");
    if (!v.ipv6.empty()) {
      w.arr("Ipv6CidrBlockAssociationSet")
          .obj()
          .str("AssociationId", ids_.make("vpc-cidr-assoc", IdKind::kCidrAssoc))
          .str("Ipv6CidrBlock", v.ipv6)
          .obj("Ipv6CidrBlockState")
          .str("State", "associated")
          .end()
          .str("NetworkBorderGroup", r.name)
          .str("Ipv6Pool", "Amazon")
          .end()
          .end();
    }
    w.arr("CidrBlockAssociationSet");
    w.obj().str("AssociationId", ids_.make("vpc-cidr-assoc", IdKind::kCidrAssoc)).str("CidrBlock", cidr4(v.net, v.len));
    w.obj("CidrBlockState").str("State", "associated").end().end();
    if (v.secondary) {
      w.obj().str("AssociationId", ids_.make("vpc-cidr-assoc", IdKind::kCidrAssoc)).str("CidrBlock", cidr4(v.secondary, 16));
      w.obj("CidrBlockState").str("State", "associated").end().end();
    }
    w.end();
    w.boolean("IsDefault", v.is_default);
    if (!v.name.empty()) w.tags("Tags", {{"Name", v.name}});
    w.end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-vpcs.json");
}

void Generator::write_subnets(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("Subnets");
  std::string azp = az_id_prefix(r.name);
  for (const Subnet& s : r.subnets) {
    const Vpc& v = r.vpcs[size_t(s.vpc)];
    int size = 1 << (32 - s.len);
    w.obj()
        .str("AvailabilityZone", fmt::format("{}{}", r.name, char('a' + s.az)))
        .str("AvailabilityZoneId", fmt::format("{}-az{}", azp, s.az + 1))
        .num("AvailableIpAddressCount", std::max(0, size - 5 - int(s.next_host) + 4))
        .str("CidrBlock", cidr4(s.net, s.len))
        .boolean("DefaultForAz", v.is_default)
        .boolean("MapPublicIpOnLaunch", s.is_public)
        .boolean("MapCustomerOwnedIpOnLaunch", false)
        .str("State", "available")
        .str("SubnetId", s.id)
        .str("VpcId", v.id)
        .str("OwnerId", account_)
        .boolean("AssignIpv6AddressOnCreation", false);
    w.arr("Ipv6CidrBlockAssociationSet");
    if (!s.ipv6.empty()) {
      w.obj()
          .str("AssociationId", ids_.make("subnet-cidr-assoc", IdKind::kCidrAssoc))
          .str("Ipv6CidrBlock", s.ipv6)
          .obj("Ipv6CidrBlockState")
          .str("State", "associated")
          .end()
          .end();
    }
    w.end();
    if (!s.name.empty()) w.tags("Tags", {{"Name", s.name}});
    w.str("SubnetArn", fmt::format("arn:aws:ec2:{}:{}:subnet/{}", r.name, account_, s.id))
        .boolean("EnableDns64", false)
        .boolean("Ipv6Native", false)
        .obj("PrivateDnsNameOptionsOnLaunch")
        .str("HostnameType", "ip-name")
        .boolean("EnableResourceNameDnsARecord", false)
        .boolean("EnableResourceNameDnsAAAARecord", false)
        .end()
        .end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-subnets.json");
}

std::string_view protocol_text(int p) {
  switch (p) {
    case -1: return "-1";
    case 6: return "tcp";
    case 17: return "udp";
    case 1: return "icmp";
    case 58: return "icmpv6";
    default: return "50";
  }
}

// describe-security-groups: rules folded back into IpPermissions, one per (protocol, from, to) in
// first-appearance order, each listing its peers by kind.
void Generator::write_security_groups(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("SecurityGroups");
  std::vector<size_t> perm_heads;
  for (const SecurityGroup& g : r.groups) {
    auto permissions = [&](std::string_view key, bool egress) {
      // Distinct (protocol, from, to) in order of first appearance.
      perm_heads.clear();
      for (size_t i = 0; i < g.rules.size(); ++i) {
        const Rule& x = g.rules[i];
        if (x.egress != egress) continue;
        bool seen = false;
        for (size_t h : perm_heads) {
          const Rule& y = g.rules[h];
          if (y.protocol == x.protocol && y.from == x.from && y.to == x.to) seen = true;
        }
        if (!seen) perm_heads.push_back(i);
      }
      w.arr(key);
      for (size_t h : perm_heads) {
        const Rule& head = g.rules[h];
        auto same = [&](const Rule& x) {
          return x.egress == egress && x.protocol == head.protocol && x.from == head.from && x.to == head.to;
        };
        w.obj();
        bool ports = head.protocol == 6 || head.protocol == 17 || head.protocol == 1 || head.protocol == 58;
        if (ports) w.num("FromPort", head.from);
        w.str("IpProtocol", protocol_text(head.protocol));
        w.arr("IpRanges");
        for (const Rule& x : g.rules) {
          if (!same(x) || x.kind != Peer::kCidr4) continue;
          w.obj().str("CidrIp", x.peer);
          if (!x.description.empty()) w.str("Description", x.description);
          w.end();
        }
        w.end().arr("Ipv6Ranges");
        for (const Rule& x : g.rules) {
          if (!same(x) || x.kind != Peer::kCidr6) continue;
          w.obj().str("CidrIpv6", x.peer);
          if (!x.description.empty()) w.str("Description", x.description);
          w.end();
        }
        w.end().arr("PrefixListIds");
        for (const Rule& x : g.rules) {
          if (!same(x) || x.kind != Peer::kPrefixList) continue;
          w.obj();
          if (!x.description.empty()) w.str("Description", x.description);
          w.str("PrefixListId", x.peer).end();
        }
        w.end();
        if (ports) w.num("ToPort", head.to);
        w.arr("UserIdGroupPairs");
        for (const Rule& x : g.rules) {
          if (!same(x) || x.kind != Peer::kGroup) continue;
          w.obj();
          if (!x.description.empty()) w.str("Description", x.description);
          w.str("GroupId", x.peer).str("UserId", x.peer_owner).end();
        }
        w.end().end();
      }
      w.end();
    };
    w.obj().str("Description", g.description).str("GroupName", g.name);
    permissions("IpPermissions", false);
    w.str("OwnerId", account_).str("GroupId", g.id);
    permissions("IpPermissionsEgress", true);
    if (!g.tags.empty()) w.tags("Tags", g.tags);
    w.str("VpcId", r.vpcs[size_t(g.vpc)].id).end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-security-groups.json");
}

void Generator::write_security_group_rules(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("SecurityGroupRules");
  for (const SecurityGroup& g : r.groups) {
    for (const Rule& x : g.rules) {
      w.obj()
          .str("SecurityGroupRuleId", x.id)
          .str("GroupId", g.id)
          .str("GroupOwnerId", account_)
          .boolean("IsEgress", x.egress)
          .str("IpProtocol", protocol_text(x.protocol))
          .num("FromPort", x.from)
          .num("ToPort", x.to);
      switch (x.kind) {
        case Peer::kCidr4: w.str("CidrIpv4", x.peer); break;
        case Peer::kCidr6: w.str("CidrIpv6", x.peer); break;
        case Peer::kPrefixList: w.str("PrefixListId", x.peer); break;
        case Peer::kGroup: w.obj("ReferencedGroupInfo").str("GroupId", x.peer).str("UserId", x.peer_owner).end(); break;
      }
      if (!x.description.empty()) w.str("Description", x.description);
      w.empty_arr("Tags")
          .str("SecurityGroupRuleArn", fmt::format("arn:aws:ec2:{}:{}:security-group-rule/{}", r.name, account_, x.id))
          .end();
    }
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-security-group-rules.json");
}

void Generator::write_group_pairs(JsonWriter& w, const Region& r, const std::vector<int>& groups) {
  for (int g : groups) w.obj().str("GroupName", r.groups[size_t(g)].name).str("GroupId", r.groups[size_t(g)].id).end();
}

// The body of a network interface, as describe-network-interfaces prints it or (in_instance) as it
// appears inside describe-instances' Instances[].NetworkInterfaces.
void Generator::write_eni_body(JsonWriter& w, const Region& r, const Eni& e, bool in_instance) {
  const Subnet& s = r.subnets[size_t(e.subnet)];
  const Vpc& v = r.vpcs[size_t(s.vpc)];
  auto association = [&]() {
    w.obj("Association");
    if (e.elastic) w.str("AllocationId", fmt::format("eipalloc-0{:016x}", mix64(e.public_ip)));
    if (e.elastic) w.str("AssociationId", e.eip_assoc);
    w.str("IpOwnerId", e.elastic ? std::string_view(account_) : std::string_view("amazon"))
        .str("PublicDnsName", public_dns(r.name, e.public_ip))
        .str("PublicIp", ipv4(e.public_ip))
        .end();
  };
  if (e.public_ip) association();
  if (e.type != EniType::kDetached) {
    w.obj("Attachment");
    // A NAT gateway's interface is attached by AWS and, as in real output, has no AttachTime.
    if (!e.attach_time.empty()) w.str("AttachTime", e.attach_time);
    w.str("AttachmentId", e.attachment_id);
    w.boolean("DeleteOnTermination", e.type != EniType::kInstance || e.device_index == 0)
        .num("DeviceIndex", e.type == EniType::kInstance ? e.device_index : 1);
    if (e.type == EniType::kInstance) w.num("NetworkCardIndex", 0);
    if (!e.instance_id.empty() && !in_instance) w.str("InstanceId", e.instance_id);
    if (!in_instance) {
      std::string_view owner = e.type == EniType::kInstance ? std::string_view(account_)
                               : e.type == EniType::kElb    ? std::string_view("amazon-elb")
                               : e.type == EniType::kNat    ? std::string_view("amazon-aws")
                                                            : std::string_view("amazon-aws");
      w.str("InstanceOwnerId", owner);
    }
    w.str("Status", "attached").end();
  }
  if (!in_instance) w.str("AvailabilityZone", fmt::format("{}{}", r.name, char('a' + s.az)));
  w.str("Description", e.description);
  w.arr("Groups");
  write_group_pairs(w, r, e.groups);
  w.end();
  if (!in_instance) {
    std::string_view type = e.type == EniType::kNat      ? "nat_gateway"
                            : e.type == EniType::kLambda ? "lambda"
                            : e.type == EniType::kEndpoint ? "vpc_endpoint"
                                                           : "interface";
    w.str("InterfaceType", type);
  }
  w.arr("Ipv6Addresses");
  for (const auto& a : e.ipv6) w.obj().str("Ipv6Address", a).boolean("IsPrimaryIpv6", false).end();
  w.end();
  w.str("MacAddress", e.mac).str("NetworkInterfaceId", e.id).str("OwnerId", account_);
  w.str("PrivateDnsName", private_dns(r.name, e.private_ips[0])).str("PrivateIpAddress", ipv4(e.private_ips[0]));
  w.arr("PrivateIpAddresses");
  for (size_t i = 0; i < e.private_ips.size(); ++i) {
    w.obj();
    if (i == 0 && e.public_ip) association();
    w.boolean("Primary", i == 0)
        .str("PrivateDnsName", private_dns(r.name, e.private_ips[i]))
        .str("PrivateIpAddress", ipv4(e.private_ips[i]))
        .end();
  }
  w.end();
  if (!in_instance) {
    bool managed = e.type == EniType::kElb || e.type == EniType::kLambda || e.type == EniType::kEndpoint ||
                   e.type == EniType::kNat;
    if (managed) {
      std::string_view req = e.type == EniType::kElb      ? "amazon-elb"
                             : e.type == EniType::kLambda ? "AROAEXAMPLELAMBDAROLE:lambda"
                                                          : "AIDAEXAMPLEVPCEPROVIDER";
      w.str("RequesterId", req);
    }
    w.boolean("RequesterManaged", managed);
  }
  w.boolean("SourceDestCheck", e.type != EniType::kNat);
  w.str("Status", e.type == EniType::kDetached ? "available" : "in-use");
  w.str("SubnetId", s.id);
  if (!in_instance) w.tags("TagSet", e.tags);
  w.str("VpcId", v.id);
  if (in_instance) w.str("InterfaceType", "interface");
}

void Generator::write_network_interfaces(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("NetworkInterfaces");
  for (const Eni& e : r.enis) {
    w.obj();
    write_eni_body(w, r, e, false);
    w.end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-network-interfaces.json");
}

void Generator::write_instances(const Region& r) {
  Rng rng(mix64(opt_.seed * 7000 + uint64_t(r.index) + 1));
  JsonWriter w(buf_);
  w.obj().arr("Reservations");
  size_t i = 0;
  while (i < r.instances.size()) {
    size_t n = std::min<size_t>(r.instances.size() - i, rng.chance(0.8) ? 1 : size_t(rng.range(2, 4)));
    w.obj().empty_arr("Groups").arr("Instances");
    for (size_t k = 0; k < n; ++k) {
      const Instance& in = r.instances[i + k];
      bool gone = in.state == "terminated";
      const Eni* primary = in.enis.empty() ? nullptr : &r.enis[size_t(in.enis[0])];
      w.obj()
          .num("AmiLaunchIndex", int64_t(k))
          .str("ImageId", in.image)
          .str("InstanceId", in.id)
          .str("InstanceType", in.type);
      if (!in.key_name.empty()) w.str("KeyName", in.key_name);
      w.str("LaunchTime", in.launch_time);
      w.obj("Monitoring").str("State", "disabled").end();
      w.obj("Placement")
          .str("AvailabilityZone",
               fmt::format("{}{}", r.name, char('a' + (in.subnet >= 0 ? r.subnets[size_t(in.subnet)].az : 0))))
          .str("GroupName", "")
          .str("Tenancy", "default")
          .end();
      if (in.windows) w.str("Platform", "windows");
      w.str("PrivateDnsName", primary ? private_dns(r.name, primary->private_ips[0]) : "");
      if (primary) w.str("PrivateIpAddress", ipv4(primary->private_ips[0]));
      w.empty_arr("ProductCodes");
      w.str("PublicDnsName", primary && primary->public_ip ? public_dns(r.name, primary->public_ip) : "");
      if (primary && primary->public_ip) w.str("PublicIpAddress", ipv4(primary->public_ip));
      int code = in.state == "running" ? 16 : in.state == "stopped" ? 80 : in.state == "stopping" ? 64 : 48;
      w.obj("State").num("Code", code).str("Name", in.state).end();
      w.str("StateTransitionReason", in.state == "running" ? "" : "User initiated (2024-05-01 10:00:00 GMT)");
      if (!gone) {
        w.str("SubnetId", r.subnets[size_t(in.subnet)].id);
        w.str("VpcId", r.vpcs[size_t(r.subnets[size_t(in.subnet)].vpc)].id);
      }
      // Graviton families end in 'g' (c6g, m7g): arm64.
      std::string_view family = std::string_view(in.type).substr(0, in.type.find('.'));
      w.str("Architecture", family.back() == 'g' ? "arm64" : "x86_64");
      w.arr("BlockDeviceMappings");
      if (!gone) {
        w.obj()
            .str("DeviceName", in.windows ? "/dev/sda1" : "/dev/xvda")
            .obj("Ebs")
            .str("AttachTime", in.launch_time)
            .boolean("DeleteOnTermination", true)
            .str("Status", "attached")
            .str("VolumeId", ids_.make("vol", IdKind::kVolume))
            .end()
            .end();
      }
      w.end();
      w.str("ClientToken", "").boolean("EbsOptimized", in.type[0] != 't').boolean("EnaSupport", true);
      w.str("Hypervisor", "xen");
      if (!in.profile.empty()) {
        w.obj("IamInstanceProfile")
            .str("Arn", fmt::format("arn:aws:iam::{}:instance-profile/{}", account_, in.profile))
            .str("Id", fmt::format("AIPA{:016X}", mix64(std::hash<std::string>{}(in.profile))))
            .end();
      }
      w.arr("NetworkInterfaces");
      std::vector<int> all_groups;
      for (int ei : in.enis) {
        const Eni& e = r.enis[size_t(ei)];
        w.obj();
        write_eni_body(w, r, e, true);
        w.end();
        for (int g : e.groups) {
          if (std::find(all_groups.begin(), all_groups.end(), g) == all_groups.end()) all_groups.push_back(g);
        }
      }
      w.end();
      w.str("RootDeviceName", in.windows ? "/dev/sda1" : "/dev/xvda").str("RootDeviceType", "ebs");
      w.arr("SecurityGroups");
      write_group_pairs(w, r, all_groups);
      w.end();
      if (!gone) w.boolean("SourceDestCheck", true);
      w.tags("Tags", in.tags);
      w.str("VirtualizationType", "hvm");
      w.obj("CpuOptions").num("CoreCount", 1).num("ThreadsPerCore", 2).end();
      w.obj("CapacityReservationSpecification").str("CapacityReservationPreference", "open").end();
      w.obj("HibernationOptions").boolean("Configured", false).end();
      w.obj("MetadataOptions")
          .str("State", "applied")
          .str("HttpTokens", in.imds_tokens)
          .num("HttpPutResponseHopLimit", in.hop_limit)
          .str("HttpEndpoint", "enabled")
          .str("HttpProtocolIpv6", "disabled")
          .str("InstanceMetadataTags", "disabled")
          .end();
      w.obj("EnclaveOptions").boolean("Enabled", false).end();
      w.str("PlatformDetails", in.windows ? "Windows" : "Linux/UNIX");
      w.str("UsageOperation", in.windows ? "RunInstances:0002" : "RunInstances");
      w.obj("PrivateDnsNameOptions")
          .str("HostnameType", "ip-name")
          .boolean("EnableResourceNameDnsARecord", false)
          .boolean("EnableResourceNameDnsAAAARecord", false)
          .end();
      w.obj("MaintenanceOptions").str("AutoRecovery", "default").end();
      w.str("CurrentInstanceBootMode", "legacy-bios");
      w.end();
    }
    w.end()
        .str("OwnerId", account_)
        .str("ReservationId", fmt::format("r-0{:016x}", mix64(std::hash<std::string>{}(r.instances[i].id))))
        .end();
    i += n;
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-instances.json");
}

void Generator::write_route_tables(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("RouteTables");
  for (const RouteTable& t : r.route_tables) {
    w.obj().arr("Associations");
    if (t.main) {
      w.obj()
          .boolean("Main", true)
          .str("RouteTableAssociationId", t.main_assoc)
          .str("RouteTableId", t.id)
          .obj("AssociationState")
          .str("State", "associated")
          .end()
          .end();
    }
    for (size_t k = 0; k < t.subnets.size(); ++k) {
      w.obj()
          .boolean("Main", false)
          .str("RouteTableAssociationId", t.assoc_ids[k])
          .str("RouteTableId", t.id)
          .str("SubnetId", r.subnets[size_t(t.subnets[k])].id)
          .obj("AssociationState")
          .str("State", "associated")
          .end()
          .end();
    }
    w.end().empty_arr("PropagatingVgws").str("RouteTableId", t.id).arr("Routes");
    for (const auto& rt : t.routes) {
      w.obj();
      if (!rt.dest.empty()) w.str("DestinationCidrBlock", rt.dest);
      if (!rt.dest6.empty()) w.str("DestinationIpv6CidrBlock", rt.dest6);
      if (!rt.dest_pl.empty()) w.str("DestinationPrefixListId", rt.dest_pl);
      w.str(rt.target_key, rt.target).str("Origin", rt.origin).str("State", rt.state).end();
    }
    w.end().tags("Tags", t.tags).str("VpcId", r.vpcs[size_t(t.vpc)].id).str("OwnerId", account_).end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-route-tables.json");
}

void Generator::write_network_acls(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("NetworkAcls");
  for (const NetworkAcl& a : r.acls) {
    w.obj().arr("Associations");
    for (int s : a.subnets) {
      w.obj()
          .str("NetworkAclAssociationId", ids_.make("aclassoc", IdKind::kAclAssoc))
          .str("NetworkAclId", a.id)
          .str("SubnetId", r.subnets[size_t(s)].id)
          .end();
    }
    w.end().arr("Entries");
    for (const NetworkAclEntry& e : a.entries) {
      w.obj();
      bool v6 = e.cidr.find(':') != std::string::npos;
      if (!v6) w.str("CidrBlock", e.cidr);
      w.boolean("Egress", e.egress);
      if (v6) w.str("Ipv6CidrBlock", e.cidr);
      if (e.protocol == "6" || e.protocol == "17") w.obj("PortRange").num("From", e.from).num("To", e.to).end();
      w.str("Protocol", e.protocol).str("RuleAction", e.allow ? "allow" : "deny").num("RuleNumber", e.number).end();
    }
    w.end()
        .boolean("IsDefault", a.is_default)
        .str("NetworkAclId", a.id)
        .tags("Tags", a.tags)
        .str("VpcId", r.vpcs[size_t(a.vpc)].id)
        .str("OwnerId", account_)
        .end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-network-acls.json");
}

void Generator::write_internet_gateways(const Region& r) {
  {
    JsonWriter w(buf_);
    w.obj().arr("InternetGateways");
    for (const Vpc& v : r.vpcs) {
      w.obj()
          .arr("Attachments")
          .obj()
          .str("State", "available")
          .str("VpcId", v.id)
          .end()
          .end()
          .str("InternetGatewayId", v.igw)
          .str("OwnerId", account_)
          .tags("Tags", v.name.empty() ? Tags{} : Tags{{"Name", v.name + "-igw"}})
          .end();
    }
    w.end().end();
    flush(opt_.out / r.name / "ec2" / "describe-internet-gateways.json");
  }
  JsonWriter w(buf_);
  w.obj().arr("EgressOnlyInternetGateways");
  for (const Vpc& v : r.vpcs) {
    if (v.eigw.empty()) continue;
    w.obj()
        .arr("Attachments")
        .obj()
        .str("State", "attached")
        .str("VpcId", v.id)
        .end()
        .end()
        .str("EgressOnlyInternetGatewayId", v.eigw)
        .empty_arr("Tags")
        .end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-egress-only-internet-gateways.json");
}

void Generator::write_nat_gateways(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("NatGateways");
  for (const NatGateway& n : r.nats) {
    const Eni& e = r.enis[size_t(n.eni)];
    const Subnet& s = r.subnets[size_t(n.subnet)];
    w.obj().str("CreateTime", n.create_time).arr("NatGatewayAddresses");
    w.obj()
        .str("AllocationId", n.alloc)
        .str("NetworkInterfaceId", e.id)
        .str("PrivateIp", ipv4(e.private_ips[0]))
        .str("PublicIp", ipv4(e.public_ip))
        .str("AssociationId", n.assoc)
        .boolean("IsPrimary", true)
        .str("Status", "succeeded")
        .end();
    w.end()
        .str("NatGatewayId", n.id)
        .str("State", "available")
        .str("SubnetId", s.id)
        .str("VpcId", r.vpcs[size_t(s.vpc)].id)
        .empty_arr("Tags")
        .str("ConnectivityType", "public")
        .end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-nat-gateways.json");
}

void Generator::write_flow_logs(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("FlowLogs");
  for (const FlowLog& f : r.flow_logs) {
    w.obj().str("CreationTime", f.created);
    if (f.dest_type == "cloud-watch-logs") {
      w.str("DeliverLogsPermissionArn", fmt::format("arn:aws:iam::{}:role/flow-logs-delivery", account_));
    }
    w.str("DeliverLogsStatus", f.deliver_status);
    if (f.deliver_status == "FAILED") w.str("DeliverLogsErrorMessage", "Access error");
    w.str("FlowLogId", f.id).str("FlowLogStatus", "ACTIVE");
    if (!f.log_group.empty()) w.str("LogGroupName", f.log_group);
    w.str("ResourceId", f.resource)
        .str("TrafficType", f.traffic)
        .str("LogDestinationType", f.dest_type)
        .str("LogDestination", f.dest)
        .str("LogFormat",
             "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
             "${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
        .empty_arr("Tags")
        .num("MaxAggregationInterval", f.aggregation)
        .end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-flow-logs.json");
}

void Generator::write_peerings(const Region& r) {
  JsonWriter w(buf_);
  w.obj().arr("VpcPeeringConnections");
  auto side = [&](std::string_view key, const std::string& cidr, const std::string& owner, const std::string& vpc,
                  const std::string& region) {
    w.obj(key).str("CidrBlock", cidr).arr("CidrBlockSet").obj().str("CidrBlock", cidr).end().end();
    w.str("OwnerId", owner)
        .obj("PeeringOptions")
        .boolean("AllowDnsResolutionFromRemoteVpc", false)
        .boolean("AllowEgressFromLocalClassicLinkToRemoteVpc", false)
        .boolean("AllowEgressFromLocalVpcToRemoteClassicLink", false)
        .end()
        .str("VpcId", vpc)
        .str("Region", region)
        .end();
  };
  for (const PeeringConnection& p : r.peerings) {
    w.obj();
    side("AccepterVpcInfo", p.accepter_cidr, p.accepter_owner, p.accepter_vpc, p.accepter_region);
    side("RequesterVpcInfo", p.requester_cidr, p.requester_owner, p.requester_vpc, p.requester_region);
    w.obj("Status").str("Code", p.status).str("Message", p.status_message).end();
    w.empty_arr("Tags").str("VpcPeeringConnectionId", p.id).end();
  }
  w.end().end();
  flush(opt_.out / r.name / "ec2" / "describe-vpc-peering-connections.json");
}

void Generator::write_prefix_lists(const Region& r) {
  {
    JsonWriter w(buf_);
    w.obj().arr("PrefixLists");
    for (const PrefixList& p : r.prefix_lists) {
      w.obj().str("PrefixListId", p.id).str("AddressFamily", p.family).str("State", "create-complete");
      w.str("PrefixListArn", fmt::format("arn:aws:ec2:{}:{}:prefix-list/{}", r.name,
                                         p.aws_managed ? std::string_view("aws") : std::string_view(account_), p.id));
      w.str("PrefixListName", p.name);
      if (!p.aws_managed) w.num("MaxEntries", p.max_entries).num("Version", 1);
      w.empty_arr("Tags").str("OwnerId", p.owner).end();
    }
    w.end().end();
    flush(opt_.out / r.name / "ec2" / "describe-managed-prefix-lists.json");
  }
  fs::path dir = opt_.out / r.name / "ec2" / "get-managed-prefix-list-entries";
  fs::create_directories(dir);
  for (const PrefixList& p : r.prefix_lists) {
    JsonWriter w(buf_);
    w.obj().arr("Entries");
    for (const auto& [cidr, desc] : p.entries) {
      w.obj().str("Cidr", cidr);
      if (!desc.empty()) w.str("Description", desc);
      w.end();
    }
    w.end().end();
    flush(dir / (p.id + ".json"));
  }
}

void Generator::write_region(const Region& r) {
  fs::create_directories(opt_.out / r.name / "ec2");
  write_vpcs(r);
  write_subnets(r);
  write_security_groups(r);
  write_security_group_rules(r);
  write_network_interfaces(r);
  write_instances(r);
  write_route_tables(r);
  write_network_acls(r);
  write_internet_gateways(r);
  write_nat_gateways(r);
  write_flow_logs(r);
  write_peerings(r);
  write_prefix_lists(r);
}

int Generator::run() {
  auto t0 = std::chrono::steady_clock::now();
  plan_regions();
  for (Region& r : regions_) {
    build_network(r);
    build_prefix_lists(r);
    build_groups(r);
  }
  // Rule counts: long-tailed (most groups 2-10 rules, a few past 50), then scaled so the account holds
  // exactly --rules normalized rules. Default groups keep what AWS gives them.
  {
    Rng rng(mix64(opt_.seed * 8000 + 1));
    std::vector<SecurityGroup*> custom;
    int64_t fixed = 0;
    for (Region& r : regions_) {
      for (SecurityGroup& g : r.groups) {
        if (g.is_default) {
          g.target_rules = r.vpcs[size_t(g.vpc)].ipv6.empty() ? 2 : 3;
          fixed += g.target_rules;
          continue;
        }
        double u = rng.real();
        if (u < 0.80) g.target_rules = int(rng.range(2, 10));
        else if (u < 0.97) g.target_rules = int(rng.range(11, 40));
        else g.target_rules = std::min(500, 51 + int(50.0 * (std::pow(1.0 - rng.real(), -1.0 / 2.5) - 1.0)));
        custom.push_back(&g);
      }
    }
    int64_t want = std::max<int64_t>(0, opt_.rules - fixed);
    int64_t have = 0;
    for (auto* g : custom) have += g->target_rules;
    if (have > 0 && !custom.empty()) {
      double f = double(want) / double(have);
      have = 0;
      for (auto* g : custom) {
        double x = g->target_rules * f;
        int v = int(x);
        if (rng.real() < x - v) ++v;
        g->target_rules = std::max(1, v);
        have += g->target_rules;
      }
      // Nudge single groups until the total is exact (bounded: fewer rules than groups cannot be met).
      for (int64_t guard = 0; have != want && guard < 100 * int64_t(custom.size()) + 1000000; ++guard) {
        SecurityGroup* g = custom[rng.below(custom.size())];
        if (have < want) {
          ++g->target_rules;
          ++have;
        } else if (g->target_rules > 1) {
          --g->target_rules;
          --have;
        }
      }
    }
  }
  int64_t total_rules = 0;
  for (Region& r : regions_) {
    Rng rng(mix64(opt_.seed * 9000 + uint64_t(r.index) + 1));
    std::unordered_set<uint64_t> seen;
    for (SecurityGroup& g : r.groups) {
      build_rules(r, g, rng, seen);
      total_rules += int64_t(g.rules.size());
    }
  }
  build_peerings();
  for (Region& r : regions_) {
    build_compute(r);
    build_routes_and_acls(r);
  }
  buf_.reserve(size_t(64) << 20);
  write_account();
  size_t sgs = 0, enis = 0, instances = 0, vpcs = 0;
  for (const Region& r : regions_) {
    write_region(r);
    sgs += r.groups.size();
    enis += r.enis.size();
    instances += r.instances.size();
    vpcs += r.vpcs.size();
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print("fortress_gen_account: {} regions, {} VPCs, {} security groups, {} rules, {} ENIs, {} instances\n",
             regions_.size(), vpcs, sgs, total_rules, enis, instances);
  fmt::print("fortress_gen_account: wrote {} files, {:.1f} MB to {} in {:.2f} s (seed {})\n", files_written_,
             double(bytes_written_) / 1e6, opt_.out.string(), secs, opt_.seed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto opt = parse_args(argc, argv);
  if (!opt) {
    usage();
    return 2;
  }
  Generator g(*opt);
  return g.run();
}
