// elbv2 describe-load-balancers, describe-listeners (one file per load balancer),
// describe-target-groups, describe-target-health (one file per target group).
#include "load/kinds.h"

namespace fortress::load {

namespace {

// Adds a finished element whose ID member is not called `id`.
template <typename T>
void keep_by(Element& el, std::string_view id_member, Symbol id, T&& item, std::vector<std::decay_t<T>>& out) {
  if (id.empty()) el.fail(std::string("missing ") + std::string(id_member));
  if (el.ok()) {
    out.push_back(std::forward<T>(item));
  } else {
    el.id = id.str();
  }
}

error_code read_address(od::value& item, Element& el, LoadBalancerAddress& out) {
  return for_each_field(item, "LoadBalancerAddresses", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "IpAddress") return read_ip(v, "LoadBalancerAddresses.IpAddress", el, out.ip_address);
    if (key == "PrivateIPv4Address") {
      return read_ip(v, "LoadBalancerAddresses.PrivateIPv4Address", el, out.private_ipv4_address);
    }
    if (key == "IPv6Address") return read_ip(v, "LoadBalancerAddresses.IPv6Address", el, out.ipv6_address);
    if (key == "AllocationId") return read(v, key, el, out.allocation_id);
    return SUCCESS;
  });
}

error_code read_zone(od::value& item, Element& el, std::vector<LoadBalancerZone>& out) {
  LoadBalancerZone zone;
  error_code e = for_each_field(item, "AvailabilityZones", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "ZoneName") return read(v, "AvailabilityZones.ZoneName", el, zone.zone_name);
    if (key == "SubnetId") return read(v, "AvailabilityZones.SubnetId", el, zone.subnet_id);
    if (key == "LoadBalancerAddresses") {
      return for_each_item(v, key, el, [&](od::value& a) -> error_code {
        LoadBalancerAddress address;
        if (error_code e2 = read_address(a, el, address)) return e2;
        zone.addresses.push_back(address);
        return SUCCESS;
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  out.push_back(std::move(zone));
  return SUCCESS;
}

void add_target_group(ListenerAction& action, Symbol arn, std::optional<int64_t> weight) {
  for (WeightedTargetGroup& tg : action.target_groups) {
    if (tg.arn == arn) {
      if (weight) tg.weight = weight;
      return;
    }
  }
  action.target_groups.push_back({arn, weight});
}

error_code read_action(od::value& item, Element& el, std::vector<ListenerAction>& out) {
  ListenerAction action;
  error_code e = for_each_field(item, "DefaultActions", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "Type") return read(v, "DefaultActions.Type", el, action.type);
    if (key == "Order") return read(v, "DefaultActions.Order", el, action.order);
    if (key == "TargetGroupArn") {
      Symbol arn;
      if (error_code e2 = read(v, "DefaultActions.TargetGroupArn", el, arn)) return e2;
      if (!arn.empty()) add_target_group(action, arn, std::nullopt);
      return SUCCESS;
    }
    if (key == "ForwardConfig") {
      return for_each_field(v, "DefaultActions.ForwardConfig", el, [&](std::string_view k, od::value& f) -> error_code {
        if (k != "TargetGroups") return SUCCESS;
        return for_each_item(f, "ForwardConfig.TargetGroups", el, [&](od::value& tg) -> error_code {
          Symbol arn;
          std::optional<int64_t> weight;
          error_code e3 = for_each_field(tg, "ForwardConfig.TargetGroups", el,
                                         [&](std::string_view m, od::value& x) -> error_code {
                                           if (m == "TargetGroupArn") return read(x, "TargetGroupArn", el, arn);
                                           if (m == "Weight") return read(x, "Weight", el, weight);
                                           return SUCCESS;
                                         });
          if (e3) return e3;
          if (arn.empty()) {
            el.fail("ForwardConfig.TargetGroups: an entry without TargetGroupArn");
          } else {
            add_target_group(action, arn, weight);
          }
          return SUCCESS;
        });
      });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (action.type.empty()) el.fail("DefaultActions: an action without Type");
  out.push_back(std::move(action));
  return SUCCESS;
}

}  // namespace

error_code parse_load_balancer(od::value& element, Element& el) {
  LoadBalancer lb;
  lb.source = el.file.source();
  error_code e = for_each_field(element, "LoadBalancers", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "LoadBalancerArn") return read(v, key, el, lb.arn);
    if (key == "LoadBalancerName") return read(v, key, el, lb.name);
    if (key == "DNSName") return read(v, key, el, lb.dns_name);
    if (key == "Scheme") return read(v, key, el, lb.scheme);
    if (key == "Type") return read(v, key, el, lb.type);
    if (key == "VpcId") return read(v, key, el, lb.vpc_id);
    if (key == "IpAddressType") return read(v, key, el, lb.ip_address_type);
    if (key == "CreatedTime") return read_time(v, key, el, lb.created_time);
    if (key == "State") {
      return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
        if (k == "Code") return read(f, "State.Code", el, lb.state);
        return SUCCESS;
      });
    }
    if (key == "AvailabilityZones") {
      return for_each_item(v, key, el, [&](od::value& item) { return read_zone(item, el, lb.zones); });
    }
    if (key == "SecurityGroups") return read_strings(v, key, el, lb.security_group_ids);
    return SUCCESS;
  });
  if (e) return e;
  keep_by(el, "LoadBalancerArn", lb.arn, std::move(lb), el.file.result().data.load_balancers);
  return SUCCESS;
}

