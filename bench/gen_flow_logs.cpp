// fortress_gen_flow_logs: writes realistic VPC flow logs, of any size, consistent with a snapshot
// (bench/gen_account.cpp makes one), in the S3 delivery layout:
//
//   OUTDIR/AWSLogs/<account>/vpcflowlogs/<region>/yyyy/mm/dd/
//       <account>_vpcflowlogs_<region>_<fl-id>_<yyyymmddThhmmZ>_<hash>.log[.gz]
//
//   fortress_gen_flow_logs SNAPSHOT OUTDIR [--bytes 1G] [--files 16] [--format v2|v5] [--gzip]
//                          [--seed 1] [--start UNIX] [--hours 24] [--traffic spread|steady]
//
// --traffic spread (the default) is the high-cardinality case: an interface's internet clients are
// nine in ten from its few hundred regulars and one in ten from a pool of 200,000 addresses, so about
// a third of the records open a key of their own. --traffic steady is what a day of a real account
// looks like: services are used by the clients they had yesterday (99 % of inbound connections from an
// interface's 64 regulars, most from a handful of them; 1 % from anywhere), long-lived and repeated
// connections produce one record per aggregation interval for the same peers, while internet scanners
// stay what they are (many distinct addresses, a record or two each: the REJECTed probes are the same in
// both modes).
//
// The traffic uses the snapshot's in-use interfaces, their addresses and their groups' rules: inbound
// connections to ports their ingress rules admit, from peers those rules name (CIDR, referenced group
// members, prefix-list entries; internet clients drawn from a skewed pool), outbound connections to the
// internet (443, 80, udp/53, udp/123, and now and then an unusual port) and to other interfaces, both
// directions of each connection (request and answer records), ephemeral client ports, about 10 % IPv6
// where interfaces have IPv6 addresses, REJECTed probes from the internet, NODATA records. --format v5
// writes a custom format with tcp-flags, flow-direction, traffic-path, pkt-srcaddr/pkt-dstaddr and the
// vpc/subnet/instance fields, in a non-default order. Files are written with ISA-L's deflate (--gzip).
// Deterministic for a seed. A benchmark input, not a test fixture; it prints (it is a tool).
#include <fmt/format.h>
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "load/snapshot.h"
#include "model/account.h"

namespace {

namespace fs = std::filesystem;
using namespace fortress;

class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    s_ += 0x9e3779b97f4a7c15ULL;
    uint64_t z = s_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t below(uint64_t n) { return n == 0 ? 0 : uint64_t((unsigned __int128)next() * n >> 64); }
  double real() { return double(next() >> 11) * 0x1.0p-53; }
  bool chance(double p) { return real() < p; }
  // Skewed pick in [0, n): small indexes much more likely (a few clients make most connections).
  uint64_t skewed(uint64_t n) {
    const double r = real();
    return std::min<uint64_t>(n - 1, uint64_t(double(n) * r * r * r));
  }

 private:
  uint64_t s_;
};

struct Service {
  int protocol;  // 6 / 17
  uint16_t port;
  const SecurityGroupRule* rule;
  const Region* region;
};

struct Eni {
  const Region* region;
  const NetworkInterface* eni;
  IpAddress ip;
  std::optional<IpAddress> ip6;
  std::string flow_log;
  std::vector<Service> services;  // from ingress rules
};

uint64_t parse_size(std::string_view s) {
  double mult = 1;
  if (!s.empty() && (s.back() == 'G' || s.back() == 'g')) mult = 1e9, s.remove_suffix(1);
  else if (!s.empty() && (s.back() == 'M' || s.back() == 'm')) mult = 1e6, s.remove_suffix(1);
  return uint64_t(std::stod(std::string(s)) * mult);
}

// A public IPv4 address (avoiding the special ranges roughly: first octet 11..223 minus 100/127/172/192).
uint32_t public_v4(Rng& r) {
  static const uint8_t kFirst[] = {13, 18, 23, 31, 34, 35, 37, 45, 51, 52, 54, 62, 66, 77, 81, 89, 91, 94, 104,
                                   109, 142, 151, 157, 176, 185, 188, 199, 212, 216, 217};
  return (uint32_t(kFirst[r.below(sizeof kFirst)]) << 24) | uint32_t(r.below(1u << 24));
}

