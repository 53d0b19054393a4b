// The terminal report (docs/output.md, "Terminal"): what is open, grouped by area, most severe first,
// each with the command that fixes it; then a summary that fits one screen and says plainly what was
// NOT looked at. Lines stay within 100 columns except fix commands, which are never broken so they
// can be copied whole. Every value that came from the account goes through terminal_safe().
#include <algorithm>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "report/report.h"
#include "report/scan_summary.h"
#include "report/terminal_text.h"

namespace fortress {

namespace {

constexpr size_t kWidth = 100;
constexpr size_t kMaxListedDiagnostics = 10;
constexpr size_t kMaxDetailLines = 4;  // a longer "why" is cut here; the JSON report has it whole
// Without --verbose, at most this many FAILs of one check are listed; the rest are counted. A large
// account can fail sg-egress-open on 20,000 groups: the screen stays a prioritized list.
constexpr size_t kMaxFailsPerCheck = 25;

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  [[nodiscard]] std::string paint(std::string_view code, std::string_view text) const {
    if (!color_ || text.empty()) return std::string(text);
    return fmt::format("\x1b[{}m{}\x1b[0m", code, text);
  }
  [[nodiscard]] std::string bold(std::string_view t) const { return paint("1", t); }
  [[nodiscard]] std::string dim(std::string_view t) const { return paint("2", t); }
  [[nodiscard]] std::string red(std::string_view t) const { return paint("1;31", t); }
  [[nodiscard]] std::string yellow(std::string_view t) const { return paint("33", t); }
  [[nodiscard]] std::string green(std::string_view t) const { return paint("32", t); }
  [[nodiscard]] std::string severity(Severity s, std::string_view t) const {
    switch (s) {
      case Severity::kCritical:
        return paint("1;97;41", t);
      case Severity::kHigh:
        return paint("1;31", t);
      case Severity::kMedium:
        return paint("33", t);
      case Severity::kLow:
        return paint("36", t);
      case Severity::kInfo:
        return paint("2", t);
    }
    return std::string(t);
  }

 private:
  bool color_;
};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  return out;
}

std::string pad(std::string_view s, size_t width) {
  std::string out(s);
  size_t w = display_width(s);
  if (w < width) out.append(width - w, ' ');
  return out;
}

// "sg-0abc (web-sg)", "sg-0abc", or "-" for an account-wide finding without a resource.
std::string resource_label(const Finding& f) {
  std::string id = f.resource_id.empty() ? std::string("-") : terminal_safe(f.resource_id);
  if (f.resource_name.empty() || f.resource_name == f.resource_id) return id;
  return id + " (" + terminal_safe(f.resource_name) + ")";
}

// Writes `text` word-wrapped, every line starting with `indent` spaces.
void write_wrapped(std::ostream& out, std::string_view text, size_t indent) {
  for (const std::string& line : wrap_words(text, kWidth > indent + 20 ? kWidth - indent : 20)) {
    out << std::string(indent, ' ') << line << '\n';
  }
}

// "a, b, c" over items.
template <typename Range>
std::string join(const Range& items, std::string_view sep) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

std::string plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// One row of a summary: a label column, then the text word-wrapped under itself.
void summary_row(std::ostream& out, std::string_view label, std::string_view text) {
  constexpr size_t kLabel = 14;
  std::vector<std::string> lines = wrap_words(text, kWidth - 2 - kLabel);
  for (size_t i = 0; i < lines.size(); ++i) out << "  " << pad(i == 0 ? label : "", kLabel) << lines[i] << '\n';
}

class TerminalReport {
 public:
  // `account_section`: one account of several (a multi-account folder), in the folder
  // `snapshot`: no report header, an account heading instead, and the summary says whose it is.
  TerminalReport(const ScanReport& report, const TerminalOptions& options, std::ostream& out,
                 bool account_section = false, std::string_view snapshot = {})
      : account_section_(account_section),
        snapshot_(snapshot),
        report_(report),
        options_(options),
        out_(out),
        p_(options.color),
        sorted_(sorted_findings(report.findings)),
        counts_(count_findings(report)),
        incomplete_(scan_incomplete(report)) {}

