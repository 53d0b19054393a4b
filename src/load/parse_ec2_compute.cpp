// describe-network-interfaces and describe-instances.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "load/kinds.h"

namespace fortress::load {

namespace {

// {"PublicIp": "203.0.113.12", ...}: the Association of an ENI or of one of its private addresses.
error_code read_association(od::value& v, std::string_view member, Element& el, std::optional<IpAddress>& public_ip) {
  return for_each_field(v, member, el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "PublicIp") return read_ip(f, "Association.PublicIp", el, public_ip);
    return SUCCESS;
  });
}

error_code read_private_ip(od::value& item, Element& el, std::vector<PrivateIp>& out) {
  std::optional<IpAddress> address;
  PrivateIp ip;
  error_code e = for_each_field(item, "PrivateIpAddresses", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "PrivateIpAddress") return read_ip(v, "PrivateIpAddresses.PrivateIpAddress", el, address);
    if (key == "Primary") return read(v, "PrivateIpAddresses.Primary", el, ip.primary);
    if (key == "Association") return read_association(v, "PrivateIpAddresses.Association", el, ip.public_ip);
    return SUCCESS;
  });
  if (e) return e;
  if (!address) {
    el.fail("PrivateIpAddresses: an entry without PrivateIpAddress");
    return SUCCESS;
  }
  ip.address = *address;
  out.push_back(ip);
  return SUCCESS;
}

}  // namespace

error_code parse_network_interface(od::value& element, Element& el) {
  NetworkInterface eni;
  eni.source = el.file.source();
  std::optional<IpAddress> primary_address;  // the ENI-level PrivateIpAddress
  std::optional<IpAddress> primary_public;   // the ENI-level Association.PublicIp
  error_code e =
      for_each_field(element, "NetworkInterfaces", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "NetworkInterfaceId") return read(v, key, el, eni.id);
        if (key == "SubnetId") return read(v, key, el, eni.subnet_id);
        if (key == "VpcId") return read(v, key, el, eni.vpc_id);
        if (key == "AvailabilityZone") return read(v, key, el, eni.availability_zone);
        if (key == "OwnerId") return read(v, key, el, eni.owner_id);
        if (key == "Description") return read(v, key, el, eni.description);
        if (key == "InterfaceType") return read(v, key, el, eni.interface_type);
        if (key == "Status") return read(v, key, el, eni.status);
        if (key == "RequesterId") return read(v, key, el, eni.requester_id);
        if (key == "RequesterManaged") return read(v, key, el, eni.requester_managed);
        if (key == "SourceDestCheck") return read(v, key, el, eni.source_dest_check);
        if (key == "Groups") return read_member_of_each(v, key, "GroupId", el, eni.group_ids);
        if (key == "PrivateIpAddress") return read_ip(v, key, el, primary_address);
        if (key == "Association") return read_association(v, key, el, primary_public);
        if (key == "PrivateIpAddresses") {
          return for_each_item(v, key, el, [&](od::value& item) { return read_private_ip(item, el, eni.private_ips); });
        }
        if (key == "Ipv6Addresses") {
          return for_each_item(v, key, el, [&](od::value& item) -> error_code {
            std::optional<IpAddress> address;
            error_code e2 = for_each_field(item, key, el, [&](std::string_view k, od::value& f) -> error_code {
              if (k == "Ipv6Address") return read_ip(f, "Ipv6Addresses.Ipv6Address", el, address);
              return SUCCESS;
            });
            if (e2) return e2;
            if (address) eni.ipv6_addresses.push_back(*address);
            return SUCCESS;
          });
        }
        if (key == "Attachment") {
          return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
            if (k == "InstanceId") return read(f, "Attachment.InstanceId", el, eni.instance_id);
            if (k == "Status") return read(f, "Attachment.Status", el, eni.attachment_status);
            return SUCCESS;
          });
        }
        if (key == "TagSet" || key == "Tags") return read_tags(v, key, el, eni.tags);
        return SUCCESS;
      });
  if (e) return e;

  // The primary address first. The ENI-level PrivateIpAddress and Association describe the primary
  // address; fill them in where PrivateIpAddresses is absent or lacks them.
  std::stable_partition(eni.private_ips.begin(), eni.private_ips.end(), [](const PrivateIp& p) { return p.primary; });
  if (primary_address) {
    auto it = std::find_if(eni.private_ips.begin(), eni.private_ips.end(),
                           [&](const PrivateIp& p) { return p.address == *primary_address; });
    if (it == eni.private_ips.end()) {
      PrivateIp ip;
      ip.address = *primary_address;
      ip.primary = true;
      eni.private_ips.insert(eni.private_ips.begin(), ip);
      it = eni.private_ips.begin();
    }
    if (!it->public_ip) it->public_ip = primary_public;
  }
  keep(el, "NetworkInterfaceId", std::move(eni), el.file.result().data.network_interfaces);
  return SUCCESS;
}

