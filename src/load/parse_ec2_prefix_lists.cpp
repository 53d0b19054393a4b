// describe-managed-prefix-lists, the older describe-prefix-lists (CIDRs inline as "Cidrs"), and
// get-managed-prefix-list-entries (one file per list).
#include <fmt/format.h>


#include "load/kinds.h"

namespace fortress::load {

error_code parse_prefix_list(od::value& element, Element& el) {
  PrefixList list;
  list.source = el.file.source();
  error_code e = for_each_field(element, "PrefixLists", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "PrefixListId") return read(v, key, el, list.id);
    if (key == "PrefixListName") return read(v, key, el, list.name);
    if (key == "AddressFamily") return read(v, key, el, list.address_family);
    if (key == "OwnerId") return read(v, key, el, list.owner_id);
    if (key == "MaxEntries") return read(v, key, el, list.max_entries);
    if (key == "Tags") return read_tags(v, key, el, list.tags);
    if (key == "Cidrs") {
      std::vector<PrefixListEntry>& entries = list.entries.emplace();
      return for_each_item(v, key, el, [&](od::value& item) -> error_code {
        std::optional<Cidr> cidr;
        if (error_code e2 = read_cidr(item, key, el, cidr)) return e2;
        if (cidr) entries.push_back({*cidr, {}});
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  keep(el, "PrefixListId", std::move(list), el.file.result().data.prefix_lists);
  return SUCCESS;
}

error_code parse_prefix_list_entry(od::value& element, Element& el) {
  PrefixListEntry entry;
  std::optional<Cidr> cidr;
  error_code e = for_each_field(element, "Entries", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Cidr") return read_cidr(v, key, el, cidr);
    if (key == "Description") return read(v, key, el, entry.description);
    return SUCCESS;
  });
  if (e) return e;
  if (!cidr) el.fail("missing Cidr");
  if (!el.ok()) return SUCCESS;
  entry.cidr = *cidr;
  el.file.result().prefix_list_entries.push_back(std::move(entry));
  return SUCCESS;
}

// get-managed-prefix-list-entries prints only the entries, not the list they belong to. The list ID
// comes from a top-level "PrefixListId" the collector adds, else from a file named "pl-<hex>.json".
void finish_prefix_list_entries(FileContext& file, std::string_view top_level_prefix_list_id) {
  file.result().prefix_list_id = fan_out_id(file, Dataset::kPrefixListEntries, top_level_prefix_list_id);
}

}  // namespace fortress::load