IpAddress in_block(Rng& r, const Cidr& c) {
  const int width = c.family() == IpFamily::kV4 ? 32 : 128;
  const int host = width - c.prefix_length;
  uint128 offset = host >= 64 ? (uint128(r.next()) << 64 | r.next()) : uint128(r.next());
  if (host < 128) offset &= (uint128(1) << host) - 1;
  return {c.family(), c.network.value | offset};
}

class Writer {
 public:
  Writer(std::string path, bool gzip) : path_(std::move(path)), gzip_(gzip) {}
  std::string& buf() { return buf_; }
  void finish() {
    fs::create_directories(fs::path(path_).parent_path());
    std::ofstream out(path_, std::ios::binary);
    if (!gzip_) {
      out.write(buf_.data(), std::streamsize(buf_.size()));
      return;
    }
    auto st = std::make_unique<isal_zstream>();
    isal_deflate_init(st.get());
    std::vector<uint8_t> level_buf(ISAL_DEF_LVL2_DEFAULT);
    st->level = 2;
    st->level_buf = level_buf.data();
    st->level_buf_size = uint32_t(level_buf.size());
    st->gzip_flag = IGZIP_GZIP;
    st->end_of_stream = 1;
    st->flush = NO_FLUSH;
    st->next_in = reinterpret_cast<uint8_t*>(buf_.data());
    st->avail_in = uint32_t(buf_.size());
    std::vector<uint8_t> chunk(1 << 20);
    do {
      st->next_out = chunk.data();
      st->avail_out = uint32_t(chunk.size());
      if (isal_deflate(st.get()) != COMP_OK) {
        std::fprintf(stderr, "gen_flow_logs: deflate failed\n");
        std::exit(1);
      }
      out.write(reinterpret_cast<const char*>(chunk.data()), std::streamsize(chunk.size() - st->avail_out));
    } while (st->internal_state.state != ZSTATE_END);
  }

