// The analysis input from the account model: the IAM entities of get-account-authorization-details
// and, for users, whether they can sign in to the console (credential report password_enabled).
#pragma once

#include "iam/analysis.h"
#include "iam/inventory.h"
#include "model/account.h"

namespace fortress::iam {

// Copies what the analysis reads out of the model. A user whose credential-report row is missing
// (or the report was not collected) has console_password nullopt.
[[nodiscard]] Inventory inventory_from(const Account& account);

// inventory_from() then Analysis::build(): what the permissions checks share.
[[nodiscard]] Analysis analyse_account(const Account& account);

}  // namespace fortress::iam