  void write() {
    if (account_section_) {
      write_account_heading();
    } else {
      write_header();
    }
    write_failures();
    write_muted();
    write_not_assessed();
    if (options_.show_passed) write_passed();
    write_summary();
  }

 private:
  // The findings of one status, in report order; sets the region column's width for their section.
  [[nodiscard]] std::vector<const Finding*> with_status(FindingStatus s) {
    std::vector<const Finding*> out;
    region_width_ = 0;
    for (const Finding* f : sorted_) {
      if (f->status != s) continue;
      out.push_back(f);
      region_width_ = std::max(region_width_, display_width(region_label(f->region)));
    }
    return out;
  }

  [[nodiscard]] std::string account_label() const {
    const Account* a = report_.account;
    if (a == nullptr || a->account_id.empty()) return "unknown account";
    return "account " + terminal_safe(a->account_id);
  }

  void write_account_heading() {
    std::string heading = fmt::format("=== {} ", upper(account_label()));
    if (!snapshot_.empty()) heading += fmt::format("(snapshot {}/) ", terminal_safe(snapshot_));
    if (display_width(heading) < kWidth) heading.append(kWidth - display_width(heading), '=');
    out_ << '\n' << p_.bold(heading) << '\n';
  }

  void write_header() {
    out_ << p_.bold(fmt::format("fortress {}", report_.tool_version)) << "  " << account_label() << "  "
         << terminal_safe(report_.generated_at) << '\n';
  }

  void write_failures() {
    std::vector<const Finding*> fails = with_status(FindingStatus::kFail);
    out_ << '\n';
    if (fails.empty()) {
      out_ << p_.green("No FAIL findings") << " in the data that was scanned"
           << (counts_.status(FindingStatus::kNotAssessed) > 0 || incomplete_
                   ? " (see what was not assessed below)."
                   : ".")
           << '\n';
      return;
    }
    // Group by area in review order; within an area the global order already puts critical first.
    for (Area area : kAreasInOrder) {
      std::vector<const Finding*> in_area;
      for (const Finding* f : fails) {
        if (f->area == area) in_area.push_back(f);
      }
      if (in_area.empty()) continue;
      out_ << p_.bold(fmt::format("{} ({} failed)", upper(to_string(area)), in_area.size())) << '\n';
      std::vector<std::pair<std::string_view, size_t>> per_check;  // check id, FAILs seen, in order
      for (const Finding* f : in_area) {
        auto it = std::find_if(per_check.begin(), per_check.end(), [&](const auto& c) { return c.first == f->check_id; });
        if (it == per_check.end()) it = per_check.insert(per_check.end(), {f->check_id, 0});
        if (++it->second <= kMaxFailsPerCheck || options_.verbose) write_failure(*f);
      }
      for (const auto& [check, seen] : per_check) {
        if (seen <= kMaxFailsPerCheck || options_.verbose) continue;
        out_ << "  " << p_.dim(fmt::format("... and {} more {} failures (--verbose or --format json lists all)",
                                           seen - kMaxFailsPerCheck, terminal_safe(check)))
             << '\n';
      }
      out_ << '\n';
    }
  }

  void write_failure(const Finding& f) {
    constexpr size_t kIndent = 12;  // "  " + severity column
    std::string sev = upper(to_string(f.severity));
    out_ << "  " << p_.severity(f.severity, sev) << std::string(10 - sev.size(), ' ')
         << pad(region_label(f.region), region_width_) << "  " << resource_label(f) << "  "
         << p_.dim(terminal_safe(f.check_id)) << '\n';
    std::vector<std::string> detail =
        wrap_words(terminal_safe(f.detail.empty() ? f.title.view() : f.detail.view()), kWidth - kIndent);
    if (detail.size() > kMaxDetailLines) {
      detail.resize(kMaxDetailLines);
      detail.push_back(p_.dim("[cut here: --format json has the full detail]"));
    }
    for (const std::string& line : detail) out_ << std::string(kIndent, ' ') << line << '\n';
    if (!f.remediation_cli.empty()) {
      // One command per line, never wrapped, so it can be copied as it is.
      std::string_view cli = f.remediation_cli;
      bool first = true;
      while (!cli.empty()) {
        size_t nl = cli.find('\n');
        std::string_view line = cli.substr(0, nl);
        out_ << std::string(kIndent, ' ') << (first ? p_.dim("fix: ") : std::string("     "))
             << terminal_safe(line) << '\n';
        first = false;
        cli = nl == std::string_view::npos ? std::string_view() : cli.substr(nl + 1);
      }
    } else if (!f.remediation_text.empty()) {
      write_wrapped(out_, "fix: " + terminal_safe(f.remediation_text), kIndent);
    }
  }

