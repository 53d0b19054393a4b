// The reachability report: JSON fields, DOT graph, SVG through libgvc, and `fortress reach` end to end.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "load/snapshot.h"
#include "net_builder.h"
#include "reach/report.h"
#include "support/process.h"

namespace fortress::testing {
namespace {

using ::testing::HasSubstr;

Net web_and_db() {
  Net n = public_network({nacl_in(90, kDeny, tcp(3389), "0.0.0.0/0"), nacl_in(100, kAllow, all_traffic(), "0.0.0.0/0"),
                          nacl_out(100, kAllow, all_traffic(), "0.0.0.0/0")});
  n.group("sg-web", {ingress(tcp(443), "0.0.0.0/0"), ingress(tcp(3389), "0.0.0.0/0", "sgr-rdp"), egress(all_traffic(), "0.0.0.0/0")});
  n.group("sg-db", {ingress(tcp(5432), "sg-web")});
  n.interface({.id = "eni-web", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.10",
               .public_ip = "54.1.2.3", .instance = "i-web", .instance_name = "web-1"});
  n.interface({.id = "eni-db", .subnet = "subnet-1", .groups = {"sg-db"}, .private_ip = "10.0.1.20", .instance = "i-db",
               .instance_name = "db-1"});
  return n;
}

TEST(ReachReport, ExposuresBlastRadiusBlockedRulesAndGraph) {
  Net n = web_and_db();
  const Account& a = n.done();
  const reach::Exposure ex = reach::compute_exposure(a, Config{});
  const JsonValue r = reach::reach_report(a, Config{}, ex, {}, "test");
  EXPECT_EQ(r.get("summary")->get("exposed_resources")->as_int(), 1);
  const JsonValue& web = r.get("exposures")->as_array()[0];
  EXPECT_EQ(web.get("resource_id")->as_string(), "i-web");
  EXPECT_EQ(web.get("exposures")->as_array()[0].get("ports")->as_string(), "443");
  const JsonValue& paths = *web.get("blast_radius")->get("paths");
  ASSERT_EQ(paths.as_array().size(), 1u);
  EXPECT_EQ(paths.as_array()[0].as_string(), "i-web (web-1) -> i-db (db-1):tcp/5432");
  const JsonValue& blocked = r.get("blocked_internet_rules")->as_array()[0];
  EXPECT_EQ(blocked.get("rule_id")->as_string(), "sgr-rdp");
  EXPECT_THAT(blocked.get("explanation")->as_string(), HasSubstr("but NACL acl-1 inbound rule 90 denies it"));

  const std::string dot = reach::reach_dot(r);
  EXPECT_THAT(dot, HasSubstr("\"internet\" [label=\"internet\", shape=doublecircle, style=filled, fillcolor=\"#d62728\""));
  EXPECT_THAT(dot, HasSubstr("\"internet\" -> \"c0\" [label=\"tcp/443\", color=\"#d62728\""));
  EXPECT_THAT(dot, HasSubstr("\"c0\" -> \"c1\" [label=\"tcp/5432\"]"));

  Expected<std::string> svg = reach::render_svg(dot);
  ASSERT_TRUE(svg.has_value()) << svg.error().message;
  EXPECT_THAT(*svg, HasSubstr("<svg"));
  EXPECT_THAT(*svg, HasSubstr("tcp/5432"));
  EXPECT_FALSE(reach::render_svg("digraph { this is not dot").has_value());
}

TEST(ReachCommand, DemoAccountAllFormats) {
  const std::string src = FORTRESS_SOURCE_DIR;
  const std::string base = sh_quote(FORTRESS_BINARY) + " reach " + sh_quote(src + "/examples/demo-account") +
                           " --config " + sh_quote(src + "/examples/demo-fortress.yaml");
  const auto term = run_command(base + " 2>/dev/null");
  EXPECT_EQ(term.exit_code, 3);  // the demo records a failed collection: incomplete, report written
  EXPECT_THAT(term.out, HasSubstr("EXPOSED TO THE INTERNET"));
  EXPECT_THAT(term.out, HasSubstr("prod-bastion"));
  const auto json = run_command(base + " --format json 2>/dev/null");
  Expected<JsonValue> parsed = parse_json_text(json.out);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_GT(parsed->get("summary")->get("exposed_resources")->as_int(), 0);
  const auto dot = run_command(base + " --format dot 2>/dev/null");
  EXPECT_THAT(dot.out, HasSubstr("digraph reach {"));
  const auto svg = run_command(base + " --format svg 2>/dev/null");
  EXPECT_THAT(svg.out, HasSubstr("<svg"));
  const auto bad = run_command(sh_quote(FORTRESS_BINARY) + " reach /nonexistent-dir 2>&1");
  EXPECT_EQ(bad.exit_code, 2);
}

TEST(ReachCommand, ColourOnlyOnATerminalAndNeverWithNoColorNoColorEnvOrDumbTerm) {
  // script(1) gives the command a pseudo-terminal as stdout, as a user's shell would.
  const std::string src = FORTRESS_SOURCE_DIR;
  const std::string reach = sh_quote(FORTRESS_BINARY) + " reach " + sh_quote(src + "/examples/demo-account") +
                            " --config " + sh_quote(src + "/examples/demo-fortress.yaml");
  auto on_tty = [](const std::string& env, const std::string& command) {
    return run_command("env -u NO_COLOR TERM=xterm " + env + " /usr/bin/script -qec " + sh_quote(command + " 2>/dev/null") +
                       " /dev/null");
  };
  const auto colored = on_tty("", reach);
  EXPECT_THAT(colored.out, HasSubstr("\x1b[1mEXPOSED TO THE INTERNET\x1b[0m"));
  EXPECT_THAT(colored.out, HasSubstr("\x1b[1;31m"));
  for (const auto& [env, flags] : std::vector<std::pair<std::string, std::string>>{
           {"", " --no-color"}, {"NO_COLOR=1", ""}, {"TERM=dumb", ""}}) {
    SCOPED_TRACE(env + flags);
    const auto plain = on_tty(env, reach + flags);
    EXPECT_THAT(plain.out, HasSubstr("EXPOSED TO THE INTERNET"));
    EXPECT_EQ(plain.out.find('\x1b'), std::string::npos) << plain.out;
  }
  // Never into a pipe (no terminal) or a file.
  EXPECT_EQ(run_command(reach + " 2>/dev/null").out.find('\x1b'), std::string::npos);
  const std::string file = ::testing::TempDir() + "/reach-no-color.txt";
  on_tty("", reach + " -o " + sh_quote(file));
  std::ifstream in(file);
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(written, HasSubstr("EXPOSED TO THE INTERNET"));
  EXPECT_EQ(written.find('\x1b'), std::string::npos);
}

TEST(ReachReport, TerminalLinesFitOneHundredColumns) {
  const auto loaded = load_snapshot(FORTRESS_SOURCE_DIR "/examples/demo-account", LoadOptions{2});
  ASSERT_TRUE(loaded.has_value());
  const reach::Exposure ex = reach::compute_exposure(loaded->account, Config{});
  std::ostringstream out;
  reach::write_reach_terminal(reach::reach_report(loaded->account, Config{}, ex, {}, "test"), out, false);
  std::istringstream lines(out.str());
  size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    // A single word longer than the width (an ARN) may stand alone; nothing else passes 100.
    if (line.size() > 100) EXPECT_EQ(line.find(' ', line.find_first_not_of(' ')), std::string::npos) << line;
  }
  EXPECT_GT(n, 50u);
  EXPECT_THAT(out.str(), HasSubstr("        path: internet -> "));
}

TEST(ReachReport, TerminalTextFromTheSnapshotCannotInjectEscapes) {
  Net n = web_and_db();
  n.interface({.id = "eni-evil", .subnet = "subnet-1", .groups = {"sg-web"}, .private_ip = "10.0.1.30",
               .public_ip = "54.1.2.4", .instance = "i-evil", .instance_name = "evil\x1b[2Jname"});
  const Account& a = n.done();
  const reach::Exposure ex = reach::compute_exposure(a, Config{});
  std::ostringstream out;
  reach::write_reach_terminal(reach::reach_report(a, Config{}, ex, {}, "test"), out, true);
  EXPECT_THAT(out.str(), HasSubstr("evil\\x1b[2Jname"));
  EXPECT_EQ(out.str().find("\x1b[2J"), std::string::npos);
}

}  // namespace
}  // namespace fortress::testing