namespace {

error_code read_metadata_options(od::value& v, Element& el, InstanceMetadataOptions& out) {
  return for_each_field(v, "MetadataOptions", el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "HttpTokens") return read(f, "MetadataOptions.HttpTokens", el, out.http_tokens);
    if (key == "HttpEndpoint") return read(f, "MetadataOptions.HttpEndpoint", el, out.http_endpoint);
    if (key == "HttpPutResponseHopLimit") {
      return read(f, "MetadataOptions.HttpPutResponseHopLimit", el, out.http_put_response_hop_limit);
    }
    return SUCCESS;
  });
}

// One instance of a reservation. `el` is the instance's own element.
error_code read_instance(od::value& v, Element& el, Instance& instance) {
  return for_each_field(v, "Instances", el, [&](std::string_view key, od::value& f) -> error_code {
    if (key == "InstanceId") return read(f, key, el, instance.id);
    if (key == "State") {
      return for_each_field(f, key, el, [&](std::string_view k, od::value& s) -> error_code {
        if (k == "Name") return read(s, "State.Name", el, instance.state);
        return SUCCESS;
      });
    }
    if (key == "VpcId") return read(f, key, el, instance.vpc_id);
    if (key == "SubnetId") return read(f, key, el, instance.subnet_id);
    if (key == "ImageId") return read(f, key, el, instance.image_id);
    if (key == "InstanceType") return read(f, key, el, instance.instance_type);
    if (key == "Platform") return read(f, key, el, instance.platform);
    if (key == "LaunchTime") return read(f, key, el, instance.launch_time);
    if (key == "IamInstanceProfile") {
      return for_each_field(f, key, el, [&](std::string_view k, od::value& s) -> error_code {
        if (k == "Arn") return read(s, "IamInstanceProfile.Arn", el, instance.iam_instance_profile_arn);
        return SUCCESS;
      });
    }
    if (key == "PrivateIpAddress") return read_ip(f, key, el, instance.private_ip);
    if (key == "PublicIpAddress") return read_ip(f, key, el, instance.public_ip);
    if (key == "NetworkInterfaces") {
      return read_member_of_each(f, key, "NetworkInterfaceId", el, instance.network_interface_ids);
    }
    if (key == "SecurityGroups") return read_member_of_each(f, key, "GroupId", el, instance.group_ids);
    if (key == "MetadataOptions") return read_metadata_options(f, el, instance.metadata_options.emplace());
    if (key == "Tags") return read_tags(f, key, el, instance.tags);
    return SUCCESS;
  });
}

}  // namespace

// A reservation groups instances launched together; its OwnerId is the instances' account. An
// instance of the wrong shape is skipped on its own; a reservation-level problem skips them all.
error_code parse_reservation(od::value& element, Element& el) {
  std::vector<Instance> instances;
  std::string owner_id;
  std::string reservation_id;
  error_code e = for_each_field(element, "Reservations", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "OwnerId") return read(v, key, el, owner_id);
    if (key == "ReservationId") return read(v, key, el, reservation_id);
    if (key == "Instances") {
      od::array array;
      if (error_code e2 = v.get_array().get(array)) return shape_error(v, e2, key, "a list", el);
      size_t index = 0;
      for (auto item : array) {
        od::value iv;
        if (error_code e2 = item.get(iv)) return e2;
        Element instance_el(el.file, index++, location_of(iv));
        Instance instance;
        instance.source = el.file.source();
        if (error_code e2 = read_instance(iv, instance_el, instance)) return e2;
        keep(instance_el, "InstanceId", std::move(instance), instances);
        if (!instance_el.ok()) {
          el.file.element_skipped(instance_el.where, "instance", instance_el.index, instance_el.id,
                                  instance_el.problem());
        }
      }
    }
    return SUCCESS;
  });
  if (e) return e;
  el.id = reservation_id;
  if (!el.ok()) return SUCCESS;
  std::vector<Instance>& out = el.file.result().data.instances;
  for (Instance& instance : instances) {
    instance.owner_id = owner_id;
    // The CLI prints the API's "Windows" as "windows"; the model uses lower case.
    std::string platform = instance.platform.str();
    std::transform(platform.begin(), platform.end(), platform.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    instance.platform = platform;
    out.push_back(std::move(instance));
  }
  return SUCCESS;
}

}  // namespace fortress::load
