// The constructors of the account-baseline checks (logging and detection, CIS 3.x and 4.x; the
// environment: Systems Manager, Auto Scaling, the instance metadata service), one per check or tight
// family, each defined in its own source file under src/checks/ and listed in registry_list.cpp.
#pragma once

#include <string_view>
#include <vector>

#include "checks/check.h"

namespace fortress {

[[nodiscard]] Check cloudtrail_multi_region_check();       // cloudtrail_multi_region.cpp
[[nodiscard]] Check cloudtrail_log_validation_check();     // cloudtrail_log_validation.cpp
[[nodiscard]] Check config_recording_all_regions_check();  // config_recording_all_regions.cpp
[[nodiscard]] Check cloudtrail_kms_check();                // cloudtrail_kms.cpp
[[nodiscard]] Check guardduty_enabled_check();             // guardduty_enabled.cpp
[[nodiscard]] Check guardduty_malware_protection_check();  // guardduty_malware_protection.cpp
[[nodiscard]] Check inspector_enabled_check();             // inspector_enabled.cpp
[[nodiscard]] Check access_analyzer_enabled_check();       // access_analyzer_enabled.cpp
[[nodiscard]] Check ssm_managed_instances_check();         // ssm_managed_instances.cpp
[[nodiscard]] Check ssm_patch_noncompliant_check();        // ssm_patch_noncompliant.cpp
[[nodiscard]] Check instance_not_in_asg_check();           // instance_not_in_asg.cpp
[[nodiscard]] Check imdsv2_required_check();               // imdsv2_required.cpp
// CIS 4.1 .. 4.15 ("4.1" .. "4.15"), one table (cis_monitoring_alarms.cpp).
[[nodiscard]] Check cis_monitoring_check(std::string_view control);

}  // namespace fortress