 private:
  std::string path_;
  bool gzip_;
  std::string buf_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: fortress_gen_flow_logs SNAPSHOT OUTDIR [--bytes 1G] [--files 16] [--format v2|v5] [--gzip] "
                 "[--seed 1] [--start UNIX] [--hours 24]\n");
    return 2;
  }
  const std::string snapshot = argv[1];
  const fs::path outdir = argv[2];
  uint64_t total_bytes = 1000000000;
  size_t files = 16;
  std::string format = "v2";
  std::string traffic = "spread";
  bool gzip = false;
  uint64_t seed = 1;
  uint32_t start = 1795478400;  // 2026-11-24T00:00:00Z
  uint32_t hours = 24;
  for (int i = 3; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--bytes") total_bytes = parse_size(value());
    else if (a == "--files") files = std::stoul(value());
    else if (a == "--format") format = value();
    else if (a == "--gzip") gzip = true;
    else if (a == "--seed") seed = std::stoull(value());
    else if (a == "--start") start = uint32_t(std::stoul(value()));
    else if (a == "--hours") hours = uint32_t(std::stoul(value()));
    else if (a == "--traffic") traffic = value();
    else {
      std::fprintf(stderr, "gen_flow_logs: unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (traffic != "spread" && traffic != "steady") {
    std::fprintf(stderr, "gen_flow_logs: --traffic is spread or steady, not %s\n", traffic.c_str());
    return 2;
  }
  Expected<LoadResult> loaded = load_snapshot(snapshot);
  if (!loaded) {
    std::fprintf(stderr, "gen_flow_logs: %s\n", loaded.error().to_string().c_str());
    return 1;
  }
  const Account& account = loaded->account;
  const std::string acct = account.account_id.empty() ? "123456789012" : account.account_id.str();

  // Interfaces and what they serve.
  std::vector<Eni> enis;
  for (const Region& region : account.regions) {
    for (const NetworkInterface& n : region.network_interfaces) {
      if (n.status == "available" || n.private_ips.empty()) continue;
      Eni e{&region, &n, n.private_ips[0].address, std::nullopt, {}, {}};
      if (!n.ipv6_addresses.empty()) e.ip6 = n.ipv6_addresses[0];
      for (std::string_view res : {n.id.view(), n.subnet_id.view(), n.vpc_id.view()})
        for (const FlowLog* l : region.flow_logs_for(res))
          if (e.flow_log.empty() && l->active()) e.flow_log = l->id.str();
      if (e.flow_log.empty()) e.flow_log = fmt::format("fl-0bench{:012x}", std::hash<std::string_view>{}(region.name) & 0xffffffffffff);
      for (const Symbol& gid : n.group_ids) {
        const SecurityGroup* g = region.security_group(gid);
        if (g == nullptr) continue;
        for (const SecurityGroupRule& r : g->rules) {
          if (!r.is_ingress()) continue;
          if (r.traffic.protocol == proto::kTcp || r.traffic.protocol == proto::kUdp) {
            const PortRange p = r.traffic.ports;
            const uint16_t port = p.count() <= 16 ? p.from : uint16_t(p.from + (std::hash<std::string_view>{}(r.rule_id) % std::min<uint32_t>(p.count(), 64)));
            e.services.push_back({r.traffic.protocol, port, &r, &region});
          } else if (r.traffic.protocol == proto::kAll) {
            e.services.push_back({proto::kTcp, 443, &r, &region});
          }
        }
      }
      enis.push_back(std::move(e));
    }
  }
  if (enis.empty()) {
    std::fprintf(stderr, "gen_flow_logs: the snapshot has no in-use interface with an address\n");
    return 1;
  }
  // A file holds the records of one flow log: the interfaces it covers.
  std::vector<std::vector<const Eni*>> by_log;
  {
    std::vector<std::string> ids;
    for (const Eni& e : enis) {
      auto it = std::find(ids.begin(), ids.end(), e.flow_log);
      if (it == ids.end()) {
        ids.push_back(e.flow_log);
        by_log.emplace_back();
        it = ids.end() - 1;
      }
      by_log[size_t(it - ids.begin())].push_back(&e);
    }
  }
  Rng rng(seed);
  std::vector<uint32_t> clients(200000);
  for (uint32_t& c : clients) c = public_v4(rng);

  // Internet clients of one interface: nine in ten from its regulars (a few hundred addresses, most
  // traffic from a few of them), one in ten from anywhere in the pool.
  const bool steady = traffic == "steady";
  const double anyone = steady ? 0.01 : 0.1;
  const uint64_t regulars = steady ? 64 : 300;
  auto internet_client = [&](const Eni& e) -> IpAddress {
    if (rng.chance(anyone)) return IpAddress::v4(clients[rng.below(clients.size())]);
    const uint64_t base = std::hash<std::string_view>{}(e.eni->id) % clients.size();
    return IpAddress::v4(clients[(base + rng.skewed(regulars)) % clients.size()]);
  };
  auto peer_for = [&](const Eni& e, const Service& s) -> IpAddress {
    const RulePeer& p = s.rule->peer;
    switch (p.kind) {
      case PeerKind::kCidr:
        if (p.cidr.family() == IpFamily::kV6) return e.ip6 ? in_block(rng, p.cidr) : internet_client(e);
        if (p.cidr.prefix_length <= 8 && is_public(p.cidr)) return internet_client(e);
        {
          // A few hosts of the block talk to the service, not every address in it.
          Rng host(std::hash<std::string_view>{}(s.rule->rule_id) + rng.below(8));
          return in_block(host, p.cidr);
        }
      case PeerKind::kSecurityGroup: {
        auto members = s.region->enis_in_group(p.group_id);
        if (!members.empty()) {
          const NetworkInterface* m = members[rng.below(members.size())];
          if (!m->private_ips.empty()) return m->private_ips[0].address;
        }
        return IpAddress::v4((10u << 24) | uint32_t(rng.below(1u << 24)));
      }
      case PeerKind::kPrefixList: {
        const PrefixList* l = s.region->prefix_list(p.prefix_list_id);
        if (l != nullptr && l->entries && !l->entries->empty()) {
          Rng host(std::hash<std::string_view>{}(p.prefix_list_id) + rng.below(8));
          return in_block(host, (*l->entries)[host.below(l->entries->size())].cidr);
        }
        return IpAddress::v4(clients[rng.skewed(clients.size())]);
      }
    }
    return IpAddress::v4(clients[0]);
  };

  const bool v5 = format == "v5";
  const std::string header =
      v5 ? "version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol "
           "packets bytes start end action log-status tcp-flags type pkt-srcaddr pkt-dstaddr flow-direction "
           "traffic-path\n"
         : "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
           "log-status\n";
  const uint64_t per_file = std::max<uint64_t>(1, total_bytes / std::max<size_t>(1, files));
  uint64_t written = 0;
  uint64_t records = 0;
  char ip_a[64], ip_b[64];
  auto text = [](const IpAddress& a, char* out) {
    if (a.family == IpFamily::kV4) {
      const uint32_t v = uint32_t(a.value);
      *fmt::format_to(out, "{}.{}.{}.{}", v >> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255) = 0;
    } else {
      const std::string s = a.to_string();
      std::memcpy(out, s.c_str(), s.size() + 1);
    }
  };
  for (size_t f = 0; f < files; ++f) {
    const std::vector<const Eni*>& log_enis = by_log[f % by_log.size()];
    const Eni& first = *log_enis[0];
    const uint32_t file_start = start + uint32_t(uint64_t(hours) * 3600 * f / files);
    const std::time_t tt = file_start;
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char day[16], stamp[32];
    std::strftime(day, sizeof day, "%Y/%m/%d", &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%MZ", &tm);
    const std::string region = std::string(first.region->name);
    const fs::path path = outdir / "AWSLogs" / acct / "vpcflowlogs" / region / day /
                          fmt::format("{}_vpcflowlogs_{}_{}_{}_{:08x}.log{}", acct, region, first.flow_log, stamp,
                                      uint32_t(rng.next()), gzip ? ".gz" : "");
    Writer w(path.string(), gzip);
    std::string& b = w.buf();
    b.reserve(per_file + 4096);
    b += header;
    auto line = [&](const Eni& e, const IpAddress& src, const IpAddress& dst, uint32_t sp, uint32_t dp, int protocol,
                    uint64_t packets, uint64_t bytes, uint32_t t0, uint32_t t1, bool accept, int flags, bool ingress) {
      text(src, ip_a);
      text(dst, ip_b);
      if (v5) {
        fmt::format_to(std::back_inserter(b), "5 {} {} {} {} {} {} {} {} {} {} {} {} {} {} {} OK {} {} {} {} {} {}\n",
                       e.eni->id, acct, e.eni->vpc_id, e.eni->subnet_id,
                       e.eni->instance_id.empty() ? std::string_view("-") : e.eni->instance_id.view(), ip_a, ip_b, sp, dp,
                       protocol, packets, bytes, t0, t1, accept ? "ACCEPT" : "REJECT", protocol == 6 ? flags : 0,
                       src.family == IpFamily::kV4 ? "IPv4" : "IPv6", ip_a, ip_b, ingress ? "ingress" : "egress",
                       ingress ? "-" : "8");
      } else {
        fmt::format_to(std::back_inserter(b), "2 {} {} {} {} {} {} {} {} {} {} {} {} OK\n", acct, e.eni->id, ip_a, ip_b, sp,
                       dp, protocol, packets, bytes, t0, t1, accept ? "ACCEPT" : "REJECT");
      }
      ++records;
    };
    while (b.size() < per_file) {
      const Eni& e = *log_enis[rng.skewed(log_enis.size())];
      const uint32_t t0 = file_start + uint32_t(rng.below(3600));
      const uint32_t t1 = t0 + 1 + uint32_t(rng.below(600));
      const uint32_t eph = 32768 + uint32_t(rng.below(28000));
      const double roll = rng.real();
      if (roll < 0.55 && !e.services.empty()) {  // inbound connection: request and answer
        const Service& s = e.services[rng.skewed(e.services.size())];
        IpAddress peer = peer_for(e, s);
        const IpAddress local = peer.family == IpFamily::kV6 && e.ip6 ? *e.ip6 : e.ip;
        if (peer.family != local.family) peer = internet_client(e);
        const uint64_t pk = 1 + rng.below(40);
        line(e, peer, local, eph, s.port, s.protocol, pk, pk * (60 + rng.below(1400)), t0, t1, true, 2, true);
        line(e, local, peer, s.port, eph, s.protocol, pk, pk * (60 + rng.below(1400)), t0, t1, true, 18, false);
      } else if (roll < 0.85) {  // outbound connection
        IpAddress peer;
        uint32_t port;
        int protocol = proto::kTcp;
        const double k = rng.real();
        if (k < 0.1 && e.ip6) {
          peer = IpAddress::v6((uint128(0x2a01'04f8'0000'0000ULL) << 64) | rng.below(1u << 20));
          port = 443;
        } else if (k < 0.55) {
          peer = IpAddress::v4(clients[rng.skewed(1000)]);
          port = 443;
        } else if (k < 0.65) {
          peer = IpAddress::v4(clients[rng.skewed(1000)]);
          port = 80;
        } else if (k < 0.80) {
          peer = IpAddress::v4((10u << 24) | 2);
          port = 53;
          protocol = proto::kUdp;
        } else if (k < 0.83) {
          peer = IpAddress::v4(clients[rng.skewed(50)]);
          port = 123;
          protocol = proto::kUdp;
        } else if (k < 0.835) {
          peer = IpAddress::v4(clients[100000 + rng.below(20)]);
          port = 4444 + uint32_t(rng.below(3));
        } else {
          // steady: an interface calls a few dependencies (a database, a cache, a queue), not anyone.
          const size_t pick = steady ? size_t((std::hash<std::string_view>{}(e.eni->id) + rng.skewed(16)) % enis.size())
                                     : size_t(rng.below(enis.size()));
          const Eni& other = enis[pick];
          peer = other.ip;
          port = other.services.empty() ? 8080 : other.services[0].port;
        }
        const IpAddress local = peer.family == IpFamily::kV6 ? *e.ip6 : e.ip;
        const uint64_t pk = 1 + rng.below(30);
        line(e, local, peer, eph, port, protocol, pk, pk * (60 + rng.below(1400)), t0, t1, true, 2, false);
        line(e, peer, local, port, eph, protocol, pk, pk * (60 + rng.below(1400)), t0, t1, true, 18, true);
      } else if (roll < 0.93) {  // probes from the internet, rejected
        static const uint16_t kProbe[] = {22, 23, 3389, 445, 5900, 6379, 9200, 27017, 1433, 8080};
        line(e, IpAddress::v4(clients[100 + rng.below(5000)]), e.ip, eph, kProbe[rng.below(10)], proto::kTcp, 1, 44, t0,
             t0 + 1, false, 2, true);
      } else if (roll < 0.94) {  // NODATA
        if (v5) {
          fmt::format_to(std::back_inserter(b), "5 {} {} - - - - - - - - - - {} {} - NODATA - - - - - -\n", e.eni->id,
                         acct, t0, t0 + 600);
        } else {
          fmt::format_to(std::back_inserter(b), "2 {} {} - - - - - - - {} {} - NODATA\n", acct, e.eni->id, t0, t0 + 600);
        }
        ++records;
      } else {  // mid-connection records of long-lived connections (no SYN)
        if (e.services.empty()) continue;
        const Service& s = e.services[0];
        IpAddress peer = peer_for(e, s);
        if (peer.family != IpFamily::kV4) peer = internet_client(e);
        const uint64_t pk = 100 + rng.below(4000);
        line(e, peer, e.ip, eph, s.port, s.protocol, pk, pk * 900, t0, t1, true, 0, true);
        line(e, e.ip, peer, s.port, eph, s.protocol, pk, pk * 900, t0, t1, true, 0, false);
      }
    }
    written += b.size();
    w.finish();
  }
  std::printf("gen_flow_logs: %zu files, %.1f MB of records (%s%s), %llu records, %zu interfaces\n", files,
              double(written) / 1e6, format.c_str(), gzip ? ", gzip" : "", (unsigned long long)records, enis.size());
  return 0;
}