  void write_muted() {
    std::vector<const Finding*> muted = with_status(FindingStatus::kMuted);
    if (muted.empty()) return;
    out_ << p_.bold(fmt::format("MUTED ({}) by the mutelist; not counted as failures", muted.size())) << '\n';
    for (const Finding* f : muted) {
      std::string line = fmt::format(
          "{}  {}  {}  {}  reason: {}", to_string(f->severity), pad(region_label(f->region), region_width_),
          resource_label(*f), terminal_safe(f->check_id),
          f->mute_reason.empty() ? std::string("(none given)") : terminal_safe(f->mute_reason));
      std::vector<std::string> lines = wrap_words(line, kWidth - 2);
      for (size_t i = 0; i < lines.size(); ++i) out_ << (i == 0 ? "  " : "      ") << lines[i] << '\n';
    }
    out_ << '\n';
  }

  // NOT_ASSESSED findings are summarized per check and reason, with the regions, not one per line:
  // when a dataset is missing every check that needs it says so in every region.
  void write_not_assessed() {
    std::vector<const Finding*> na = with_status(FindingStatus::kNotAssessed);
    if (na.empty()) return;
    if (!account_collected(report_.account)) {
      // Every check says the same: one entry, not one per check.
      out_ << p_.yellow(p_.bold(fmt::format("NOT COLLECTED: {} not assessed in this account",
                                            plural(na.size(), "check", "checks"))))
           << '\n';
      write_wrapped(out_, terminal_safe(na.front()->detail), 2);
      out_ << '\n';
      return;
    }
    struct Group {
      std::set<std::string> regions;
      size_t count = 0;
    };
    // check id -> reason -> regions; checks in report order of their first finding.
    std::vector<std::string_view> check_order;
    std::map<std::string_view, std::map<std::string, Group>> groups;
    for (const Finding* f : na) {
      auto [it, inserted] = groups.try_emplace(f->check_id);
      if (inserted) check_order.push_back(f->check_id);
      Group& g = it->second[f->detail.str()];
      g.regions.insert(std::string(region_label(f->region)));
      ++g.count;
    }
    out_ << p_.yellow(p_.bold(fmt::format(
                "NOT ASSESSED ({}, {}): the data these checks need is missing or failed",
                plural(na.size(), "finding", "findings"), plural(groups.size(), "check", "checks"))))
         << '\n';
    // Checks that were not assessed for the same reasons in the same regions share one entry (the
    // four flow-log checks without flow logs), so the reason is read once.
    std::vector<std::pair<std::vector<std::string_view>, std::string_view>> entries;  // checks, first check
    std::map<std::string, size_t> by_reasons;
    for (std::string_view check : check_order) {
      std::string key;
      for (const auto& [reason, g] : groups[check]) {
        key += fmt::format("{}\x1f{}\x1f{}\x1e", reason, join(g.regions, ","), g.count);
      }
      auto [it, inserted] = by_reasons.try_emplace(key, entries.size());
      if (inserted) entries.push_back({{}, check});
      entries[it->second].first.push_back(check);
    }
    for (const auto& [checks, check] : entries) {
      std::vector<std::string> names;
      for (std::string_view c : checks) names.push_back(terminal_safe(c));
      std::vector<std::string> heading = wrap_words(join(names, ", "), kWidth - 2);
      for (const std::string& line : heading) out_ << "  " << line << '\n';
      for (const auto& [reason, g] : groups[check]) {
        std::string text =
            fmt::format("{} ({}{}): {}", join(g.regions, ", "), plural(g.count, "resource", "resources"),
                        checks.size() > 1 ? " each" : "", reason.empty() ? std::string("no reason given") : reason);
        // Hanging indent: the regions start the entry, the reason's continuation lines sit under it.
        std::vector<std::string> lines = wrap_words(terminal_safe(text), kWidth - 6);
        for (size_t i = 0; i < lines.size(); ++i) out_ << (i == 0 ? "    " : "      ") << lines[i] << '\n';
      }
    }
    out_ << '\n';
  }

