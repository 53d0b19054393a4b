#include "iam/analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

namespace fortress::iam {

namespace {

// AdministratorAccess has read {"Effect":"Allow","Action":"*","Resource":"*"} since AWS created
// it; it is used when an entity attaches it but its document was not exported.
constexpr std::string_view kAdministratorAccessDocument =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";

// yes > conditional > unknown > no: how close a verdict is to "it can".
int rank(Verdict v) {
  switch (v) {
    case Verdict::kNo: return 0;
    case Verdict::kUnknown: return 1;
    case Verdict::kConditional: return 2;
    case Verdict::kYes: return 3;
  }
  return 0;
}

// Every action: "*:*" rather than "*", so that a policy granting "*:*" (every action of every
// service, which is every action there is) counts as full admin, as AWS reads it.
constexpr std::string_view kEveryAction = "*:*";

Verdict worst(Verdict a, Verdict b) {
  return rank(a) < rank(b) ? a : b;
}

Verdict of(Decision d) {
  switch (d) {
    case Decision::kAllowed: return Verdict::kYes;
    case Decision::kConditional: return Verdict::kConditional;
    case Decision::kUnknown: return Verdict::kUnknown;
    case Decision::kNotAllowed:
    case Decision::kDenied: return Verdict::kNo;
  }
  return Verdict::kNo;
}

Verdict overall(const std::vector<AdminPath>& paths, bool unknown) {
  bool conditional = false;
  for (const AdminPath& p : paths) {
    if (!p.conditional) return Verdict::kYes;
    conditional = true;
  }
  if (conditional) return Verdict::kConditional;
  return unknown ? Verdict::kUnknown : Verdict::kNo;
}

Step ask_step(const PolicySet& set, const PolicyVariables& vars, Request request) {
  Step s;
  s.action = request.action_text;
  s.resource = request.resource_text;
  s.answer = evaluate(set, request, vars);
  return s;
}

// The step grants everything it asked for: allowed or conditional, and no Deny cuts part of it out
// ("*" on "*" with a Deny on iam:* is not full admin).
bool whole(const Step& s) {
  const Verdict v = s.verdict();
  return (v == Verdict::kYes || v == Verdict::kConditional) && (!s.answer || s.answer->exceptions.empty());
}

// Why a step that is kUnknown is unknown.
std::string unknown_reason(const Step& s) {
  if (s.trust && s.trust->decision == Decision::kUnknown) return s.trust->problem;
  if (s.answer && s.answer->decision == Decision::kUnknown) return s.answer->explain();
  return "unknown";
}

}  // namespace

bool is_aws_managed_policy(std::string_view arn, std::string_view name) {
  if (!arn.starts_with("arn:")) return false;
  const size_t at = arn.find(":iam::aws:policy/");
  if (at == std::string_view::npos) return false;
  const std::string_view rest = arn.substr(at + 17);
  const size_t slash = rest.rfind('/');
  return (slash == std::string_view::npos ? rest : rest.substr(slash + 1)) == name;
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::kYes: return "yes";
    case Verdict::kConditional: return "conditional";
    case Verdict::kNo: return "no";
    case Verdict::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(PathKind k) {
  switch (k) {
    case PathKind::kFullAdmin: return "full-admin";
    case PathKind::kIamFullAccess: return "iam-full-access";
    case PathKind::kCreatePolicyVersion: return "create-policy-version";
    case PathKind::kSetDefaultPolicyVersion: return "set-default-policy-version";
    case PathKind::kAttachPolicy: return "attach-policy";
    case PathKind::kPutInlinePolicy: return "put-inline-policy";
    case PathKind::kJoinGroup: return "join-admin-group";
    case PathKind::kCredentialsOf: return "credentials-of-admin-user";
    case PathKind::kAssumeRole: return "assume-admin-role";
    case PathKind::kUpdateTrust: return "update-admin-role-trust";
    case PathKind::kPassRole: return "pass-admin-role";
  }
  return "unknown";
}

const PolicyVersionText* ManagedPolicyText::default_version() const {
  for (const PolicyVersionText& v : versions) {
    if (v.is_default || (!default_version_id.empty() && v.version_id == default_version_id)) return &v;
  }
  return versions.size() == 1 ? &versions[0] : nullptr;
}

Verdict Step::verdict() const {
  Verdict v = Verdict::kYes;
  if (answer) v = worst(v, of(answer->decision));
  if (trust) v = worst(v, of(trust->decision));
  return v;
}

JsonValue Step::to_json() const {
  JsonValue o = JsonValue::object();
  o.set("action", action);
  o.set("resource", resource);
  o.set("verdict", to_string(verdict()));
  if (answer) {
    o.set("why", answer->explain());
    o.set("answer", answer->to_json());
  }
  if (trust) {
    o.set("trust", trust->explain());
    o.set("trust_path", to_string(trust->path));
  }
  if (!note.empty()) o.set("note", note);
  return o;
}

JsonValue AdminPath::to_json() const {
  JsonValue o = JsonValue::object();
  o.set("kind", to_string(kind));
  o.set("summary", summary);
  if (!through.empty()) o.set("through", through);
  o.set("conditional", conditional);
  JsonValue steps_json = JsonValue::array();
  for (const Step& s : steps) steps_json.push(s.to_json());
  o.set("steps", std::move(steps_json));
  return o;
}

const PrincipalAnalysis* Analysis::find(std::string_view arn) const {
  for (const PrincipalAnalysis& p : principals_) {
    if (p.arn == arn) return &p;
  }
  return nullptr;
}

// Builds an Analysis: parses documents, assembles each principal's policy set, then runs the
// probes. Lives only for the duration of Analysis::build().
class Analyzer {
 public:
  Analyzer(const Inventory& inv, Analysis& out) : inv_(inv), out_(out) {}

  void run() {
    index_policies();
    build_principals();
    build_groups();
    for (PrincipalAnalysis& p : out_.principals_) direct_admin(p);
    for (PrincipalAnalysis& p : out_.principals_) self_modification(p);
    for (PrincipalAnalysis& p : out_.principals_) p.admin = overall(p.admin_paths, !p.admin_unknown.empty());
    through_others();
    for (PrincipalAnalysis& p : out_.principals_) data_read(p);
  }

 private:
  struct Parsed {
    const PolicyDocument* document = nullptr;
    std::string problem;
  };

  struct ManagedEntry {
    const ManagedPolicyText* text = nullptr;
    Parsed default_doc;
    std::vector<std::pair<const PolicyVersionText*, Parsed>> other_versions;
  };

  struct GroupEntry {
    const GroupEntity* group = nullptr;
    PolicySet* set = nullptr;
    Verdict admin = Verdict::kNo;
    std::vector<Step> admin_steps;  // what makes it admin (one step) or unknown
  };

  Parsed parse(std::string_view text, DocumentKind kind, std::string where) {
    Parsed p;
    if (text.empty()) {
      p.problem = "its document was not collected";
      return p;
    }
    Expected<PolicyDocument> doc = parse_policy_document(text, kind);
    if (!doc) {
      p.problem = "its document is malformed: " + doc.error().message;
      out_.problems_.push_back({std::move(where), doc.error().message});
      return p;
    }
    out_.documents_.push_back(std::make_unique<PolicyDocument>(std::move(*doc)));
    p.document = out_.documents_.back().get();
    return p;
  }

  void index_policies() {
    for (const ManagedPolicyText& m : inv_.policies) {
      ManagedEntry e;
      e.text = &m;
      const PolicyVersionText* def = m.default_version();
      const std::string where = fmt::format("managed policy {}", m.arn);
      if (def != nullptr) {
        e.default_doc = parse(def->document, DocumentKind::kIdentity, where + " " + def->version_id);
      } else {
        e.default_doc.problem = "its default version's document was not collected";
      }
      for (const PolicyVersionText& v : m.versions) {
        if (&v == def) continue;
        e.other_versions.emplace_back(&v, parse(v.document, DocumentKind::kIdentity, where + " " + v.version_id));
      }
      managed_.emplace(m.arn, std::move(e));
    }
    for (const GroupEntity& g : inv_.groups) groups_by_name_.emplace(g.name, &g);
  }

  // The managed policy `arn` as attached to an entity.
  AttachedPolicy managed(std::string_view arn, std::string via_group) {
    AttachedPolicy a;
    a.arn = std::string(arn);
    a.name = a.arn.substr(a.arn.rfind('/') + 1);
    a.origin = a.arn.find(":iam::aws:policy/") != std::string::npos ? PolicyOrigin::kAwsManaged
                                                                    : PolicyOrigin::kCustomerManaged;
    a.via_group = std::move(via_group);
    auto it = managed_.find(a.arn);
    if (it != managed_.end()) {
      a.name = it->second.text->name.empty() ? a.name : it->second.text->name;
      a.document = it->second.default_doc.document;
      a.problem = it->second.default_doc.problem;
    } else {
      a.problem = "its document was not collected (the policy is not in the export's Policies list)";
    }
    if (a.document == nullptr && is_aws_managed_policy(a.arn, kAdministratorAccess)) {
      if (administrator_access_ == nullptr) {
        administrator_access_ = parse(kAdministratorAccessDocument, DocumentKind::kIdentity, "AdministratorAccess").document;
      }
      a.document = administrator_access_;
      a.problem.clear();
    }
    return a;
  }

  AttachedPolicy inline_policy(const InlinePolicyText& p, std::string_view owner_kind, const std::string& owner,
                               std::string via_group) {
    AttachedPolicy a;
    a.name = p.name;
    a.origin = PolicyOrigin::kInline;
    a.owner = fmt::format("{}/{}", owner_kind, owner);
    a.via_group = std::move(via_group);
    Parsed parsed = parse(p.document, DocumentKind::kIdentity,
                          fmt::format("inline policy \"{}\" of {} \"{}\"", p.name, owner_kind, owner));
    a.document = parsed.document;
    a.problem = parsed.problem;
    return a;
  }

  void add_group_policies(const GroupEntity& g, std::vector<AttachedPolicy>& into, bool as_member) {
    const std::string via = as_member ? g.name : std::string();
    for (const InlinePolicyText& p : g.inline_policies) {
      AttachedPolicy a = inline_policy(p, "group", g.name, via);
      into.push_back(std::move(a));
    }
    for (const std::string& arn : g.managed_policy_arns) into.push_back(managed(arn, via));
  }

  void record(const AttachedPolicy& a, std::string attached_to) {
    if (a.origin == PolicyOrigin::kInline) {
      AttachedPolicy copy = a;
      copy.via_group.clear();
      out_.records_.push_back({std::move(copy), {std::move(attached_to)}});
      return;
    }
    auto it = record_by_arn_.find(a.arn);
    if (it == record_by_arn_.end()) {
      AttachedPolicy copy = a;
      copy.via_group.clear();
      record_by_arn_.emplace(a.arn, out_.records_.size());
      out_.records_.push_back({std::move(copy), {}});
      it = record_by_arn_.find(a.arn);
    }
    std::vector<std::string>& to = out_.records_[it->second].attached_to;
    if (std::find(to.begin(), to.end(), attached_to) == to.end()) to.push_back(std::move(attached_to));
  }

  void set_boundary(PrincipalAnalysis& p, const std::string& arn) {
    if (arn.empty()) return;
    AttachedPolicy b = managed(arn, "");
    b.boundary = true;
    p.policies.boundary = std::move(b);
  }

  void build_principals() {
    const std::string& account = inv_.account_id;
    for (size_t i = 0; i < inv_.users.size(); ++i) {
      const UserEntity& u = inv_.users[i];
      PrincipalAnalysis p;
      p.kind = PrincipalKind::kUser;
      p.index = i;
      p.name = u.name;
      p.arn = u.arn;
      p.id = u.id;
      p.human = u.console_password;
      for (const InlinePolicyText& ip : u.inline_policies) {
        p.policies.identity.push_back(inline_policy(ip, "user", u.name, ""));
        record(p.policies.identity.back(), "user/" + u.name);
      }
      for (const std::string& arn : u.managed_policy_arns) {
        p.policies.identity.push_back(managed(arn, ""));
        record(p.policies.identity.back(), "user/" + u.name);
      }
      for (const std::string& g : u.group_names) {
        auto it = groups_by_name_.find(g);
        if (it == groups_by_name_.end()) {
          AttachedPolicy missing;
          missing.name = g;
          missing.via_group = g;
          missing.problem = fmt::format("group \"{}\" is not in the export", g);
          p.policies.identity.push_back(std::move(missing));
          continue;
        }
        add_group_policies(*it->second, p.policies.identity, true);
      }
      set_boundary(p, u.boundary_arn);
      p.variables.values = {{"aws:username", u.name},
                            {"aws:userid", u.id},
                            {"aws:PrincipalArn", u.arn},
                            {"aws:PrincipalAccount", account},
                            {"aws:PrincipalType", "User"}};
      out_.principals_.push_back(std::move(p));
    }
    for (size_t i = 0; i < inv_.roles.size(); ++i) {
      const RoleEntity& r = inv_.roles[i];
      PrincipalAnalysis p;
      p.kind = PrincipalKind::kRole;
      p.index = i;
      p.name = r.name;
      p.arn = r.arn;
      p.id = r.id;
      p.human = false;
      p.service_linked = r.service_linked();
      for (const InlinePolicyText& ip : r.inline_policies) {
        p.policies.identity.push_back(inline_policy(ip, "role", r.name, ""));
        record(p.policies.identity.back(), "role/" + r.name);
      }
      for (const std::string& arn : r.managed_policy_arns) {
        p.policies.identity.push_back(managed(arn, ""));
        record(p.policies.identity.back(), "role/" + r.name);
      }
      set_boundary(p, r.boundary_arn);
      p.variables.values = {{"aws:PrincipalArn", r.arn},
                            {"aws:PrincipalAccount", account},
                            {"aws:PrincipalType", "AssumedRole"}};
      Parsed trust = parse(r.trust_document, DocumentKind::kTrust, fmt::format("trust policy of role \"{}\"", r.name));
      if (trust.document == nullptr && trust.problem == "its document was not collected") {
        trust.problem = "the trust policy was not collected";
      }
      trust_.push_back(trust);
      out_.principals_.push_back(std::move(p));
    }
  }

  void build_groups() {
    for (const GroupEntity& g : inv_.groups) {
      auto set = std::make_unique<PolicySet>();
      add_group_policies(g, set->identity, false);
      for (const AttachedPolicy& a : set->identity) record(a, "group/" + g.name);
      GroupEntry e;
      e.group = &g;
      e.set = set.get();
      out_.sets_.push_back(std::move(set));
      Step full = ask_step(*e.set, {}, Request::every(kEveryAction, "*"));
      Step iam = ask_step(*e.set, {}, Request::every("iam:*", "*"));
      if (whole(full)) {
        e.admin = full.verdict();
        e.admin_steps.push_back(std::move(full));
      } else if (whole(iam)) {
        e.admin = iam.verdict();
        e.admin_steps.push_back(std::move(iam));
      } else if (full.verdict() == Verdict::kUnknown) {
        e.admin = Verdict::kUnknown;
        e.admin_steps.push_back(std::move(full));
      }
      groups_.push_back(std::move(e));
    }
  }

  // Adds a path when every step (and the target, for paths through another principal) holds;
  // notes why when the only obstacle is something unknown.
  void add_path(PrincipalAnalysis& p, PathKind kind, std::string summary, std::vector<Step> steps,
                std::string through = "", Verdict target = Verdict::kYes, std::string target_unknown = "") {
    Verdict v = target;
    std::string reason = target_unknown;
    for (const Step& s : steps) {
      const Verdict sv = s.verdict();
      if (sv == Verdict::kUnknown && reason.empty()) reason = unknown_reason(s);
      v = worst(v, sv);
    }
    if (v == Verdict::kNo) return;
    if (v == Verdict::kUnknown) {
      p.admin_unknown.push_back(fmt::format("{}: {}", summary, reason));
      return;
    }
    p.admin_paths.push_back({kind, std::move(summary), std::move(steps), std::move(through), v == Verdict::kConditional});
  }

  Step ask(const PrincipalAnalysis& p, Request r) { return ask_step(p.policies, p.variables, std::move(r)); }

  // Whether `action` is allowed (or unknown) on at least one resource: a cheap filter before asking
  // about specific resources.
  bool may(const PrincipalAnalysis& p, std::string_view action) {
    const size_t index = size_t(&p - out_.principals_.data());
    if (may_cache_.size() < out_.principals_.size()) may_cache_.resize(out_.principals_.size());
    for (const auto& [a, result] : may_cache_[index]) {
      if (a == action) return result;
    }
    const Answer a = evaluate(p.policies, Request::some(action, "*"), p.variables);
    const bool result = a.decision != Decision::kNotAllowed && a.decision != Decision::kDenied;
    may_cache_[index].emplace_back(action, result);
    return result;
  }

  void direct_admin(PrincipalAnalysis& p) {
    Step full = ask(p, Request::every(kEveryAction, "*"));
    if (whole(full)) {
      add_path(p, PathKind::kFullAdmin, "allowed every action on every resource (\"*\" on \"*\")", {std::move(full)});
      return;
    }
    Step iam = ask(p, Request::every("iam:*", "*"));
    if (whole(iam)) {
      add_path(p, PathKind::kIamFullAccess,
               "allowed every IAM action on every resource (\"iam:*\" on \"*\"): it can grant itself anything",
               {std::move(iam)});
      return;
    }
    if (full.verdict() == Verdict::kUnknown) {
      p.admin_unknown.push_back("full administrator access: " + unknown_reason(full));
    }
  }

  // What writing its own permissions gets a principal: everything, unless a permissions boundary
  // caps it. Returns the extra steps needed (none, or removing/replacing the boundary) and the
  // verdict (kNo: capped).
  std::pair<Verdict, std::vector<Step>> uncapped(const PrincipalAnalysis& p) {
    if (!p.policies.boundary) return {Verdict::kYes, {}};
    PolicySet alone;
    AttachedPolicy b = *p.policies.boundary;
    b.boundary = false;
    alone.identity.push_back(b);
    const Answer full = evaluate(alone, Request::every(kEveryAction, "*"), p.variables);
    const Answer iam = evaluate(alone, Request::every("iam:*", "*"), p.variables);
    if (full.decision == Decision::kUnknown) {
      Step s;
      s.action = "permissions boundary";
      s.resource = p.policies.boundary->arn;
      s.note = fmt::format("what the boundary allows is unknown: {}", p.policies.boundary->problem);
      return {Verdict::kUnknown, {std::move(s)}};
    }
    if (full.allowed() && full.exceptions.empty()) return {of(full.decision), {}};
    if (iam.allowed() && iam.exceptions.empty()) return {of(iam.decision), {}};
    static constexpr std::array<const char*, 2> kUserActions = {"iam:DeleteUserPermissionsBoundary",
                                                                "iam:PutUserPermissionsBoundary"};
    static constexpr std::array<const char*, 2> kRoleActions = {"iam:DeleteRolePermissionsBoundary",
                                                                "iam:PutRolePermissionsBoundary"};
    for (const char* action : p.kind == PrincipalKind::kUser ? kUserActions : kRoleActions) {
      Step s = ask(p, Request::exact(action, p.arn));
      const Verdict v = s.verdict();
      if (v == Verdict::kYes || v == Verdict::kConditional) {
        s.note = "removes or replaces the permissions boundary that caps it";
        return {v, {std::move(s)}};
      }
    }
    return {Verdict::kNo, {}};
  }

  // A self-modification path: the step that writes permissions, then whatever the boundary needs.
  void self_path(PrincipalAnalysis& p, PathKind kind, std::string summary, Step write) {
    const Verdict wv = write.verdict();
    if (wv == Verdict::kNo) return;
    auto [cap, extra] = uncapped(p);
    if (cap == Verdict::kNo) return;
    std::vector<Step> steps{std::move(write)};
    for (Step& s : extra) steps.push_back(std::move(s));
    add_path(p, kind, std::move(summary), std::move(steps), "", cap,
             cap == Verdict::kUnknown ? "its permissions boundary's document is not available" : "");
  }

  void self_modification(PrincipalAnalysis& p) {
    if (!p.admin_paths.empty()) return;  // already admin directly
    const bool user = p.kind == PrincipalKind::kUser;
    const char* attach = user ? "iam:AttachUserPolicy" : "iam:AttachRolePolicy";
    const char* put = user ? "iam:PutUserPolicy" : "iam:PutRolePolicy";
    if (may(p, attach)) {
      self_path(p, PathKind::kAttachPolicy,
                fmt::format("can attach any managed policy, e.g. AdministratorAccess, to itself ({})", attach),
                ask(p, Request::exact(attach, p.arn)));
    }
    if (may(p, put)) {
      self_path(p, PathKind::kPutInlinePolicy,
                fmt::format("can write an inline policy granting anything on itself ({})", put),
                ask(p, Request::exact(put, p.arn)));
    }
    if (user) {
      const UserEntity& u = inv_.users[p.index];
      for (const std::string& g : u.group_names) {
        auto it = groups_by_name_.find(g);
        if (it == groups_by_name_.end()) continue;
        const GroupEntity& group = *it->second;
        if (may(p, "iam:AttachGroupPolicy")) {
          self_path(p, PathKind::kAttachPolicy,
                    fmt::format("can attach any managed policy to its group \"{}\" (iam:AttachGroupPolicy)", g),
                    ask(p, Request::exact("iam:AttachGroupPolicy", group.arn)));
        }
        if (may(p, "iam:PutGroupPolicy")) {
          self_path(p, PathKind::kPutInlinePolicy,
                    fmt::format("can write an inline policy on its group \"{}\" (iam:PutGroupPolicy)", g),
                    ask(p, Request::exact("iam:PutGroupPolicy", group.arn)));
        }
      }
    }
    // Customer managed policies it has (directly or through a group) that it may rewrite.
    std::vector<std::string> seen;
    for (size_t k = 0; k < p.policies.identity.size(); ++k) {
      const AttachedPolicy& a = p.policies.identity[k];
      if (a.origin != PolicyOrigin::kCustomerManaged) continue;
      if (std::find(seen.begin(), seen.end(), a.arn) != seen.end()) continue;
      seen.push_back(a.arn);
      if (may(p, "iam:CreatePolicyVersion")) {
        self_path(p, PathKind::kCreatePolicyVersion,
                  fmt::format("can rewrite its customer managed policy \"{}\" with a new default version "
                              "(iam:CreatePolicyVersion)",
                              a.name),
                  ask(p, Request::exact("iam:CreatePolicyVersion", a.arn)));
      }
      if (may(p, "iam:SetDefaultPolicyVersion")) set_default_version(p, k);
    }
  }

  // iam:SetDefaultPolicyVersion on a policy it has, one of whose other versions would make it admin.
  void set_default_version(PrincipalAnalysis& p, size_t k) {
    const AttachedPolicy& a = p.policies.identity[k];
    auto it = managed_.find(a.arn);
    if (it == managed_.end()) return;
    for (const auto& [version, parsed] : it->second.other_versions) {
      if (parsed.document == nullptr) continue;
      auto hypothetical = std::make_unique<PolicySet>(p.policies);
      for (AttachedPolicy& h : hypothetical->identity) {
        if (h.arn == a.arn) {
          h.document = parsed.document;
          h.name = fmt::format("{} (version {})", a.name, version->version_id);
        }
      }
      Step full = ask_step(*hypothetical, p.variables, Request::every(kEveryAction, "*"));
      Step iam = ask_step(*hypothetical, p.variables, Request::every("iam:*", "*"));
      Step& grant = whole(full) ? full : iam;
      out_.sets_.push_back(std::move(hypothetical));
      if (!whole(grant)) continue;
      grant.note = fmt::format("with version {} as default, \"{}\" makes it an administrator", version->version_id,
                               a.name);
      Step set = ask(p, Request::exact("iam:SetDefaultPolicyVersion", a.arn));
      add_path(p, PathKind::kSetDefaultPolicyVersion,
               fmt::format("can make version {} of its policy \"{}\" the default (iam:SetDefaultPolicyVersion), "
                           "and that version grants administrator access",
                           version->version_id, a.name),
               {std::move(set), std::move(grant)});
      return;
    }
  }

  Caller caller_of(const PrincipalAnalysis& p) const {
    Caller c;
    c.arn = p.arn;
    c.account = inv_.account_id;
    c.unique_id = p.id;
    c.is_role = p.kind == PrincipalKind::kRole;
    if (c.is_role) c.role_name = p.name;
    return c;
  }

  std::string verdict_reason(const PrincipalAnalysis& t) const {
    return t.admin_unknown.empty() ? std::string("its permissions could not be decided") : t.admin_unknown.front();
  }

  // Paths that end at another admin principal or group, to a fixed point.
  void through_others() {
    for (const PrincipalAnalysis& p : out_.principals_) labels_.push_back(fmt::format("{}/{}", p.kind_name(), p.name));
    std::vector<size_t> direct_count(out_.principals_.size());
    std::vector<size_t> direct_unknown(out_.principals_.size());
    for (size_t i = 0; i < out_.principals_.size(); ++i) {
      direct_count[i] = out_.principals_[i].admin_paths.size();
      direct_unknown[i] = out_.principals_[i].admin_unknown.size();
    }
    for (size_t round = 0; round <= out_.principals_.size(); ++round) {
      std::vector<Verdict> before;
      std::vector<size_t> targets;
      for (const PrincipalAnalysis& p : out_.principals_) {
        if (p.admin != Verdict::kNo) targets.push_back(before.size());
        before.push_back(p.admin);
      }
      for (size_t i = 0; i < out_.principals_.size(); ++i) {
        PrincipalAnalysis& p = out_.principals_[i];
        p.admin_paths.resize(direct_count[i]);
        p.admin_unknown.resize(direct_unknown[i]);
        if (overall(p.admin_paths, false) == Verdict::kYes) continue;
        via_targets(p, before, targets);
        p.admin = overall(p.admin_paths, !p.admin_unknown.empty());
      }
      bool changed = false;
      for (size_t i = 0; i < out_.principals_.size(); ++i) changed = changed || before[i] != out_.principals_[i].admin;
      if (!changed) break;
    }
  }

  // `targets`: the principals whose verdict is not kNo.
  void via_targets(PrincipalAnalysis& p, const std::vector<Verdict>& verdicts, const std::vector<size_t>& targets) {
    const bool user = p.kind == PrincipalKind::kUser;
    // Join an admin group.
    if (user && may(p, "iam:AddUserToGroup")) {
      const UserEntity& u = inv_.users[p.index];
      for (const GroupEntry& g : groups_) {
        if (g.admin == Verdict::kNo) continue;
        if (std::find(u.group_names.begin(), u.group_names.end(), g.group->name) != u.group_names.end()) continue;
        Step join = ask(p, Request::exact("iam:AddUserToGroup", g.group->arn));
        if (join.verdict() == Verdict::kNo) continue;
        auto [cap, extra] = group_capped(p, g);
        if (cap == Verdict::kNo) continue;
        std::vector<Step> steps{std::move(join)};
        for (Step& s : extra) steps.push_back(std::move(s));
        add_path(p, PathKind::kJoinGroup,
                 fmt::format("can add itself to the admin group \"{}\" (iam:AddUserToGroup)", g.group->name),
                 std::move(steps), "group/" + g.group->name, cap,
                 cap == Verdict::kUnknown ? "the group's permissions could not be decided" : "");
      }
    }
    const Caller caller = caller_of(p);
    for (const size_t t : targets) {
      const PrincipalAnalysis& target = out_.principals_[t];
      if (&target == &p || target.service_linked) continue;
      const Verdict tv = verdicts[t];
      const std::string tu = tv == Verdict::kUnknown ? verdict_reason(target) : "";
      const std::string& through = labels_[t];
      if (target.kind == PrincipalKind::kUser) {
        if (may(p, "iam:CreateAccessKey")) {
          add_path(p, PathKind::kCredentialsOf,
                   fmt::format("can create access keys for the admin user \"{}\" (iam:CreateAccessKey)", target.name),
                   {ask(p, Request::exact("iam:CreateAccessKey", target.arn))}, through, tv, tu);
        }
        const std::optional<bool>& has_password = inv_.users[target.index].console_password;
        for (const char* action : {"iam:CreateLoginProfile", "iam:UpdateLoginProfile"}) {
          const bool create = std::string_view(action) == "iam:CreateLoginProfile";
          if (has_password && *has_password == create) continue;  // the call would fail
          if (!may(p, action)) continue;
          add_path(p, PathKind::kCredentialsOf,
                   fmt::format("can set a console password for the admin user \"{}\" ({})", target.name, action),
                   {ask(p, Request::exact(action, target.arn))}, through, tv, tu);
        }
        continue;
      }
      const Parsed& trust = trust_[target.index];
      assume_role(p, caller, target, trust, tv, tu, through);
      if (may(p, "iam:UpdateAssumeRolePolicy")) {
        Step update = ask(p, Request::exact("iam:UpdateAssumeRolePolicy", target.arn));
        if (update.verdict() != Verdict::kNo) {
          Step assume = assume_as_named(p, target);
          assume.note = "after the rewrite the trust policy names it";
          add_path(p, PathKind::kUpdateTrust,
                   fmt::format("can rewrite the trust policy of the admin role \"{}\" to trust itself, then "
                               "assume it (iam:UpdateAssumeRolePolicy)",
                               target.name),
                   {std::move(update), std::move(assume)}, through, tv, tu);
        }
      }
      if (may(p, "iam:PassRole")) pass_role(p, target, trust, tv, tu, through);
    }
  }

  // What joining group `g` gives user `p`: the group's admin verdict, capped by p's boundary.
  std::pair<Verdict, std::vector<Step>> group_capped(const PrincipalAnalysis& p, const GroupEntry& g) {
    std::vector<Step> steps;
    if (!g.admin_steps.empty()) {
      Step s = g.admin_steps.front();
      s.note = fmt::format("the group \"{}\" grants it", g.group->name);
      steps.push_back(std::move(s));
    }
    if (!p.policies.boundary) return {g.admin, std::move(steps)};
    auto [cap, extra] = uncapped(p);
    for (Step& s : extra) steps.push_back(std::move(s));
    return {worst(g.admin, cap), std::move(steps)};
  }

  // sts:AssumeRole on `role` when its trust policy names `p`: the trust policy grants it, so p's
  // own policies need not; their Denies still apply, and for a role caller its permissions boundary
  // too (IAM User Guide, "Policy evaluation logic": a resource-based policy naming a user ARN is not
  // limited by the user's boundary, one naming a role ARN is). Modelled by evaluating p's policies
  // with the trust grant added as one more Allow.
  Step assume_as_named(const PrincipalAnalysis& p, const PrincipalAnalysis& role) {
    std::string text = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":)";
    append_json_string(text, role.arn);
    text += "}]}";
    Parsed grant = parse(text, DocumentKind::kIdentity, "trust grant");
    auto set = std::make_unique<PolicySet>(p.policies);
    if (p.kind == PrincipalKind::kUser) set->boundary.reset();
    AttachedPolicy trust_grant;
    trust_grant.name = fmt::format("the trust policy of role \"{}\"", role.name);
    trust_grant.origin = PolicyOrigin::kTrustPolicy;
    trust_grant.owner = "role/" + role.name;
    trust_grant.document = grant.document;
    set->identity.push_back(std::move(trust_grant));
    Step s = ask_step(*set, p.variables, Request::exact("sts:AssumeRole", role.arn));
    out_.sets_.push_back(std::move(set));
    return s;
  }

  void assume_role(PrincipalAnalysis& p, const Caller& caller, const PrincipalAnalysis& role, const Parsed& trust,
                   Verdict tv, const std::string& tu, const std::string& through) {
    TrustAnswer admitted = trust_admits(trust.document, caller);
    if (admitted.decision == Decision::kNotAllowed || admitted.decision == Decision::kDenied) return;
    Step admits;
    admits.action = "sts:AssumeRole (trust policy)";
    admits.resource = role.arn;
    admits.trust = std::move(admitted);
    if (admits.trust->decision == Decision::kUnknown) admits.trust->problem = trust.problem;
    const Decision td = admits.trust->decision;
    if (td == Decision::kNotAllowed || td == Decision::kDenied) return;
    // Named: the trust policy grants the call. Through the account (or "*"): p's own policies must.
    Step own = admits.trust->path == TrustPath::kNamed ? assume_as_named(p, role)
                                                       : ask(p, Request::exact("sts:AssumeRole", role.arn));
    add_path(p, PathKind::kAssumeRole, fmt::format("can assume the admin role \"{}\" (sts:AssumeRole)", role.name),
             {std::move(admits), std::move(own)}, through, tv, tu);
  }

  struct ServicePass {
    const char* service;    // trust principal
    const char* label;
    std::vector<std::vector<const char*>> needs;  // all of these groups, any action of each group
  };

  void pass_role(PrincipalAnalysis& p, const PrincipalAnalysis& role, const Parsed& trust, Verdict tv,
                 const std::string& tu, const std::string& through) {
    static const std::vector<ServicePass> kPasses = {
        {"ec2.amazonaws.com", "an EC2 instance it launches", {{"ec2:RunInstances"}}},
        {"lambda.amazonaws.com",
         "a Lambda function it creates and runs",
         {{"lambda:CreateFunction"}, {"lambda:InvokeFunction", "lambda:CreateEventSourceMapping"}}},
        {"cloudformation.amazonaws.com", "a CloudFormation stack it creates", {{"cloudformation:CreateStack"}}},
    };
    for (const ServicePass& pass : kPasses) {
      Step admits;
      admits.action = fmt::format("sts:AssumeRole by {} (trust policy)", pass.service);
      admits.resource = role.arn;
      admits.trust = trust_admits_service(trust.document, pass.service);
      if (admits.trust->decision == Decision::kUnknown) admits.trust->problem = trust.problem;
      if (admits.trust->decision == Decision::kNotAllowed || admits.trust->decision == Decision::kDenied) continue;
      bool possible = true;
      for (const auto& group : pass.needs) {
        possible = possible && std::any_of(group.begin(), group.end(), [&](const char* a) { return may(p, a); });
      }
      if (!possible) continue;
      std::vector<Step> steps;
      steps.push_back(ask(p, Request::exact("iam:PassRole", role.arn)));
      if (steps.back().verdict() == Verdict::kNo) continue;
      steps.push_back(std::move(admits));
      bool ok = true;
      for (const auto& group : pass.needs) {
        std::optional<Step> best;
        for (const char* a : group) {
          Step s = ask(p, Request::some(a, "*"));
          if (!best || rank(s.verdict()) > rank(best->verdict())) best = std::move(s);
        }
        if (best->verdict() == Verdict::kNo) ok = false;
        steps.push_back(std::move(*best));
      }
      if (!ok) continue;
      if (std::string_view(pass.service) == "ec2.amazonaws.com" && !inv_.roles[role.index].in_instance_profile) {
        // EC2 takes a role through an instance profile: it needs to make one.
        for (const char* a : {"iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"}) {
          steps.push_back(ask(p, Request::some(a, "*")));
        }
        steps.back().note = "the role is in no instance profile, so one must be created for it";
      }
      add_path(p, PathKind::kPassRole,
               fmt::format("can pass the admin role \"{}\" to {} (iam:PassRole)", role.name, pass.label),
               std::move(steps), through, tv, tu);
    }
  }

  struct DataProbe {
    const char* what;
    std::vector<const char*> actions;  // any of them
    std::string resource;
  };

  void data_read(PrincipalAnalysis& p) {
    const std::string part = inv_.partition.empty() ? "aws" : inv_.partition;
    const std::string acct = inv_.account_id.empty() ? "*" : inv_.account_id;
    const std::vector<DataProbe> probes = {
        {"every S3 object", {"s3:GetObject"}, fmt::format("arn:{}:s3:::*/*", part)},
        {"every Secrets Manager secret", {"secretsmanager:GetSecretValue"},
         fmt::format("arn:{}:secretsmanager:*:{}:secret:*", part, acct)},
        {"every SSM parameter",
         {"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"},
         fmt::format("arn:{}:ssm:*:{}:parameter/*", part, acct)},
        {"every KMS key (where the key policy lets IAM policies grant access)", {"kms:Decrypt"},
         fmt::format("arn:{}:kms:*:{}:key/*", part, acct)},
        {"every DynamoDB table",
         {"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query"},
         fmt::format("arn:{}:dynamodb:*:{}:table/*", part, acct)},
    };
    for (const DataProbe& probe : probes) {
      std::optional<Step> best;
      for (const char* action : probe.actions) {
        Step s = ask(p, Request::every(action, probe.resource));
        if (!best || rank(s.verdict()) > rank(best->verdict())) best = std::move(s);
        if (best->verdict() == Verdict::kYes) break;
      }
      const Verdict v = best->verdict();
      if (v == Verdict::kYes || v == Verdict::kConditional) {
        p.data_reads.push_back({probe.what, std::move(*best), v == Verdict::kConditional});
      } else if (v == Verdict::kUnknown) {
        p.data_unknown.push_back(fmt::format("{}: {}", probe.what, unknown_reason(*best)));
      }
    }
    for (const AttachedPolicy& a : p.policies.identity) {
      if (!is_aws_managed_policy(a.arn, kReadOnlyAccess)) continue;
      Step s;
      s.action = "*:Get*, *:List*, *:Describe* ...";
      s.resource = "*";
      s.note = fmt::format("{} is attached; it reads data in most services", a.label());
      p.data_reads.push_back({"data in most services (AWS managed ReadOnlyAccess)", std::move(s), false});
      break;
    }
    bool conditional = false;
    p.data_read = Verdict::kNo;
    for (const DataRead& d : p.data_reads) {
      if (!d.conditional) p.data_read = Verdict::kYes;
      conditional = conditional || d.conditional;
    }
    if (p.data_read != Verdict::kYes) {
      p.data_read = conditional ? Verdict::kConditional : !p.data_unknown.empty() ? Verdict::kUnknown : Verdict::kNo;
    }
  }

  const Inventory& inv_;
  Analysis& out_;
  std::unordered_map<std::string, ManagedEntry> managed_;
  std::unordered_map<std::string, const GroupEntity*> groups_by_name_;
  std::unordered_map<std::string, size_t> record_by_arn_;
  std::vector<Parsed> trust_;  // by role index
  std::vector<std::string> labels_;  // "user/bob", "role/ops": by principal index
  std::vector<GroupEntry> groups_;
  // Per principal (by index): action -> may(). Actions are string literals of this file.
  std::vector<std::vector<std::pair<std::string_view, bool>>> may_cache_;
  const PolicyDocument* administrator_access_ = nullptr;
};

Analysis Analysis::build(const Inventory& inventory) {
  Analysis out;
  Analyzer(inventory, out).run();
  return out;
}

}  // namespace fortress::iam
