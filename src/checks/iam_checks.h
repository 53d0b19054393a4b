// The constructors of the IAM checks: access (root user, password policy, users' credentials, from
// the credential report, the account summary, the password policy and the virtual MFA devices) and
// permissions (policies and what principals can do, from get-account-authorization-details and the
// IAM analysis in src/iam). Each is defined in the source file named beside it and listed in
// registry_list.cpp.
#pragma once

#include <string_view>

#include "checks/check.h"

namespace fortress {

// ---- access ---------------------------------------------------------------------------------
[[nodiscard]] Check root_access_keys_check();             // iam_root.cpp (CIS 1.4)
[[nodiscard]] Check root_mfa_check();                     // iam_root.cpp (CIS 1.5)
[[nodiscard]] Check root_hardware_mfa_check();            // iam_root.cpp (CIS 1.6)
[[nodiscard]] Check root_used_recently_check();           // iam_root.cpp (CIS 1.7)
[[nodiscard]] Check password_policy_length_check();       // iam_password_policy.cpp (CIS 1.8)
[[nodiscard]] Check password_reuse_check();               // iam_password_policy.cpp (CIS 1.9)
[[nodiscard]] Check user_console_without_mfa_check();     // iam_user_mfa.cpp (CIS 1.10)
[[nodiscard]] Check access_keys_at_setup_check();         // iam_access_keys.cpp (CIS 1.11)
[[nodiscard]] Check credentials_unused_check();           // iam_credentials_unused.cpp (CIS 1.12)
[[nodiscard]] Check user_multiple_active_keys_check();    // iam_access_keys.cpp (CIS 1.13)
[[nodiscard]] Check access_key_rotation_check();          // iam_access_keys.cpp (CIS 1.14)

// ---- permissions ----------------------------------------------------------------------------
[[nodiscard]] Check user_direct_policies_check();         // iam_user_direct_policies.cpp (CIS 1.15)
[[nodiscard]] Check admin_star_policy_check();            // iam_admin_star_policy.cpp (CIS 1.16)
[[nodiscard]] Check support_role_check();                 // iam_managed_policy_use.cpp (CIS 1.17)
[[nodiscard]] Check cloudshell_full_access_check();       // iam_managed_policy_use.cpp (CIS 1.22)
[[nodiscard]] Check iam_admin_equivalent_check();         // iam_admin_equivalent.cpp
[[nodiscard]] Check iam_privileged_share_check();         // iam_privileged_share.cpp
[[nodiscard]] Check iam_data_read_broad_check();          // iam_data_read_broad.cpp

// Whether a check reads CheckContext::iam (the shared IAM analysis); run_checks() computes the
// analysis once when any selected check does.
[[nodiscard]] bool uses_iam_analysis(std::string_view check_id);

}  // namespace fortress