  void write_passed() {
    std::vector<const Finding*> passed = with_status(FindingStatus::kPass);
    out_ << p_.bold(fmt::format("PASSED ({})", passed.size())) << '\n';
    for (const Finding* f : passed) {
      std::string line =
          fmt::format("{}  {}  {}  {}", pad(region_label(f->region), region_width_), resource_label(*f),
                      terminal_safe(f->check_id), terminal_safe(f->detail));
      std::vector<std::string> lines = wrap_words(line, kWidth - 2);
      for (size_t i = 0; i < lines.size(); ++i) out_ << (i == 0 ? "  " : "      ") << lines[i] << '\n';
    }
    out_ << '\n';
  }

  // ---- summary ------------------------------------------------------------------------------

  void row(std::string_view label, std::string_view text) {
    constexpr size_t kLabel = 14;
    std::vector<std::string> lines = wrap_words(text, kWidth - 2 - kLabel);
    for (size_t i = 0; i < lines.size(); ++i) {
      out_ << "  " << pad(i == 0 ? label : "", kLabel) << lines[i] << '\n';
    }
  }
  // A continuation under a summary row, indented further.
  void sub_row(std::string_view text, size_t extra = 0) {
    size_t indent = 16 + extra;
    write_wrapped(out_, text, indent);
  }

  void write_summary() {
    out_ << p_.bold(account_section_ ? fmt::format("SUMMARY of {}", account_label()) : std::string("SUMMARY")) << '\n';
    const Account* a = report_.account;
    std::string account =
        a == nullptr || a->account_id.empty() ? std::string("unknown") : terminal_safe(a->account_id);
    if (a != nullptr && a->caller_identity && !a->caller_identity->arn.empty()) {
      account += " as " + terminal_safe(a->caller_identity->arn);
    }
    row("Account", account);
    row("Generated",
        fmt::format("{} by fortress {}", terminal_safe(report_.generated_at), report_.tool_version));

    row("Findings",
        fmt::format("{} FAIL, {} PASS, {} NOT_ASSESSED, {} MUTED", counts_.status(FindingStatus::kFail),
                    counts_.status(FindingStatus::kPass), counts_.status(FindingStatus::kNotAssessed),
                    counts_.status(FindingStatus::kMuted)));
    std::vector<std::string> sev;
    for (Severity s : kSeveritiesDescending)
      sev.push_back(fmt::format("{} {}", to_string(s), counts_.fails(s)));
    row("FAIL by sev.", join(sev, ", "));
    std::vector<std::string> areas;
    for (Area ar : kAreasInOrder) {
      if (counts_.fails(ar) > 0) areas.push_back(fmt::format("{} {}", to_string(ar), counts_.fails(ar)));
    }
    row("FAIL by area", areas.empty() ? std::string("none") : join(areas, ", "));

    write_regions_and_coverage();
    write_load();
    write_result();
  }