error_code parse_listener(od::value& element, Element& el) {
  Listener listener;
  listener.source = el.file.source();
  error_code e = for_each_field(element, "Listeners", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "ListenerArn") return read(v, key, el, listener.arn);
    if (key == "LoadBalancerArn") return read(v, key, el, listener.load_balancer_arn);
    if (key == "Port") return read(v, key, el, listener.port);
    if (key == "Protocol") return read(v, key, el, listener.protocol);
    if (key == "SslPolicy") return read(v, key, el, listener.ssl_policy);
    if (key == "Certificates") return read_member_of_each(v, key, "CertificateArn", el, listener.certificate_arns);
    if (key == "DefaultActions") {
      return for_each_item(v, key, el, [&](od::value& item) { return read_action(item, el, listener.default_actions); });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (listener.load_balancer_arn.empty() && !listener.arn.empty()) el.fail("missing LoadBalancerArn");
  keep_by(el, "ListenerArn", listener.arn, std::move(listener), el.file.result().listeners);
  return SUCCESS;
}

// The load balancer a describe-listeners file was collected for: the listeners name it; an empty
// list is told by the file name only.
void finish_listeners(FileContext& file, std::string_view) {
  FileResult& result = file.result();
  std::string_view from_content;
  if (!result.listeners.empty()) from_content = result.listeners.front().load_balancer_arn;
  result.fan_out_id = fan_out_id(file, Dataset::kListeners, from_content);
}

error_code parse_target_group(od::value& element, Element& el) {
  TargetGroup tg;
  tg.source = el.file.source();
  error_code e = for_each_field(element, "TargetGroups", el, [&](std::string_view key, od::value& v) -> error_code {
    if (key == "TargetGroupArn") return read(v, key, el, tg.arn);
    if (key == "TargetGroupName") return read(v, key, el, tg.name);
    if (key == "Protocol") return read(v, key, el, tg.protocol);
    if (key == "Port") return read(v, key, el, tg.port);
    if (key == "TargetType") return read(v, key, el, tg.target_type);
    if (key == "VpcId") return read(v, key, el, tg.vpc_id);
    if (key == "HealthCheckProtocol") return read(v, key, el, tg.health_check_protocol);
    if (key == "HealthCheckPort") return read(v, key, el, tg.health_check_port);
    if (key == "IpAddressType") return read(v, key, el, tg.ip_address_type);
    if (key == "LoadBalancerArns") return read_strings(v, key, el, tg.load_balancer_arns);
    return SUCCESS;
  });
  if (e) return e;
  keep_by(el, "TargetGroupArn", tg.arn, std::move(tg), el.file.result().data.target_groups);
  return SUCCESS;
}

error_code parse_target_health(od::value& element, Element& el) {
  TargetHealthDescription t;
  error_code e =
      for_each_field(element, "TargetHealthDescriptions", el, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "Target") {
          return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
            if (k == "Id") return read(f, "Target.Id", el, t.target_id);
            if (k == "Port") return read(f, "Target.Port", el, t.port);
            if (k == "AvailabilityZone") return read(f, "Target.AvailabilityZone", el, t.availability_zone);
            return SUCCESS;
          });
        }
        if (key == "HealthCheckPort") return read(v, key, el, t.health_check_port);
        if (key == "TargetHealth") {
          return for_each_field(v, key, el, [&](std::string_view k, od::value& f) -> error_code {
            if (k == "State") return read(f, "TargetHealth.State", el, t.state);
            if (k == "Reason") return read(f, "TargetHealth.Reason", el, t.reason);
            if (k == "Description") return read(f, "TargetHealth.Description", el, t.description);
            return SUCCESS;
          });
        }
        return SUCCESS;
      });
  if (e) return e;
  keep_by(el, "Target.Id", t.target_id, std::move(t), el.file.result().target_health);
  return SUCCESS;
}

// describe-target-health does not name the target group: the file name does.
void finish_target_health(FileContext& file, std::string_view) {
  file.result().fan_out_id = fan_out_id(file, Dataset::kTargetHealth, {});
}

}  // namespace fortress::load
