// Account-wide kinds: ec2 describe-regions, and the collector's FortressCollectionError record.
#include "load/kinds.h"

namespace fortress::load {

error_code parse_region(od::value& element, Element& el) {
  EnabledRegion region;
  error_code e = for_each_field(element, "Regions", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "RegionName") return read(v, key, el, region.name);
    if (key == "OptInStatus") return read(v, key, el, region.opt_in_status);
    return SUCCESS;
  });
  if (e) return e;
  if (region.name.empty()) el.fail("missing RegionName");
  el.id = region.name;
  // describe-regions --all-regions also lists the regions the account has not opted in to.
  if (el.ok() && region.opt_in_status != "not-opted-in") {
    el.file.result().enabled_regions.push_back(std::move(region));
  }
  return SUCCESS;
}

error_code parse_collection_error(od::value& record, Element& el, CollectionErrorRecord& out) {
  return for_each_field(record, "FortressCollectionError", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Service") return read(v, key, el, out.service);
    if (key == "Command") return read(v, key, el, out.command);
    if (key == "Region") return read(v, key, el, out.region);
    if (key == "ErrorCode") return read(v, key, el, out.error_code);
    if (key == "Message") return read(v, key, el, out.message);
    if (key == "PrefixListId") return read(v, key, el, out.prefix_list_id);
    if (key == "AccountId") return read(v, key, el, out.account_id);
    return SUCCESS;
  });
}

}  // namespace fortress::load