  void write_regions_and_coverage() {
    const Account* a = report_.account;
    std::vector<std::string_view> regions = scanned_regions(a);
    row("Regions", regions.empty()
                       ? std::string("none: the snapshot holds no region folder")
                       : fmt::format("{} scanned: {}", regions.size(), terminal_safe(join(regions, ", "))));
    std::vector<std::string> not_scanned = enabled_regions_not_scanned(a);
    if (!not_scanned.empty()) {
      sub_row(p_.yellow(fmt::format("enabled but not in the snapshot (nothing there was checked): {}",
                                    terminal_safe(join(not_scanned, ", ")))));
    }

    // Regions with the same coverage (same datasets missing or failing, for the same reasons) share
    // one entry, so seventeen regions exported the same way take one line. With ~40 datasets the
    // entry stays short: failures one line each (they make the scan incomplete), missing datasets
    // grouped by service ("missing all of: elbv2, guardduty"); --verbose lists each with its reason.
    struct Problem {
      CoverageStatus status;
      Dataset dataset;
      std::string detail;
    };
    struct Entry {
      std::vector<std::string_view> regions;
      size_t ok = 0, total = 0;
      std::vector<Problem> problems;
    };
    std::vector<Entry> entries;
    std::map<std::vector<std::string>, size_t> by_key;
    std::vector<CoverageRow> rows = coverage_rows(a);
    for (size_t i = 0; i < rows.size();) {
      std::string_view region = rows[i].region;
      Entry e;
      e.regions.push_back(region);
      std::vector<std::string> key;
      for (; i < rows.size() && rows[i].region == region; ++i) {
        if (missing_by_design(rows[i], account_section_)) continue;  // e.g. organizations outside a multi-account run
        const Coverage& c = *rows[i].coverage;
        ++e.total;
        if (c.ok()) {
          ++e.ok;
          continue;
        }
        e.problems.push_back({c.status, rows[i].dataset, c.detail});
        key.push_back(fmt::format("{} {}: {}", to_string(c.status), dataset_name(rows[i].dataset), c.detail));
      }
      key.push_back(region == kGlobalRegion ? "global" : "regional");
      auto [it, inserted] = by_key.try_emplace(key, entries.size());
      if (inserted) {
        entries.push_back(std::move(e));
      } else {
        entries[it->second].regions.push_back(region);
      }
    }
    bool first = true;
    for (const Entry& e : entries) {
      // One reason shared by every missing dataset ("region enabled but absent") goes on the header.
      std::string shared_reason;
      bool one_reason = true;
      for (const Problem& pr : e.problems) {
        if (pr.status != CoverageStatus::kMissing) continue;
        if (shared_reason.empty()) shared_reason = pr.detail;
        one_reason = one_reason && pr.detail == shared_reason;
      }
      if (!one_reason) shared_reason.clear();
      std::string text =
          fmt::format("{}: {}/{} datasets", terminal_safe(join(e.regions, ", ")), e.ok, e.total);
      if (!shared_reason.empty() && !options_.verbose) text += " (missing: " + terminal_safe(shared_reason) + ")";
      if (first) {
        row("Coverage", text);
        first = false;
      } else {
        sub_row(text);
      }
      for (const Problem& pr : e.problems) {
        if (pr.status == CoverageStatus::kMissing && !options_.verbose) continue;
        std::string problem = fmt::format("{} {}", to_string(pr.status), dataset_name(pr.dataset));
        if (!pr.detail.empty()) problem += ": " + pr.detail;
        std::string safe = terminal_safe(problem);
        sub_row(pr.status == CoverageStatus::kError ? p_.red(safe) : safe, 2);
      }
      if (!options_.verbose) write_missing_by_service(e.problems, e.regions.front() == kGlobalRegion);
    }
    if (first) row("Coverage", "no data");
  }

  // The missing datasets of one coverage entry: services missing whole on one line, the others
  // by dataset.
  template <typename Problem>
  void write_missing_by_service(const std::vector<Problem>& problems, bool global) {
    std::vector<std::string> whole;
    std::vector<std::string> partial;
    for (size_t i = 0; i < problems.size();) {
      if (problems[i].status != CoverageStatus::kMissing) {
        ++i;
        continue;
      }
      std::string_view service = dataset_info(problems[i].dataset).service;
      std::vector<std::string> names;
      for (; i < problems.size() && problems[i].status == CoverageStatus::kMissing &&
             dataset_info(problems[i].dataset).service == service;
           ++i) {
        names.push_back(dataset_name(problems[i].dataset));
      }
      size_t in_service = 0;  // in this scope (account-wide or regional)
      size_t in_service_anywhere = 0;
      for (size_t d = 0; d < kDatasetCount; ++d) {
        const DatasetInfo& info = dataset_info(Dataset(d));
        if (info.service != service) continue;
        ++in_service_anywhere;
        if (info.account_wide == global) ++in_service;
      }
      // "ec2 (1)" for describe-regions alone would read as "all of EC2": named instead.
      if (names.size() == in_service && (in_service > 1 || in_service_anywhere == 1)) {
        whole.push_back(fmt::format("{} ({})", service, in_service));
      } else {
        partial.insert(partial.end(), names.begin(), names.end());
      }
    }
    if (!whole.empty()) sub_row("missing all of: " + terminal_safe(join(whole, ", ")), 2);
    if (!partial.empty()) sub_row("missing " + terminal_safe(join(partial, ", ")), 2);
  }

  void write_load() {
    std::vector<const LoadDiagnostic*> diags = sorted_diagnostics(report_.diagnostics);
    std::vector<std::string> unknown = report_.unknown_files;
    std::sort(unknown.begin(), unknown.end());
    std::string text = fmt::format("{}, {}", plural(counts_.load_errors, "error", "errors"),
                                   plural(counts_.load_warnings, "warning", "warnings"));
    if (!unknown.empty())
      text += fmt::format(", {} of no known kind", plural(unknown.size(), "file", "files"));
    if (!options_.verbose && (counts_.load_warnings > 0 || !unknown.empty()))
      text += " (--verbose lists them)";
    row("Load", text);
    size_t listed = 0, hidden = 0;
    for (const LoadDiagnostic* d : diags) {
      bool wanted = d->level == LoadDiagnostic::Level::kError || options_.verbose;
      if (!wanted) continue;
      if (listed == kMaxListedDiagnostics && !options_.verbose) {
        ++hidden;
        continue;
      }
      ++listed;
      std::string where = diagnostic_location(*d);
      std::string line = where.empty() ? fmt::format("{}: {}", to_string(d->level), terminal_safe(d->message))
                                       : fmt::format("{}: {}: {}", to_string(d->level), terminal_safe(where),
                                                     terminal_safe(d->message));
      sub_row(d->level == LoadDiagnostic::Level::kError ? p_.red(line) : line, 2);
    }
    if (hidden > 0) sub_row(fmt::format("... and {} more errors (all are on stderr)", hidden), 2);
    if (options_.verbose) {
      for (const std::string& f : unknown) sub_row("unknown kind: " + terminal_safe(f), 2);
    }
  }

  void write_result() {
    size_t fails = counts_.status(FindingStatus::kFail);
    if (fails > 0) {
      std::vector<std::string> sev;
      for (Severity s : kSeveritiesDescending) {
        if (counts_.fails(s) > 0) sev.push_back(fmt::format("{} {}", counts_.fails(s), to_string(s)));
      }
      row("Result", p_.red(fmt::format("{} ({})", plural(fails, "FAIL", "FAILs"), join(sev, ", "))) +
                        ": fix from the top of the list down.");
    } else {
      row("Result", p_.green("no FAIL") + " in the data that was scanned.");
    }
    if (incomplete_) {
      sub_row(
          p_.yellow("INCOMPLETE:") +
          " some data failed to load or to be collected (see Coverage and Load); what it would have shown is"
          " unknown.");
    }
    if (size_t na = counts_.status(FindingStatus::kNotAssessed); na > 0) {
      sub_row(fmt::format(
          "{} NOT_ASSESSED: their data is missing or failed to load; not checked, not passed.", na));
    }
  }

  bool account_section_;
  std::string_view snapshot_;
  const ScanReport& report_;
  const TerminalOptions& options_;
  std::ostream& out_;
  Painter p_;
  std::vector<const Finding*> sorted_;
  ScanCounts counts_;
  bool incomplete_;
  size_t region_width_ = 0;
};

std::string fail_breakdown(const ScanCounts& c) {
  std::vector<std::string> sev;
  for (Severity s : kSeveritiesDescending) {
    if (c.fails(s) > 0) sev.push_back(fmt::format("{} {}", c.fails(s), to_string(s)));
  }
  return sev.empty() ? std::string() : " (" + join(sev, ", ") + ")";
}

// The last section of a multi-account report: one line per account, then the totals.
void write_total(const MultiAccountReport& report, const TerminalOptions& options, std::ostream& out) {
  const Painter p(options.color);
  const ScanCounts total = count_findings(report);
  out << '\n' << p.bold(fmt::format("TOTAL over {}", plural(report.accounts.size(), "account", "accounts"))) << '\n';
  size_t width = 0;
  for (const AccountScan& a : report.accounts) {
    const Account* acc = a.report.account;
    width = std::max(width, display_width(acc != nullptr && !acc->account_id.empty() ? terminal_safe(acc->account_id)
                                                                                    : terminal_safe(a.snapshot)));
  }
  size_t not_collected = 0, incomplete = 0, failing = 0;
  bool first = true;
  for (const AccountScan& a : report.accounts) {
    const Account* acc = a.report.account;
    const std::string id = acc != nullptr && !acc->account_id.empty() ? terminal_safe(acc->account_id)
                                                                     : terminal_safe(a.snapshot);
    const ScanCounts c = count_findings(a.report);
    std::string text;
    if (!account_collected(acc)) {
      ++not_collected;
      const Coverage& why = acc != nullptr ? acc->global_coverage[size_t(Dataset::kCallerIdentity)] : Coverage{};
      text = p.yellow("NOT COLLECTED") + ": " +
             terminal_safe(why.detail.empty() ? std::string("nothing in it could be read") : why.detail);
    } else {
      const size_t fails = c.status(FindingStatus::kFail);
      failing += fails > 0;
      text = (fails > 0 ? p.red(plural(fails, "FAIL", "FAILs")) : p.green("no FAIL")) + fail_breakdown(c);
      if (size_t na = c.status(FindingStatus::kNotAssessed); na > 0) text += fmt::format(", {} NOT_ASSESSED", na);
      if (scan_incomplete(a.report)) {
        ++incomplete;
        text += ", " + p.yellow("INCOMPLETE");
      }
    }
    summary_row(out, first ? "Accounts" : "", pad(id, width) + "  " + text);
    first = false;
  }
  summary_row(out, "Findings",
              fmt::format("{} FAIL, {} PASS, {} NOT_ASSESSED, {} MUTED", total.status(FindingStatus::kFail),
                          total.status(FindingStatus::kPass), total.status(FindingStatus::kNotAssessed),
                          total.status(FindingStatus::kMuted)));
  std::vector<std::string> sev;
  for (Severity s : kSeveritiesDescending) sev.push_back(fmt::format("{} {}", to_string(s), total.fails(s)));
  summary_row(out, "FAIL by sev.", join(sev, ", "));
  std::vector<std::string> areas;
  for (Area ar : kAreasInOrder) {
    if (total.fails(ar) > 0) areas.push_back(fmt::format("{} {}", to_string(ar), total.fails(ar)));
  }
  summary_row(out, "FAIL by area", areas.empty() ? std::string("none") : join(areas, ", "));
  if (!report.diagnostics.empty()) {
    summary_row(out, "Folder", plural(report.diagnostics.size(), "file is", "files are") +
                                   std::string(" in no account's snapshot folder (ignored; --verbose lists them)"));
    if (options.verbose) {
      for (const LoadDiagnostic* d : sorted_diagnostics(report.diagnostics)) {
        summary_row(out, "", "  " + terminal_safe(d->file));
      }
    }
  }
  const size_t fails = total.status(FindingStatus::kFail);
  if (fails > 0) {
    summary_row(out, "Result",
                p.red(fmt::format("{}{}", plural(fails, "FAIL", "FAILs"), fail_breakdown(total))) +
                    fmt::format(" in {} of {}: fix each account's list from the top down.", failing,
                                plural(report.accounts.size(), "account", "accounts")));
  } else {
    summary_row(out, "Result", p.green("no FAIL") + " in the data that was scanned.");
  }
  if (not_collected > 0) {
    summary_row(out, "",
                p.yellow(fmt::format("NOT COLLECTED: {} of {}", not_collected,
                                     plural(report.accounts.size(), "account", "accounts"))) +
                    ": nothing in them was checked, nothing passed.");
  }
  if (incomplete > 0) {
    summary_row(out, "",
                p.yellow(fmt::format("INCOMPLETE: {} of {}", incomplete, plural(report.accounts.size(), "account", "accounts"))) +
                    ": some data failed to load or to be collected (see each account's Coverage).");
  }
}

}  // namespace

void write_terminal(const ScanReport& report, const TerminalOptions& options, std::ostream& out) {
  TerminalReport(report, options, out).write();
}

void write_terminal(const MultiAccountReport& report, const TerminalOptions& options, std::ostream& out) {
  const Painter p(options.color);
  out << p.bold(fmt::format("fortress {}", report.tool_version)) << "  "
      << plural(report.accounts.size(), "account", "accounts") << "  " << terminal_safe(report.generated_at) << '\n';
  for (const AccountScan& a : report.accounts) TerminalReport(a.report, options, out, true, a.snapshot).write();
  write_total(report, options, out);
}

}  // namespace fortress
