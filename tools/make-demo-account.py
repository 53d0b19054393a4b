#!/usr/bin/env python3
"""Generates examples/demo-account: the export of a fictional AWS account (111122223333).

The output is exactly what scripts/export-aws-cli.sh writes for such an account: one file per AWS CLI
call, the JSON the AWS CLI v2 prints (`--output json`: member names as in the service model, keys in
the model's member order, 4-space indent). Every object is checked against the botocore service model
shipped by Debian's python3-botocore (unknown member names are an error), so the demo cannot drift
into shapes the CLI never prints.

    python3 tools/make-demo-account.py [OUTDIR]      (default: examples/demo-account)

Python 3 standard library only. IDs are derived from names (sha1), so the output is stable: rerun it
after an edit and commit the generated files with this script. The story and what each check should
find are in examples/demo-account/README.md.
"""

import base64
import glob
import hashlib
import json
import os
import shutil
import sys

ACCOUNT = "111122223333"
OFFICE = "84.17.32.0/27"          # HQ office egress; trusted in examples/demo-fortress.yaml
PARTNER = "52.94.76.0/22"          # the logistics partner's SFTP/FTPS gateways (public, not trusted)
MODEL_GLOB = "/usr/lib/python3/dist-packages/botocore/data/{}/*/service-2.json"


# ---- the service models: key order and member-name validation ------------------------------------

def load_model(service):
    paths = sorted(glob.glob(MODEL_GLOB.format(service)))
    if not paths:
        sys.exit(f"make-demo-account: no botocore model for {service} (apt-get install python3-botocore)")
    with open(paths[-1]) as f:
        return json.load(f)


# Values the API returns although the model's enum spells them otherwise (the CLI does not check
# output enums): NAT gateway interfaces report "nat_gateway" (model: "natGateway"), Windows instances
# report Platform "windows" (model: "Windows"), and an attached internet gateway reports State
# "available" (model: attaching/attached/...).
ENUM_AS_SEEN = {"NetworkInterfaceType": ["nat_gateway"], "PlatformValues": ["windows"],
                "AttachmentStatus": ["available"]}

MODELS = {"ec2": load_model("ec2"), "sts": load_model("sts")}


def shaped(service, shape_name, value, where):
    """Returns value with dict keys in the model's member order; fails on names the model lacks."""
    shapes = MODELS[service]["shapes"]
    shape = shapes[shape_name]
    kind = shape["type"]
    if kind == "structure":
        if not isinstance(value, dict):
            raise SystemExit(f"{where}: {shape_name} wants an object")
        members = shape["members"]
        unknown = [k for k in value if k not in members]
        if unknown:
            raise SystemExit(f"{where}: {shape_name} has no member(s) {unknown}")
        return {k: shaped(service, members[k]["shape"], value[k], f"{where}.{k}") for k in members if k in value}
    if kind == "list":
        if not isinstance(value, list):
            raise SystemExit(f"{where}: {shape_name} wants a list")
        return [shaped(service, shape["member"]["shape"], v, f"{where}[{i}]") for i, v in enumerate(value)]
    if kind == "boolean" and not isinstance(value, bool):
        raise SystemExit(f"{where}: {shape_name} wants a boolean")
    if kind in ("integer", "long") and (isinstance(value, bool) or not isinstance(value, int)):
        raise SystemExit(f"{where}: {shape_name} wants an integer")
    if kind == "string" and not isinstance(value, str):
        raise SystemExit(f"{where}: {shape_name} wants a string")
    if kind == "string" and "enum" in shape and value not in shape["enum"] + ENUM_AS_SEEN.get(shape_name, []):
        raise SystemExit(f"{where}: {value!r} is not one of {shape_name}'s values")
    return value


def output_of(service, operation, value):
    shape = MODELS[service]["operations"][operation]["output"]["shape"]
    return shaped(service, shape, value, operation)


# ---- helpers ------------------------------------------------------------------------------------------

def hid(prefix, key, digits=17):
    """A stable AWS-style ID: prefix-0 followed by hex digits derived from key."""
    return f"{prefix}-0" + hashlib.sha1(f"{prefix}/{key}".encode()).hexdigest()[: digits - 1]


def tags(**kv):
    return [{"Key": k.replace("_", ":") if k.startswith("aws_") else k, "Value": v} for k, v in kv.items()]


def name_tags(name, **more):
    return [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": v} for k, v in more.items()]


AZ_IDS = {"us-east-1a": "use1-az4", "us-east-1b": "use1-az6", "us-east-1c": "use1-az1",
          "eu-west-1a": "euw1-az2", "eu-west-1b": "euw1-az3", "eu-west-1c": "euw1-az1"}

PROTO_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58", "-1": "-1"}


class Region:
    def __init__(self, name):
        self.name = name
        self.vpcs, self.subnets, self.groups, self.enis, self.reservations = [], [], [], [], []
        self.route_tables, self.nacls, self.igws, self.eigws, self.nats = [], [], [], [], []
        self.flow_logs, self.peerings, self.prefix_lists = [], [], []
        self.prefix_list_entries = {}
        self.errors = {}  # command -> FortressCollectionError record
        # elbv2: describe-load-balancers / describe-target-groups lists, and the fan-out outputs by ARN.
        self.load_balancers, self.target_groups, self.listeners, self.target_health = [], [], {}, {}
        self.group_ids = {}
        self.subnet_by_name = {}
        self.vpc_by_name = {}

    # -- VPC plumbing
    def vpc(self, name, cidr, ipv6=None, default=False, extra_tags=()):
        vid = hid("vpc", f"{self.name}/{name}")
        v = {
            "CidrBlock": cidr,
            "DhcpOptionsId": hid("dopt", self.name),
            "State": "available",
            "VpcId": vid,
            "OwnerId": ACCOUNT,
            "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [{
                "AssociationId": hid("vpc-cidr-assoc", f"{vid}/{cidr}"),
                "CidrBlock": cidr,
                "CidrBlockState": {"State": "associated"},
            }],
            "IsDefault": default,
        }
        if ipv6:
            v["Ipv6CidrBlockAssociationSet"] = [{
                "AssociationId": hid("vpc-cidr-assoc", f"{vid}/{ipv6}"),
                "Ipv6CidrBlock": ipv6,
                "Ipv6CidrBlockState": {"State": "associated"},
                "NetworkBorderGroup": self.name,
                "Ipv6Pool": "Amazon",
            }]
        if not default:
            v["Tags"] = name_tags(name, Environment=dict(extra_tags).get("Environment", "prod"))
        self.vpcs.append(v)
        self.vpc_by_name[name] = vid
        return vid

    def subnet(self, name, vpc, cidr, az, public=False, ipv6=None, default=False, free=250):
        sid = hid("subnet", f"{self.name}/{name}")
        s = {
            "AvailabilityZone": az,
            "AvailabilityZoneId": AZ_IDS[az],
            "AvailableIpAddressCount": free,
            "CidrBlock": cidr,
            "DefaultForAz": default,
            "MapPublicIpOnLaunch": public,
            "MapCustomerOwnedIpOnLaunch": False,
            "State": "available",
            "SubnetId": sid,
            "VpcId": self.vpc_by_name[vpc],
            "OwnerId": ACCOUNT,
            "AssignIpv6AddressOnCreation": bool(ipv6),
            "Ipv6CidrBlockAssociationSet": [],
            "SubnetArn": f"arn:aws:ec2:{self.name}:{ACCOUNT}:subnet/{sid}",
            "EnableDns64": False,
            "Ipv6Native": False,
            "PrivateDnsNameOptionsOnLaunch": {
                "HostnameType": "ip-name",
                "EnableResourceNameDnsARecord": False,
                "EnableResourceNameDnsAAAARecord": False,
            },
        }
        if ipv6:
            s["Ipv6CidrBlockAssociationSet"] = [{
                "AssociationId": hid("subnet-cidr-assoc", f"{sid}/{ipv6}"),
                "Ipv6CidrBlock": ipv6,
                "Ipv6CidrBlockState": {"State": "associated"},
            }]
        if not default:
            s["Tags"] = name_tags(name)
        self.subnets.append(s)
        self.subnet_by_name[name] = s
        return sid

    # -- security groups: rules are (direction, protocol, from, to, peer, description); peer is a CIDR,
    # "sg:NAME" (a group of this region), "sg:NAME@pcx" (across the peering) or "pl:ID".
    def group(self, name, vpc, description, rules, default=False, tag_name=None):
        gid = hid("sg", f"{self.name}/{vpc}/{name}")
        self.group_ids[(vpc, name)] = gid
        self.groups.append({"name": name, "vpc": vpc, "id": gid, "description": description, "rules": rules,
                            "default": default, "tag_name": tag_name})
        return gid

    def resolve_peer(self, vpc, peer):
        if peer.startswith("sg:"):
            ref = peer[3:]
            across = None
            if "@" in ref:
                ref, across = ref.split("@")
            for (v, n), gid in self.group_ids.items():
                if n == ref and (across or v == vpc):
                    return ("sg", gid, v if across else None, across)
            raise SystemExit(f"unknown group {peer}")
        if peer.startswith("pl:"):
            return ("pl", peer[3:], None, None)
        return ("cidr6" if ":" in peer else "cidr4", peer, None, None)

    def render_groups(self):
        groups, rules_out = [], []
        for g in self.groups:
            perms = {"ingress": [], "egress": []}
            index = {"ingress": {}, "egress": {}}
            for n, (direction, proto, lo, hi, peer, desc) in enumerate(g["rules"]):
                kind, value, peer_vpc, pcx = self.resolve_peer(g["vpc"], peer)
                key = (proto, lo, hi)
                if key not in index[direction]:
                    p = {"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                         "UserIdGroupPairs": []}
                    if proto != "-1":
                        p["FromPort"], p["ToPort"] = lo, hi
                    index[direction][key] = p
                    perms[direction].append(p)
                p = index[direction][key]
                rule = {
                    "SecurityGroupRuleId": hid("sgr", f"{g['id']}/{n}/{direction}/{proto}/{lo}/{hi}/{peer}"),
                    "GroupId": g["id"],
                    "GroupOwnerId": ACCOUNT,
                    "IsEgress": direction == "egress",
                    "IpProtocol": proto,
                    "FromPort": -1 if proto == "-1" else lo,
                    "ToPort": -1 if proto == "-1" else hi,
                }
                entry = {}
                if desc:
                    entry["Description"] = desc
                if kind == "cidr4":
                    p["IpRanges"].append({"CidrIp": value, **entry})
                    rule["CidrIpv4"] = value
                elif kind == "cidr6":
                    p["Ipv6Ranges"].append({"CidrIpv6": value, **entry})
                    rule["CidrIpv6"] = value
                elif kind == "pl":
                    p["PrefixListIds"].append({**entry, "PrefixListId": value})
                    rule["PrefixListId"] = value
                else:
                    pair = {**entry, "GroupId": value, "UserId": ACCOUNT}
                    ref = {"GroupId": value, "UserId": ACCOUNT}
                    if pcx:
                        pair.update({"PeeringStatus": "active", "VpcId": self.vpc_by_name[peer_vpc],
                                     "VpcPeeringConnectionId": self.pcx_ids[pcx]})
                        ref.update({"PeeringStatus": "active", "VpcId": self.vpc_by_name[peer_vpc],
                                    "VpcPeeringConnectionId": self.pcx_ids[pcx]})
                    p["UserIdGroupPairs"].append(pair)
                    rule["ReferencedGroupInfo"] = ref
                if desc:
                    rule["Description"] = desc
                rule["Tags"] = []
                rules_out.append(rule)
            sg = {
                "Description": g["description"],
                "GroupName": g["name"],
                "IpPermissions": perms["ingress"],
                "OwnerId": ACCOUNT,
                "GroupId": g["id"],
                "IpPermissionsEgress": perms["egress"],
                "VpcId": self.vpc_by_name[g["vpc"]],
            }
            if g["tag_name"]:
                sg["Tags"] = name_tags(g["tag_name"])
            groups.append(sg)
        return groups, rules_out

    def gid(self, vpc, name):
        return self.group_ids[(vpc, name)]

    # -- instances and their interfaces
    def instance(self, name, subnet, groups, private_ip, instance_type="t3.medium", public_ip=None, ipv6=(),
                 state="running", windows=False, tokens="required", hop_limit=2, profile=None, launched="2025-03-12T09:41:07+00:00",
                 image=None, key_name=None, extra_tags=None):
        s = self.subnet_by_name[subnet]
        vpc_name = next(n for n, v in self.vpc_by_name.items() if v == s["VpcId"])
        iid = hid("i", f"{self.name}/{name}")
        eni_id = hid("eni", f"{self.name}/{name}")
        group_list = [{"GroupName": g, "GroupId": self.gid(vpc_name, g)} for g in groups]
        region_dns = "ec2.internal" if self.name == "us-east-1" else f"{self.name}.compute.internal"
        pdns = f"ip-{private_ip.replace('.', '-')}.{region_dns}"
        association = None
        if public_ip:
            host = "compute-1.amazonaws.com" if self.name == "us-east-1" else f"{self.name}.compute.amazonaws.com"
            association = {"IpOwnerId": "amazon", "PublicDnsName": f"ec2-{public_ip.replace('.', '-')}.{host}",
                           "PublicIp": public_ip}
        attach_id = hid("eni-attach", eni_id)
        running = state == "running"
        ipv6_list = [{"Ipv6Address": a} for a in ipv6]
        tags_ = name_tags(name, **(extra_tags or {}))
        # The ENI as describe-network-interfaces prints it (TagSet, not Tags).
        eni = {
            "Attachment": {
                "AttachTime": launched,
                "AttachmentId": attach_id,
                "DeleteOnTermination": True,
                "DeviceIndex": 0,
                "NetworkCardIndex": 0,
                "InstanceId": iid,
                "InstanceOwnerId": ACCOUNT,
                "Status": "attached",
            },
            "AvailabilityZone": s["AvailabilityZone"],
            "Description": "",
            "Groups": group_list,
            "InterfaceType": "interface",
            "Ipv6Addresses": ipv6_list,
            "MacAddress": ":".join(["0e"] + [hashlib.sha1(eni_id.encode()).hexdigest()[i:i + 2] for i in range(0, 10, 2)]),
            "NetworkInterfaceId": eni_id,
            "OwnerId": ACCOUNT,
            "PrivateDnsName": pdns,
            "PrivateIpAddress": private_ip,
            "PrivateIpAddresses": [{"Primary": True, "PrivateDnsName": pdns, "PrivateIpAddress": private_ip}],
            "RequesterManaged": False,
            "SourceDestCheck": True,
            "Status": "in-use",
            "SubnetId": s["SubnetId"],
            "TagSet": [],
            "VpcId": s["VpcId"],
        }
        if association and running:
            eni["Association"] = dict(association)
            eni["PrivateIpAddresses"][0]["Association"] = dict(association)
        self.enis.append(eni)
        inst_ni = {
            "Attachment": {"AttachTime": launched, "AttachmentId": attach_id, "DeleteOnTermination": True,
                           "DeviceIndex": 0, "Status": "attached", "NetworkCardIndex": 0},
            "Description": "",
            "Groups": group_list,
            "Ipv6Addresses": ipv6_list,
            "MacAddress": eni["MacAddress"],
            "NetworkInterfaceId": eni_id,
            "OwnerId": ACCOUNT,
            "PrivateDnsName": pdns,
            "PrivateIpAddress": private_ip,
            "PrivateIpAddresses": [{"Primary": True, "PrivateDnsName": pdns, "PrivateIpAddress": private_ip}],
            "SourceDestCheck": True,
            "Status": "in-use",
            "SubnetId": s["SubnetId"],
            "VpcId": s["VpcId"],
            "InterfaceType": "interface",
        }
        if association and running:
            inst_ni["Association"] = dict(association)
            inst_ni["PrivateIpAddresses"][0]["Association"] = dict(association)
        state_code = {"running": 16, "stopped": 80}[state]
        inst = {
            "AmiLaunchIndex": 0,
            "ImageId": image or hid("ami", "windows-2016" if windows else "al2023", 17),
            "InstanceId": iid,
            "InstanceType": instance_type,
            "LaunchTime": launched,
            "Monitoring": {"State": "disabled"},
            "Placement": {"AvailabilityZone": s["AvailabilityZone"], "GroupName": "", "Tenancy": "default"},
            "PrivateDnsName": pdns,
            "PrivateIpAddress": private_ip,
            "ProductCodes": [],
            "PublicDnsName": association["PublicDnsName"] if association and running else "",
            "State": {"Code": state_code, "Name": state},
            "StateTransitionReason": "" if running else "User initiated (2026-06-02 17:20:11 GMT)",
            "SubnetId": s["SubnetId"],
            "VpcId": s["VpcId"],
            "Architecture": "x86_64",
            "BlockDeviceMappings": [{
                "DeviceName": "/dev/sda1" if windows else "/dev/xvda",
                "Ebs": {"AttachTime": launched, "DeleteOnTermination": True, "Status": "attached",
                        "VolumeId": hid("vol", iid)},
            }],
            "ClientToken": hashlib.sha1(iid.encode()).hexdigest()[:32],
            "EbsOptimized": True,
            "EnaSupport": True,
            "Hypervisor": "xen",
            "NetworkInterfaces": [inst_ni],
            "RootDeviceName": "/dev/sda1" if windows else "/dev/xvda",
            "RootDeviceType": "ebs",
            "SecurityGroups": group_list,
            "SourceDestCheck": True,
            "Tags": tags_,
            "VirtualizationType": "hvm",
            "CpuOptions": {"CoreCount": 1, "ThreadsPerCore": 2},
            "CapacityReservationSpecification": {"CapacityReservationPreference": "open"},
            "HibernationOptions": {"Configured": False},
            "MetadataOptions": {
                "State": "applied",
                "HttpTokens": tokens,
                "HttpPutResponseHopLimit": hop_limit,
                "HttpEndpoint": "enabled",
                "HttpProtocolIpv6": "disabled",
                "InstanceMetadataTags": "disabled",
            },
            "EnclaveOptions": {"Enabled": False},
            "PlatformDetails": "Windows" if windows else "Linux/UNIX",
            "UsageOperation": "RunInstances:0002" if windows else "RunInstances",
            "UsageOperationUpdateTime": launched,
            "PrivateDnsNameOptions": {"HostnameType": "ip-name", "EnableResourceNameDnsARecord": False,
                                      "EnableResourceNameDnsAAAARecord": False},
            "MaintenanceOptions": {"AutoRecovery": "default"},
        }
        if key_name:
            inst["KeyName"] = key_name
        if windows:
            inst["Platform"] = "windows"
        if association and running:
            inst["PublicIpAddress"] = public_ip
        if profile:
            inst["IamInstanceProfile"] = {"Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{profile}",
                                          "Id": "AIPA" + hashlib.sha1(profile.encode()).hexdigest()[:17].upper()}
        if not running:
            inst["StateReason"] = {"Code": "Client.UserInitiatedShutdown",
                                   "Message": "Client.UserInitiatedShutdown: User initiated shutdown"}
        self.reservations.append({"Groups": [], "Instances": [inst], "OwnerId": ACCOUNT,
                                  "ReservationId": hid("r", iid)})
        return iid

    def service_eni(self, key, subnet, private_ip, description, interface_type, requester, public_ip=None, groups=()):
        """A requester-managed interface (NAT gateway, VPC endpoint ...): no instance attached."""
        s = self.subnet_by_name[subnet]
        eni_id = hid("eni", f"{self.name}/{key}")
        region_dns = "ec2.internal" if self.name == "us-east-1" else f"{self.name}.compute.internal"
        pdns = f"ip-{private_ip.replace('.', '-')}.{region_dns}"
        eni = {
            "AvailabilityZone": s["AvailabilityZone"],
            "Description": description,
            "Groups": [{"GroupName": g[0], "GroupId": g[1]} for g in groups],
            "InterfaceType": interface_type,
            "Ipv6Addresses": [],
            "MacAddress": ":".join(["0e"] + [hashlib.sha1(eni_id.encode()).hexdigest()[i:i + 2] for i in range(0, 10, 2)]),
            "NetworkInterfaceId": eni_id,
            "OwnerId": ACCOUNT,
            "PrivateDnsName": pdns,
            "PrivateIpAddress": private_ip,
            "PrivateIpAddresses": [{"Primary": True, "PrivateDnsName": pdns, "PrivateIpAddress": private_ip}],
            "RequesterId": requester,
            "RequesterManaged": True,
            "SourceDestCheck": False if interface_type == "nat_gateway" else True,
            "Status": "in-use",
            "SubnetId": s["SubnetId"],
            "TagSet": [],
            "VpcId": s["VpcId"],
        }
        if interface_type == "nat_gateway":
            eni["Attachment"] = {"AttachTime": "2025-02-03T11:02:45+00:00",
                                 "AttachmentId": hid("ela-attach", eni_id), "DeleteOnTermination": False,
                                 "DeviceIndex": 1, "NetworkCardIndex": 0, "InstanceOwnerId": "amazon-aws",
                                 "Status": "attached"}
        if public_ip:
            assoc = {"AllocationId": hid("eipalloc", public_ip), "AssociationId": hid("eipassoc", public_ip),
                     "IpOwnerId": ACCOUNT, "PublicDnsName": f"ec2-{public_ip.replace('.', '-')}.compute-1.amazonaws.com",
                     "PublicIp": public_ip}
            eni["Association"] = assoc
            eni["PrivateIpAddresses"][0]["Association"] = dict(assoc)
        self.enis.append(eni)
        return eni_id

    # -- routing and NACLs
    def route_table(self, name, vpc, routes, subnets=(), main=False, tagged=True):
        rid = hid("rtb", f"{self.name}/{name}")
        assocs = []
        if main:
            assocs.append({"Main": True, "RouteTableAssociationId": hid("rtbassoc", f"{rid}/main"),
                           "RouteTableId": rid, "AssociationState": {"State": "associated"}})
        for sn in subnets:
            sid = self.subnet_by_name[sn]["SubnetId"]
            assocs.append({"Main": False, "RouteTableAssociationId": hid("rtbassoc", f"{rid}/{sid}"),
                           "RouteTableId": rid, "SubnetId": sid, "AssociationState": {"State": "associated"}})
        vpc_cidrs = [v for v in self.vpcs if v["VpcId"] == self.vpc_by_name[vpc]][0]
        rs = [{"DestinationCidrBlock": vpc_cidrs["CidrBlock"], "GatewayId": "local", "Origin": "CreateRouteTable",
               "State": "active"}]
        if "Ipv6CidrBlockAssociationSet" in vpc_cidrs:
            rs.append({"DestinationIpv6CidrBlock": vpc_cidrs["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"],
                       "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"})
        for r in routes:
            rs.append({**r, "Origin": "CreateRoute", "State": r.get("State", "active")})
        rt = {"Associations": assocs, "PropagatingVgws": [], "RouteTableId": rid, "Routes": rs,
              "Tags": name_tags(name) if tagged else [], "VpcId": self.vpc_by_name[vpc], "OwnerId": ACCOUNT}
        self.route_tables.append(rt)
        return rid

    def nacl(self, name, vpc, inbound, outbound, subnets=(), default=False):
        """inbound/outbound: (rule_number, protocol, from, to, cidr, action); 32767/32768 deny added."""
        aid = hid("acl", f"{self.name}/{name}")
        entries = []
        v6 = any(":" in r[4] for r in inbound + outbound)
        for egress, rules in ((True, outbound), (False, inbound)):
            for number, proto, lo, hi, cidr, action in rules:
                e = {"Egress": egress, "Protocol": PROTO_NUMBERS[proto], "RuleAction": action, "RuleNumber": number}
                e["Ipv6CidrBlock" if ":" in cidr else "CidrBlock"] = cidr
                if proto in ("tcp", "udp"):
                    e["PortRange"] = {"From": lo, "To": hi}
                entries.append(e)
            entries.append({"CidrBlock": "0.0.0.0/0", "Egress": egress, "Protocol": "-1", "RuleAction": "deny",
                            "RuleNumber": 32767})
            if v6:
                entries.append({"Egress": egress, "Ipv6CidrBlock": "::/0", "Protocol": "-1", "RuleAction": "deny",
                                "RuleNumber": 32768})
        # describe-network-acls lists egress entries first, each direction by rule number.
        entries.sort(key=lambda e: (not e["Egress"], e["RuleNumber"]))
        assocs = [{"NetworkAclAssociationId": hid("aclassoc", f"{aid}/{sn}"), "NetworkAclId": aid,
                   "SubnetId": self.subnet_by_name[sn]["SubnetId"]} for sn in subnets]
        self.nacls.append({"Associations": assocs, "Entries": entries, "IsDefault": default, "NetworkAclId": aid,
                           "Tags": [] if default else name_tags(name), "VpcId": self.vpc_by_name[vpc],
                           "OwnerId": ACCOUNT})
        return aid

    def igw(self, name, vpc, tagged=True):
        gid = hid("igw", f"{self.name}/{name}")
        g = {"Attachments": [{"State": "available", "VpcId": self.vpc_by_name[vpc]}], "InternetGatewayId": gid,
             "OwnerId": ACCOUNT, "Tags": name_tags(name) if tagged else []}
        self.igws.append(g)
        return gid

    def files(self):
        groups, rules = self.render_groups()
        out = {
            "describe-vpcs": output_of("ec2", "DescribeVpcs", {"Vpcs": self.vpcs}),
            "describe-subnets": output_of("ec2", "DescribeSubnets", {"Subnets": self.subnets}),
            "describe-security-groups": output_of("ec2", "DescribeSecurityGroups", {"SecurityGroups": groups}),
            "describe-security-group-rules": output_of("ec2", "DescribeSecurityGroupRules", {"SecurityGroupRules": rules}),
            "describe-network-interfaces": output_of("ec2", "DescribeNetworkInterfaces", {"NetworkInterfaces": self.enis}),
            "describe-instances": output_of("ec2", "DescribeInstances", {"Reservations": self.reservations}),
            "describe-route-tables": output_of("ec2", "DescribeRouteTables", {"RouteTables": self.route_tables}),
            "describe-network-acls": output_of("ec2", "DescribeNetworkAcls", {"NetworkAcls": self.nacls}),
            "describe-internet-gateways": output_of("ec2", "DescribeInternetGateways", {"InternetGateways": self.igws}),
            "describe-egress-only-internet-gateways": output_of(
                "ec2", "DescribeEgressOnlyInternetGateways", {"EgressOnlyInternetGateways": self.eigws}),
            "describe-nat-gateways": output_of("ec2", "DescribeNatGateways", {"NatGateways": self.nats}),
            "describe-flow-logs": output_of("ec2", "DescribeFlowLogs", {"FlowLogs": self.flow_logs}),
            "describe-vpc-peering-connections": output_of(
                "ec2", "DescribeVpcPeeringConnections", {"VpcPeeringConnections": self.peerings}),
            "describe-managed-prefix-lists": output_of(
                "ec2", "DescribeManagedPrefixLists", {"PrefixLists": self.prefix_lists}),
        }
        entries = {plid: output_of("ec2", "GetManagedPrefixListEntries", {"Entries": e})
                   for plid, e in self.prefix_list_entries.items()}
        return out, entries


def rules(direction, proto, lo, hi, peers, desc=""):
    return [(direction, proto, lo, hi, p, desc) for p in peers]


def egress_all():
    return rules("egress", "-1", -1, -1, ["0.0.0.0/0"])


def aws_default_group_rules():
    """What AWS puts in a new VPC's default group: all traffic from itself, all traffic out."""
    return [("ingress", "-1", -1, -1, "sg:default", "")] + egress_all()


# ---- us-east-1: the production VPC, a shared-services VPC peered to it, and the untouched default VPC --

def us_east_1():
    r = Region("us-east-1")
    prod = r.vpc("prod-vpc", "10.10.0.0/16", ipv6="2600:1f18:4a2:6a00::/56")
    shared = r.vpc("shared-services-vpc", "10.20.0.0/16")
    r.vpc("default", "172.31.0.0/16", default=True)

    r.subnet("prod-public-a", "prod-vpc", "10.10.0.0/24", "us-east-1a", public=True, ipv6="2600:1f18:4a2:6a00::/64", free=241)
    r.subnet("prod-public-b", "prod-vpc", "10.10.1.0/24", "us-east-1b", public=True, ipv6="2600:1f18:4a2:6a01::/64", free=246)
    r.subnet("prod-app-a", "prod-vpc", "10.10.10.0/24", "us-east-1a", ipv6="2600:1f18:4a2:6a0a::/64", free=247)
    r.subnet("prod-data-a", "prod-vpc", "10.10.20.0/24", "us-east-1a", free=249)
    r.subnet("prod-mgmt-a", "prod-vpc", "10.10.100.0/24", "us-east-1a", public=True, free=248)
    r.subnet("prod-dir-a", "prod-vpc", "10.10.30.0/24", "us-east-1b", free=250)
    r.subnet("shared-tools-a", "shared-services-vpc", "10.20.0.0/24", "us-east-1a", free=249)
    r.subnet("default-a", "default", "172.31.0.0/20", "us-east-1a", public=True, default=True, free=4090)
    r.subnet("default-b", "default", "172.31.16.0/20", "us-east-1b", public=True, default=True, free=4091)

    pcx = hid("pcx", "prod-shared")
    r.pcx_ids = {"pcx": pcx}

    # The customer-managed prefix list of admin source ranges, and the AWS-managed S3 list.
    corp_pl = hid("pl", "corp-admin-ranges")
    s3_pl = "pl-63a5400a"

    # -- security groups of prod-vpc
    r.group("default", "prod-vpc", "default VPC security group", [], default=True)  # emptied: restricted
    r.group("prod-web", "prod-vpc", "Public web tier (no load balancer): HTTP/HTTPS from anywhere",
            rules("ingress", "tcp", 80, 80, ["0.0.0.0/0", "::/0"], "HTTP from the internet")
            + rules("ingress", "tcp", 443, 443, ["0.0.0.0/0", "::/0"], "HTTPS from the internet")
            + rules("egress", "-1", -1, -1, ["0.0.0.0/0", "::/0"]),
            tag_name="prod-web")
    r.group("prod-bastion", "prod-vpc", "SSH bastion",
            rules("ingress", "tcp", 22, 22, ["0.0.0.0/0"], "temporary: vendor access INC-4471")
            + egress_all(), tag_name="prod-bastion")
    r.group("legacy-rdp", "prod-vpc", "Legacy reporting server (Windows)",
            rules("ingress", "tcp", 3389, 3389, ["0.0.0.0/0", "::/0"], "RDP")
            + rules("ingress", "tcp", 443, 443, ["10.10.0.0/16"], "reports over HTTPS from the VPC")
            + egress_all(), tag_name="legacy-reporting")
    r.group("prod-app", "prod-vpc", "Application tier",
            rules("ingress", "tcp", 8080, 8080, ["sg:prod-web"], "from the web tier")
            + rules("egress", "tcp", 5432, 5432, ["sg:prod-db"], "PostgreSQL")
            + rules("egress", "tcp", 3306, 3306, ["sg:prod-db"], "MySQL (orders, legacy)")
            + rules("egress", "tcp", 443, 443, [f"pl:{s3_pl}"], "S3 via the gateway endpoint"),
            tag_name="prod-app")
    r.group("prod-db", "prod-vpc", "Self-managed databases",
            rules("ingress", "tcp", 3306, 3306, ["0.0.0.0/0"], "TODO remove after migration")
            + rules("ingress", "tcp", 5432, 5432, ["0.0.0.0/0"], "")
            + rules("ingress", "tcp", 5432, 5432, ["sg:prod-app"], "from the application tier")
            + rules("egress", "tcp", 443, 443, [f"pl:{s3_pl}"], "backups to S3"),
            tag_name="prod-db")
    r.group("debug-allow-all", "prod-vpc", "debug - allow everything (delete me)",
            rules("ingress", "-1", -1, -1, ["0.0.0.0/0"], "") + egress_all())
    r.group("partner-sftp", "prod-vpc", "SFTP/FTPS exchange with the logistics partner",
            rules("ingress", "tcp", 990, 990, [PARTNER], "partner FTPS control")
            + rules("ingress", "tcp", 1024, 65535, [PARTNER], "partner passive FTP data ports")
            + rules("egress", "tcp", 1024, 65535, [PARTNER], "active FTP back to the partner"),
            tag_name="partner-sftp")
    r.group("office-admin", "prod-vpc", "Admin access from the office and the VPN",
            rules("ingress", "tcp", 22, 22, [OFFICE], "HQ office")
            + rules("ingress", "tcp", 3389, 3389, [OFFICE], "HQ office")
            + rules("ingress", "tcp", 22, 22, [f"pl:{corp_pl}"], "office and VPN ranges"),
            tag_name="office-admin")
    collectors = [f"10.50.{1 + i // 10}.{10 + i % 10 * 3}/32" for i in range(28)]
    monitoring = []
    for n, c in enumerate(collectors):
        monitoring += rules("ingress", "tcp", 9100, 9100, [c], f"on-prem collector {n + 1:02d} (node exporter)")
        monitoring += rules("ingress", "udp", 161, 161, [c], f"on-prem collector {n + 1:02d} (SNMP)")
    monitoring += rules("egress", "tcp", 443, 443, [f"pl:{s3_pl}"], "metrics archive")
    r.group("prod-monitoring", "prod-vpc", "Scraped by the on-prem monitoring collectors", monitoring,
            tag_name="prod-monitoring")
    r.group("launch-wizard-1", "prod-vpc", "launch-wizard-1 created 2024-08-19T14:03:11.512Z",
            rules("ingress", "tcp", 22, 22, ["10.10.100.0/24"], "") + egress_all())

    # The shop behind its internet-facing load balancer: only the load balancer's group is open to the
    # internet; the shop servers take HTTP (80) from it alone.
    r.group("prod-shop-alb", "prod-vpc", "Internet-facing load balancer of the shop",
            rules("ingress", "tcp", 443, 443, ["0.0.0.0/0"], "HTTPS from the internet")
            + rules("ingress", "tcp", 80, 80, ["0.0.0.0/0"], "HTTP (redirected to HTTPS)")
            + rules("egress", "tcp", 80, 80, ["sg:prod-shop-web"], "to the shop servers"),
            tag_name="prod-shop-alb")
    r.group("prod-shop-web", "prod-vpc", "Shop servers behind prod-shop-alb",
            rules("ingress", "tcp", 80, 80, ["sg:prod-shop-alb"], "from the load balancer")
            + rules("egress", "tcp", 443, 443, ["0.0.0.0/0"], "payment API and package mirrors via the NAT gateway"),
            tag_name="prod-shop-web")
    # The Active Directory domain controller: every directory port from the whole of prod-vpc and of the
    # shared-services VPC ("any domain member may need it"), instead of from the members' groups, and
    # LDAPS from anywhere for the identity provider's directory sync.
    directory = []
    for proto, lo, hi in [("tcp", 53, 53), ("udp", 53, 53), ("tcp", 88, 88), ("udp", 88, 88), ("tcp", 389, 389),
                          ("udp", 389, 389), ("tcp", 445, 445), ("tcp", 464, 464), ("udp", 464, 464),
                          ("tcp", 636, 636), ("tcp", 3268, 3269)]:
        directory += rules("ingress", proto, lo, hi, ["10.10.0.0/16", "10.20.0.0/16"], "domain members")
    directory += rules("ingress", "tcp", 636, 636, ["0.0.0.0/0"], "LDAPS for the IdP directory sync (its addresses change)")
    r.group("corp-ad", "prod-vpc", "Active Directory domain controllers (corp.acme.example)",
            directory + egress_all(), tag_name="corp-ad")

    # -- security groups of the shared-services VPC and of the default VPC
    r.group("default", "shared-services-vpc", "default VPC security group", [], default=True)
    r.group("ci-runners", "shared-services-vpc", "CI runners deploying to prod",
            rules("ingress", "tcp", 443, 443, ["sg:prod-app@pcx"], "webhooks from prod apps over the peering")
            + rules("ingress", "tcp", 22, 22, ["10.20.0.0/16"], "")
            + egress_all(), tag_name="ci-runners")
    r.group("default", "default", "default VPC security group", aws_default_group_rules(), default=True)

    # -- prefix lists
    r.prefix_lists = [
        {"PrefixListId": corp_pl, "AddressFamily": "IPv4", "State": "modify-complete",
         "PrefixListArn": f"arn:aws:ec2:us-east-1:{ACCOUNT}:prefix-list/{corp_pl}",
         "PrefixListName": "corp-admin-ranges", "MaxEntries": 10, "Version": 4,
         "Tags": name_tags("corp-admin-ranges"), "OwnerId": ACCOUNT},
        {"PrefixListId": s3_pl, "AddressFamily": "IPv4", "State": "create-complete",
         "PrefixListArn": "arn:aws:ec2:us-east-1:aws:prefix-list/pl-63a5400a",
         "PrefixListName": "com.amazonaws.us-east-1.s3", "Tags": [], "OwnerId": "AWS"},
    ]
    r.prefix_list_entries = {
        corp_pl: [{"Cidr": "10.200.0.0/16", "Description": "client VPN pool"},
                  {"Cidr": OFFICE, "Description": "HQ office"}],
        s3_pl: [{"Cidr": "3.5.0.0/19"}, {"Cidr": "16.182.0.0/16"}, {"Cidr": "18.34.0.0/19"},
                {"Cidr": "18.34.232.0/21"}, {"Cidr": "52.216.0.0/15"}, {"Cidr": "54.231.0.0/16"}],
    }

    # -- instances
    sg = lambda *names: list(names)  # noqa: E731
    r.instance("prod-web-1", "prod-public-a", sg("prod-web", "office-admin"), "10.10.0.21", public_ip="54.210.167.34",
               ipv6=["2600:1f18:4a2:6a00:8c3e:1d2f:44a1:9b07"], profile="prod-web", key_name="prod-2024")
    r.instance("prod-web-2", "prod-public-b", sg("prod-web", "office-admin"), "10.10.1.37", public_ip="3.91.118.202",
               ipv6=["2600:1f18:4a2:6a01:51d0:7e2a:c3f8:2e16"], tokens="optional", hop_limit=1,
               profile="prod-web", key_name="prod-2024")
    r.instance("prod-bastion", "prod-mgmt-a", sg("prod-bastion"), "10.10.100.10", instance_type="t3.micro",
               public_ip="44.203.71.9", key_name="ops-bastion")
    r.instance("legacy-reporting", "prod-public-b", sg("legacy-rdp"), "10.10.1.120", instance_type="m5.large",
               public_ip="3.230.14.77", ipv6=["2600:1f18:4a2:6a01:e07:9a55:3c1:7d42"], windows=True,
               tokens="optional", hop_limit=1, launched="2021-09-14T16:22:51+00:00")
    r.instance("prod-app-1", "prod-app-a", sg("prod-app", "prod-monitoring"), "10.10.10.41", instance_type="c6i.large",
               ipv6=["2600:1f18:4a2:6a0a:2b4:6f01:8d9e:10c3"], profile="prod-app")
    r.instance("prod-db-1", "prod-data-a", sg("prod-db", "prod-monitoring"), "10.10.20.15", instance_type="r6i.xlarge",
               profile="prod-db")
    r.instance("partner-sftp", "prod-public-a", sg("partner-sftp"), "10.10.0.58", instance_type="t3.small",
               public_ip="52.3.240.117", key_name="prod-2024")
    r.instance("ci-runner-1", "shared-tools-a", sg("ci-runners"), "10.20.0.31", instance_type="c6i.xlarge",
               profile="ci-runner")
    r.instance("old-test", "default-a", ["default"], "172.31.5.203", instance_type="t2.micro", state="stopped",
               tokens="optional", hop_limit=1, launched="2019-05-07T08:13:40+00:00", key_name="test")
    r.instance("prod-shop-1", "prod-app-a", sg("prod-shop-web"), "10.10.10.52", instance_type="c6i.large",
               profile="prod-shop", launched="2025-10-06T13:27:19+00:00")
    r.instance("corp-dc-1", "prod-dir-a", sg("corp-ad"), "10.10.30.10", instance_type="m5.large", windows=True,
               public_ip="54.156.88.21",
               profile="corp-dc", launched="2024-02-19T10:05:44+00:00", extra_tags={"Role": "domain-controller"})
    nat_eni = r.service_eni("nat-prod-a", "prod-public-a", "10.10.0.187",
                            f"Interface for NAT Gateway {hid('nat', 'prod-a')}", "nat_gateway", "AWS",
                            public_ip="34.197.52.141")

    # -- gateways, routes, NACLs, peering, flow logs
    igw_prod = r.igw("prod-igw", "prod-vpc")
    igw_default = r.igw("default", "default", tagged=False)
    eigw = hid("eigw", "prod")
    r.eigws.append({"Attachments": [{"State": "attached", "VpcId": prod}], "EgressOnlyInternetGatewayId": eigw,
                    "Tags": name_tags("prod-eigw")})
    nat = hid("nat", "prod-a")
    r.nats.append({
        "CreateTime": "2025-02-03T11:02:41+00:00",
        "NatGatewayAddresses": [{"AllocationId": hid("eipalloc", "34.197.52.141"), "NetworkInterfaceId": nat_eni,
                                 "PrivateIp": "10.10.0.187", "PublicIp": "34.197.52.141"}],
        "NatGatewayId": nat, "State": "available", "SubnetId": r.subnet_by_name["prod-public-a"]["SubnetId"],
        "VpcId": prod, "Tags": name_tags("prod-nat-a"), "ConnectivityType": "public"})

    r.route_table("prod-main", "prod-vpc", [], main=True)
    r.route_table("prod-public", "prod-vpc", [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_prod},
        {"DestinationIpv6CidrBlock": "::/0", "GatewayId": igw_prod},
    ], subnets=["prod-public-a", "prod-public-b", "prod-mgmt-a"])
    r.route_table("prod-private", "prod-vpc", [
        {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": nat},
        {"DestinationIpv6CidrBlock": "::/0", "EgressOnlyInternetGatewayId": eigw},
        {"DestinationCidrBlock": "10.20.0.0/16", "VpcPeeringConnectionId": pcx},
        {"DestinationPrefixListId": s3_pl, "GatewayId": hid("vpce", "prod-s3")},
    ], subnets=["prod-app-a", "prod-data-a"])
    # The directory subnet got its own route table, with a default route to the internet gateway, when
    # the identity provider's directory sync was set up; the peering route to the CI runners stayed.
    r.route_table("prod-dir", "prod-vpc", [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_prod},
        {"DestinationCidrBlock": "10.20.0.0/16", "VpcPeeringConnectionId": pcx},
    ], subnets=["prod-dir-a"])
    r.route_table("shared-main", "shared-services-vpc", [
        {"DestinationCidrBlock": "10.10.0.0/16", "VpcPeeringConnectionId": pcx},
    ], main=True)
    r.route_table("default-main", "default", [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_default}],
                  main=True, tagged=False)

    r.nacl("prod-public-nacl", "prod-vpc", inbound=[
        (80, "tcp", 3389, 3389, "0.0.0.0/0", "deny"),
        (81, "tcp", 3389, 3389, "::/0", "deny"),
        (90, "tcp", 22, 22, "0.0.0.0/0", "deny"),
        (91, "tcp", 22, 22, "::/0", "deny"),
        (100, "-1", 0, 0, "0.0.0.0/0", "allow"),
        (101, "-1", 0, 0, "::/0", "allow"),
    ], outbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow"), (101, "-1", 0, 0, "::/0", "allow")],
        subnets=["prod-public-a", "prod-public-b"])
    r.nacl("prod-mgmt-nacl", "prod-vpc", inbound=[
        (100, "tcp", 22, 22, "0.0.0.0/0", "allow"),
        (110, "tcp", 1024, 65535, "0.0.0.0/0", "allow"),
        (200, "tcp", 22, 22, "0.0.0.0/0", "deny"),
    ], outbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow")], subnets=["prod-mgmt-a"])
    r.nacl("prod-default", "prod-vpc", inbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow"),
                                                (101, "-1", 0, 0, "::/0", "allow")],
           outbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow"), (101, "-1", 0, 0, "::/0", "allow")],
           subnets=["prod-app-a", "prod-data-a", "prod-dir-a"], default=True)
    r.nacl("shared-default", "shared-services-vpc", inbound=[
        (100, "-1", 0, 0, "10.0.0.0/8", "allow"),
    ], outbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow")], subnets=["shared-tools-a"], default=True)
    r.nacl("default-default", "default", inbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow")],
           outbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow")], subnets=["default-a", "default-b"], default=True)

    peering_options = {"AllowDnsResolutionFromRemoteVpc": False, "AllowEgressFromLocalClassicLinkToRemoteVpc": False,
                       "AllowEgressFromLocalVpcToRemoteClassicLink": False}
    r.peerings.append({
        "AccepterVpcInfo": {"CidrBlock": "10.20.0.0/16", "CidrBlockSet": [{"CidrBlock": "10.20.0.0/16"}],
                            "OwnerId": ACCOUNT, "PeeringOptions": peering_options, "VpcId": shared,
                            "Region": "us-east-1"},
        "RequesterVpcInfo": {"CidrBlock": "10.10.0.0/16", "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": "2600:1f18:4a2:6a00::/56"}],
                             "CidrBlockSet": [{"CidrBlock": "10.10.0.0/16"}], "OwnerId": ACCOUNT,
                             "PeeringOptions": peering_options, "VpcId": prod, "Region": "us-east-1"},
        "Status": {"Code": "active", "Message": "Active"},
        "Tags": name_tags("prod-to-shared-services"),
        "VpcPeeringConnectionId": pcx,
    })

    v5 = ("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
          "${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
    r.flow_logs += [
        {"CreationTime": "2025-02-03T11:20:18.512000+00:00", "DeliverLogsStatus": "SUCCESS",
         "FlowLogId": hid("fl", "prod"), "FlowLogStatus": "ACTIVE", "ResourceId": prod, "TrafficType": "ALL",
         "LogDestinationType": "s3", "LogDestination": "arn:aws:s3:::acme-111122223333-flow-logs/prod",
         "LogFormat": v5, "Tags": name_tags("prod-vpc-flow-logs"), "MaxAggregationInterval": 600,
         "DestinationOptions": {"FileFormat": "plain-text", "HiveCompatiblePartitions": False,
                                "PerHourPartition": False}},
        {"CreationTime": "2024-10-22T07:45:02.131000+00:00", "DeliverLogsErrorMessage": "Access error",
         "DeliverLogsPermissionArn": f"arn:aws:iam::{ACCOUNT}:role/flow-logs-delivery",
         "DeliverLogsStatus": "FAILED", "FlowLogId": hid("fl", "shared"), "FlowLogStatus": "ACTIVE",
         "LogGroupName": "/vpc/shared-services", "ResourceId": shared, "TrafficType": "REJECT",
         "LogDestinationType": "cloud-watch-logs",
         "LogDestination": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/vpc/shared-services",
         "LogFormat": v5, "MaxAggregationInterval": 600},
    ]
    shop_load_balancer(r)
    return r


# ---- eu-west-1: the EU storefront; flow logs could not be read (the audit role lacked the permission) --

def eu_west_1():
    r = Region("eu-west-1")
    r.pcx_ids = {}
    r.vpc("eu-prod-vpc", "10.30.0.0/16", ipv6="2a05:d018:1f2:ab00::/56")
    r.vpc("default", "172.31.0.0/16", default=True)
    r.subnet("eu-public-a", "eu-prod-vpc", "10.30.0.0/24", "eu-west-1a", public=True, ipv6="2a05:d018:1f2:ab00::/64", free=248)
    r.subnet("eu-private-a", "eu-prod-vpc", "10.30.10.0/24", "eu-west-1a", free=249)
    r.subnet("default-a", "default", "172.31.0.0/20", "eu-west-1a", public=True, default=True, free=4091)

    s3_pl = "pl-6da54004"
    r.group("default", "eu-prod-vpc", "default VPC security group", aws_default_group_rules(), default=True)
    r.group("eu-web", "eu-prod-vpc", "EU storefront web servers",
            rules("ingress", "tcp", 443, 443, ["0.0.0.0/0", "::/0"], "HTTPS")
            + rules("ingress", "tcp", 80, 80, ["0.0.0.0/0", "::/0"], "HTTP (redirects to HTTPS)")
            + rules("egress", "-1", -1, -1, ["0.0.0.0/0", "::/0"]), tag_name="eu-web")
    r.group("eu-admin", "eu-prod-vpc", "SSH from the office",
            rules("ingress", "tcp", 22, 22, [OFFICE], "HQ office"), tag_name="eu-admin")
    r.group("eu-batch", "eu-prod-vpc", "Nightly export jobs",
            rules("egress", "tcp", 443, 443, [f"pl:{s3_pl}"], "exports to S3"), tag_name="eu-batch")
    r.group("eu-reporting-old", "eu-prod-vpc", "old reporting stack (decommissioned 2025-04)",
            rules("ingress", "tcp", 5432, 5432, ["10.30.0.0/16"], ""), tag_name="eu-reporting-old")
    r.group("default", "default", "default VPC security group", aws_default_group_rules(), default=True)

    r.prefix_lists = [{"PrefixListId": s3_pl, "AddressFamily": "IPv4", "State": "create-complete",
                       "PrefixListArn": f"arn:aws:ec2:eu-west-1:aws:prefix-list/{s3_pl}",
                       "PrefixListName": "com.amazonaws.eu-west-1.s3", "Tags": [], "OwnerId": "AWS"}]
    r.prefix_list_entries = {s3_pl: [{"Cidr": "3.5.64.0/21"}, {"Cidr": "3.5.72.0/23"}, {"Cidr": "52.92.0.0/17"},
                                     {"Cidr": "52.218.0.0/17"}]}

    r.instance("eu-web-1", "eu-public-a", ["eu-web", "eu-admin"], "10.30.0.12", public_ip="34.248.12.190",
               ipv6=["2a05:d018:1f2:ab00:4d1:92c7:fe31:8a05"], profile="eu-web", key_name="eu-2025")
    r.instance("eu-batch-1", "eu-private-a", ["eu-batch"], "10.30.10.77", instance_type="m6i.large",
               profile="eu-batch")

    igw = r.igw("eu-prod-igw", "eu-prod-vpc")
    igw_default = r.igw("default", "default", tagged=False)
    r.route_table("eu-prod-main", "eu-prod-vpc", [], main=True, tagged=True)
    r.route_table("eu-public", "eu-prod-vpc", [
        {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw},
        {"DestinationIpv6CidrBlock": "::/0", "GatewayId": igw},
    ], subnets=["eu-public-a"])
    r.route_table("default-main", "default", [{"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw_default}],
                  main=True, tagged=False)
    r.nacl("eu-prod-default", "eu-prod-vpc", inbound=[
        (100, "tcp", 443, 443, "0.0.0.0/0", "allow"),
        (101, "tcp", 443, 443, "::/0", "allow"),
        (110, "tcp", 80, 80, "0.0.0.0/0", "allow"),
        (111, "tcp", 80, 80, "::/0", "allow"),
        (120, "tcp", 22, 22, OFFICE, "allow"),
        (130, "-1", 0, 0, "10.30.0.0/16", "allow"),
        (140, "tcp", 32768, 65535, "0.0.0.0/0", "allow"),  # return traffic (Linux ephemeral ports)
        (141, "tcp", 32768, 65535, "::/0", "allow"),
    ], outbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow"), (101, "-1", 0, 0, "::/0", "allow")],
        subnets=["eu-public-a", "eu-private-a"], default=True)
    r.nacl("default-default", "default", inbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow")],
           outbound=[(100, "-1", 0, 0, "0.0.0.0/0", "allow")], subnets=["default-a"], default=True)

    # No load balancer in eu-west-1: the export still lists them (empty) and makes no per-resource call.
    r.errors["describe-flow-logs"] = {
        "FortressCollectionError": {
            "Service": "ec2",
            "Command": "describe-flow-logs",
            "Region": "eu-west-1",
            "ErrorCode": "UnauthorizedOperation",
            "Message": "An error occurred (UnauthorizedOperation) when calling the DescribeFlowLogs operation: "
                       "You are not authorized to perform this operation.",
            "ExitCode": 254,
            "Time": "2026-11-30T09:14:27Z",
        }
    }
    return r


# ---- ELBv2: the shop's internet-facing application load balancer (us-east-1) ---------------------------
# describe-load-balancers, describe-target-groups, and per resource describe-listeners (per load
# balancer) and describe-target-health (per target group), in the shapes of the elbv2 service model.
# The load balancer has one node per public subnet (a requester-managed interface with a public
# address, described "ELB app/<name>/<id>"); its listener 443 forwards to prod-shop-tg, whose one target
# is the private prod-shop-1 on port 80; listener 80 redirects to HTTPS.

MODELS["elbv2"] = load_model("elbv2")


def elb_hex(key, n=16):
    return hashlib.sha1(f"elb/{key}".encode()).hexdigest()[:n]


def load_balancer_node_eni(r, lb_name, lb_id, subnet, private_ip, public_ip, group):
    """The network interface of a load balancer node, as describe-network-interfaces prints it: a
    requester-managed interface attached by ELB, with an Amazon-owned public address."""
    s = r.subnet_by_name[subnet]
    vpc_name = next(n for n, v in r.vpc_by_name.items() if v == s["VpcId"])
    r.service_eni(f"elb/{lb_name}/{subnet}", subnet, private_ip, f"ELB app/{lb_name}/{lb_id}", "interface",
                  "amazon-elb", groups=[(group, r.gid(vpc_name, group))])
    eni = r.enis[-1]
    assoc = {"IpOwnerId": "amazon", "PublicDnsName": f"ec2-{public_ip.replace('.', '-')}.compute-1.amazonaws.com",
             "PublicIp": public_ip}
    eni["Association"] = dict(assoc)
    eni["Attachment"] = {"AttachTime": "2025-10-06T13:05:12+00:00",
                         "AttachmentId": hid("eni-attach", eni["NetworkInterfaceId"]), "DeleteOnTermination": False,
                         "DeviceIndex": 1, "NetworkCardIndex": 0, "InstanceOwnerId": "amazon-elb", "Status": "attached"}
    eni["PrivateIpAddresses"][0] = {"Association": dict(assoc), **eni["PrivateIpAddresses"][0]}


def shop_load_balancer(r):
    name, lb_id = "prod-shop", elb_hex("prod-shop")
    arn = f"arn:aws:elasticloadbalancing:{r.name}:{ACCOUNT}:loadbalancer/app/{name}/{lb_id}"
    tg_arn = f"arn:aws:elasticloadbalancing:{r.name}:{ACCOUNT}:targetgroup/prod-shop-tg/{elb_hex('prod-shop-tg')}"
    vpc = r.vpc_by_name["prod-vpc"]
    nodes = [("prod-public-a", "10.10.0.140", "54.164.20.88"), ("prod-public-b", "10.10.1.211", "3.222.105.17")]
    for subnet, private_ip, public_ip in nodes:
        load_balancer_node_eni(r, name, lb_id, subnet, private_ip, public_ip, "prod-shop-alb")
    r.load_balancers.append({
        "LoadBalancerArn": arn,
        "DNSName": f"{name}-{int(elb_hex('dns', 8), 16) % 10**10}.{r.name}.elb.amazonaws.com",
        "CanonicalHostedZoneId": "Z35SXDOTRQ7X7K",
        "CreatedTime": "2025-10-06T13:04:51.210000+00:00",
        "LoadBalancerName": name,
        "Scheme": "internet-facing",
        "VpcId": vpc,
        "State": {"Code": "active"},
        "Type": "application",
        "AvailabilityZones": [{"ZoneName": r.subnet_by_name[sn]["AvailabilityZone"],
                               "SubnetId": r.subnet_by_name[sn]["SubnetId"], "LoadBalancerAddresses": []}
                              for sn, _, _ in nodes],
        "SecurityGroups": [r.gid("prod-vpc", "prod-shop-alb")],
        "IpAddressType": "ipv4",
    })
    listener = lambda port: f"arn:aws:elasticloadbalancing:{r.name}:{ACCOUNT}:listener/app/{name}/{lb_id}/{elb_hex(f'{name}/{port}')}"  # noqa: E731
    r.listeners[arn] = [
        {"ListenerArn": listener(80), "LoadBalancerArn": arn, "Port": 80, "Protocol": "HTTP",
         "DefaultActions": [{"Type": "redirect", "Order": 1, "RedirectConfig": {
             "Protocol": "HTTPS", "Port": "443", "Host": "#{host}", "Path": "/#{path}", "Query": "#{query}",
             "StatusCode": "HTTP_301"}}]},
        {"ListenerArn": listener(443), "LoadBalancerArn": arn, "Port": 443, "Protocol": "HTTPS",
         "Certificates": [{"CertificateArn": f"arn:aws:acm:{r.name}:{ACCOUNT}:certificate/"
                                             "8d2c4f1a-7e3b-4a69-b5d0-2f8e6c1a9b47"}],
         "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
         "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg_arn, "Order": 1, "ForwardConfig": {
             "TargetGroups": [{"TargetGroupArn": tg_arn, "Weight": 1}],
             "TargetGroupStickinessConfig": {"Enabled": False}}}]},
    ]
    r.target_groups.append({
        "TargetGroupArn": tg_arn, "TargetGroupName": "prod-shop-tg", "Protocol": "HTTP", "Port": 80, "VpcId": vpc,
        "HealthCheckProtocol": "HTTP", "HealthCheckPort": "traffic-port", "HealthCheckEnabled": True,
        "HealthCheckIntervalSeconds": 30, "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 5,
        "UnhealthyThresholdCount": 2, "HealthCheckPath": "/health", "Matcher": {"HttpCode": "200"},
        "LoadBalancerArns": [arn], "TargetType": "instance", "ProtocolVersion": "HTTP1", "IpAddressType": "ipv4",
    })
    r.target_health[tg_arn] = [{"Target": {"Id": hid("i", f"{r.name}/prod-shop-1"), "Port": 80},
                                "HealthCheckPort": "80", "TargetHealth": {"State": "healthy"}}]


def elbv2_files(r):
    """{"describe-load-balancers": output, "describe-listeners/<file>": output, ...} of a region."""
    out = {
        "describe-load-balancers": output_of("elbv2", "DescribeLoadBalancers", {"LoadBalancers": r.load_balancers}),
        "describe-target-groups": output_of("elbv2", "DescribeTargetGroups", {"TargetGroups": r.target_groups}),
    }
    for arn, listeners in r.listeners.items():
        out[f"describe-listeners/{file_name_for_id(arn)}"] = output_of("elbv2", "DescribeListeners",
                                                                       {"Listeners": listeners})
    for arn, health in r.target_health.items():
        out[f"describe-target-health/{file_name_for_id(arn)}"] = output_of(
            "elbv2", "DescribeTargetHealth", {"TargetHealthDescriptions": health})
    return out


def account_wide():
    identity = output_of("sts", "GetCallerIdentity", {
        "UserId": "AROAYDEMO7EXAMPLE2345:alice.audit",
        "Account": ACCOUNT,
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/SecurityAudit/alice.audit",
    })
    regions = [("eu-west-1", "opt-in-not-required"), ("us-east-1", "opt-in-not-required"),
               ("af-south-1", "not-opted-in"), ("ap-east-1", "not-opted-in"), ("me-central-1", "not-opted-in")]
    described = output_of("ec2", "DescribeRegions", {"Regions": [
        {"Endpoint": f"ec2.{n}.amazonaws.com", "RegionName": n, "OptInStatus": s} for n, s in regions]})
    return identity, described

# ---- IAM (account-wide): the people, the automation and what they may do ------------------------------
# One function of its own (and its helpers): the credential report, the authorization details, the
# account summary, the password policy and the virtual MFA devices. Policy documents are validated as
# the model's strings, then printed as the JSON objects the CLI prints (it decodes them).

MODELS["iam"] = load_model("iam")

IAM_REPORT_TIME = "2026-11-30T08:12:44+00:00"
IAM_DOCUMENT_MEMBERS = ("PolicyDocument", "AssumeRolePolicyDocument", "Document")


def iam_id(prefix, key):
    """A stable IAM unique ID: AIDA/AGPA/AROA/ANPA/AIPA followed by 17 characters derived from key."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    digest = hashlib.sha1(f"{prefix}/{key}".encode()).digest()
    return prefix + "".join(alphabet[b % 32] for b in digest[:17])


def iam_doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(actions, resources="*", **extra):
    return dict({"Effect": "Allow", "Action": actions, "Resource": resources}, **extra)


def trusts(principal, **extra):
    return iam_doc(dict({"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}, **extra))


def iam_output(operation, value):
    """output_of() with policy documents as the model's strings, then as the objects the CLI prints."""
    def encode(v):
        if isinstance(v, dict):
            return {k: json.dumps(x) if k in IAM_DOCUMENT_MEMBERS and isinstance(x, dict) else encode(x)
                    for k, x in v.items()}
        if isinstance(v, list):
            return [encode(x) for x in v]
        return v

    def decode(v):
        if isinstance(v, dict):
            return {k: json.loads(x) if k in IAM_DOCUMENT_MEMBERS and isinstance(x, str) else decode(x)
                    for k, x in v.items()}
        if isinstance(v, list):
            return [decode(x) for x in v]
        return v
    return decode(output_of("iam", operation, encode(value)))


# AWS managed policies in use. AdministratorAccess, AWSSupportAccess and AWSCloudShellFullAccess are
# their real documents; ReadOnlyAccess, SecurityAudit and AWSSupportServiceRolePolicy are abridged (the
# real ones list hundreds of actions) but read the same way.
AWS_POLICIES = {
    "AdministratorAccess": ("2015-02-06T18:39:46+00:00", "v1", iam_doc(allow("*"))),
    "ReadOnlyAccess": ("2015-02-06T18:39:48+00:00", "v118", iam_doc(allow([
        "ec2:Describe*", "elasticloadbalancing:Describe*", "iam:Get*", "iam:List*", "kms:Describe*", "kms:List*",
        "logs:Get*", "logs:Describe*", "s3:Get*", "s3:List*", "dynamodb:BatchGetItem", "dynamodb:Describe*",
        "dynamodb:GetItem", "dynamodb:List*", "dynamodb:Query", "dynamodb:Scan", "secretsmanager:Describe*",
        "secretsmanager:List*", "ssm:Describe*", "ssm:Get*", "ssm:List*"]))),
    "SecurityAudit": ("2015-02-06T18:41:01+00:00", "v42", iam_doc(allow([
        "cloudtrail:Describe*", "cloudtrail:Get*", "config:Describe*", "ec2:Describe*", "guardduty:Get*",
        "guardduty:List*", "iam:GenerateCredentialReport", "iam:Get*", "iam:List*", "inspector2:BatchGetAccountStatus",
        "s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:ListAllMyBuckets", "ssm:Describe*", "ssm:ListResourceComplianceSummaries"]))),
    "AWSSupportAccess": ("2015-02-06T18:41:11+00:00", "v1", iam_doc(allow(["support:*"]))),
    "AWSCloudShellFullAccess": ("2020-12-15T18:17:38+00:00", "v1", iam_doc(allow(["cloudshell:*"]))),
    "AWSSupportServiceRolePolicy": ("2018-04-19T18:04:44+00:00", "v27", iam_doc(allow([
        "ec2:Describe*", "iam:GetRole", "iam:ListRoles", "s3:GetBucketLocation", "s3:ListAllMyBuckets"]))),
}

CUSTOMER_POLICIES = {
    "CiDeployArtifacts": ("2022-05-10T09:02:17+00:00", [
        ("v3", "2025-11-02T11:28:40+00:00", iam_doc(
            allow(["s3:PutObject", "s3:GetObject"], "arn:aws:s3:::acme-artifacts/*"),
            allow(["ecr:GetAuthorizationToken"]),
            allow(["ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
                   "ecr:CompleteLayerUpload"], f"arn:aws:ecr:us-east-1:{ACCOUNT}:repository/acme-*"))),
    ]),
    # Written during an outage "for now"; v1 was the scoped one.
    "LegacyFullAccess": ("2021-03-08T22:51:09+00:00", [
        ("v2", "2023-07-14T02:13:55+00:00", iam_doc({"Sid": "OutageWorkaround", "Effect": "Allow", "Action": "*:*",
                                                      "Resource": "*"})),
        ("v1", "2021-03-08T22:51:09+00:00", iam_doc(allow(["ec2:StartInstances", "ec2:StopInstances"]))),
    ]),
}

# name: (created, path, groups, managed policies, inline policies {name: doc}, MFA device, report row)
# Report rows: password (last used, last changed) or None; MFA; keys: (rotated, last used, region, service) or None.
IAM_USERS = {
    "alice": ("2019-03-04T10:30:17+00:00", "/", ["Admins"], [], {}, True,
              (("2026-11-29T16:02:44+00:00", "2026-09-01T09:12:38+00:00"), True, None, None)),
    "erin": ("2020-06-22T08:41:03+00:00", "/", ["Admins"], [], {}, True,
             (("2026-11-27T12:20:10+00:00", "2026-10-02T07:51:30+00:00"), True,
              ("2026-10-15T13:02:11+00:00", "2026-11-29T21:40:00+00:00", "us-east-1", "cloudformation"), None)),
    "bob": ("2021-08-17T11:05:33+00:00", "/", ["Developers"], [], {}, False,
            (("2026-11-28T10:41:03+00:00", "2025-01-20T08:00:51+00:00"), False,
             ("2025-06-03T15:22:10+00:00", "2026-11-29T19:03:00+00:00", "us-east-1", "s3"), None)),
    "carol": ("2023-02-01T14:12:55+00:00", "/", ["Developers"], [], {
        "ec2-launch-with-role": iam_doc(
            {"Sid": "LaunchBuildBoxes", "Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:Describe*"], "Resource": "*"},
            {"Sid": "PassAnyRole", "Effect": "Allow", "Action": "iam:PassRole",
             "Resource": f"arn:aws:iam::{ACCOUNT}:role/*"})}, True,
              (("2026-11-25T09:05:47+00:00", "2026-08-14T10:00:02+00:00"), True,
               ("2026-10-01T08:30:00+00:00", None, None, None), None)),
    "dave": ("2022-11-07T16:44:20+00:00", "/", [], ["ReadOnlyAccess"], {}, True,
             (("2026-09-10T17:32:08+00:00", "2026-03-02T09:15:44+00:00"), True, None, None)),
    "ci-deploy": ("2022-05-10T09:00:04+00:00", "/service/", [], ["CiDeployArtifacts"], {}, False,
                  (None, False,
                   ("2026-08-01T00:00:09+00:00", "2026-11-30T06:00:00+00:00", "us-east-1", "ecr"),
                   ("2026-01-20T11:30:27+00:00", "2026-03-02T23:59:00+00:00", "us-east-1", "s3"))),
}

IAM_GROUPS = {
    "Admins": ("2019-03-04T10:29:51+00:00", ["AdministratorAccess"], {}),
    "Developers": ("2019-05-13T12:00:40+00:00", ["AWSCloudShellFullAccess"], {
        "dev-services": iam_doc(allow(["ec2:Describe*", "logs:Get*", "logs:FilterLogEvents", "cloudwatch:Get*"]),
                                allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                                      ["arn:aws:s3:::acme-dev-*", "arn:aws:s3:::acme-dev-*/*"]))}),
}

# name: (created, path, trust, managed policies, inline policies, instance profile?, last used)
IAM_ROLES = {
    "SecurityAudit": ("2024-06-03T13:10:12+00:00", "/", trusts({"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                      Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}), ["SecurityAudit"], {}, False,
                      "2026-11-30T08:09:58+00:00"),
    "ec2-admin-instance": ("2022-09-19T07:14:40+00:00", "/", trusts({"Service": "ec2.amazonaws.com"}),
                           ["AdministratorAccess"], {}, True, "2026-11-12T03:00:41+00:00"),
    "web-app-ec2": ("2021-04-12T10:02:33+00:00", "/", trusts({"Service": "ec2.amazonaws.com"}), [], {
        "web-app-runtime": iam_doc(
            allow(["s3:GetObject"], "arn:aws:s3:::acme-web-assets/*"),
            {"Sid": "AppSecrets", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"})},
                    True, "2026-11-30T07:58:12+00:00"),
    "aws-support": ("2019-03-04T11:02:40+00:00", "/", trusts({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
                    ["AWSSupportAccess"], {}, False, None),
    "legacy-automation": ("2021-03-08T22:49:31+00:00", "/", trusts({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
                          ["LegacyFullAccess"], {}, False, "2025-02-11T18:20:05+00:00"),
    "AWSServiceRoleForSupport": ("2019-03-04T10:12:40+00:00", "/aws-service-role/support.amazonaws.com/",
                                 trusts({"Service": "support.amazonaws.com"}), ["AWSSupportServiceRolePolicy"], {},
                                 False, None),
}

ROOT_ROW = ("2019-03-04T10:11:12+00:00", "2026-11-02T19:41:05+00:00")  # created, password last used


AWS_POLICY_PATHS = {"AWSSupportServiceRolePolicy": "/aws-service-role/"}


def policy_arn(name):
    if name in AWS_POLICIES:
        return f"arn:aws:iam::aws:policy{AWS_POLICY_PATHS.get(name, '/')}{name}"
    return f"arn:aws:iam::{ACCOUNT}:policy/{name}"


def attached(names):
    return [{"PolicyName": n, "PolicyArn": policy_arn(n)} for n in names]


def credential_report():
    header = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
              "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
              "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
              "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
              "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
              "cert_2_active,cert_2_last_rotated")
    created, root_used = ROOT_ROW
    lines = [header, ",".join([f"<root_account>", f"arn:aws:iam::{ACCOUNT}:root", created, "not_supported", root_used,
                               "not_supported", "not_supported", "true"] + ["false", "N/A", "N/A", "N/A", "N/A"] * 2
                              + ["false", "N/A", "false", "N/A"])]
    for name, (created, path, _, _, _, _, (password, mfa, key1, key2)) in IAM_USERS.items():
        cells = [name, f"arn:aws:iam::{ACCOUNT}:user{path}{name}", created]
        if password:
            cells += ["true", password[0] or "N/A", password[1], "N/A"]
        else:
            cells += ["false", "N/A", "N/A", "N/A"]
        cells.append("true" if mfa else "false")
        for key in (key1, key2):
            if key:
                rotated, used, region, service = key
                cells += ["true", rotated, used or "N/A", region or "N/A", service or "N/A"]
            else:
                cells += ["false", "N/A", "N/A", "N/A", "N/A"]
        cells += ["false", "N/A", "false", "N/A"]
        lines.append(",".join(cells))
    content = base64.b64encode(("\n".join(lines)).encode()).decode()
    return iam_output("GetCredentialReport", {"Content": content, "ReportFormat": "text/csv",
                                              "GeneratedTime": IAM_REPORT_TIME})


def authorization_details():
    users = []
    for name, (created, path, groups, managed, inline, _, _) in IAM_USERS.items():
        user = {"Path": path, "UserName": name, "UserId": iam_id("AIDA", name),
                "Arn": f"arn:aws:iam::{ACCOUNT}:user{path}{name}", "CreateDate": created, "GroupList": groups,
                "AttachedManagedPolicies": attached(managed)}
        if inline:
            user["UserPolicyList"] = [{"PolicyName": n, "PolicyDocument": d} for n, d in inline.items()]
        users.append(user)
    groups = [{"Path": "/", "GroupName": name, "GroupId": iam_id("AGPA", name),
               "Arn": f"arn:aws:iam::{ACCOUNT}:group/{name}", "CreateDate": created,
               "GroupPolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline.items()],
               "AttachedManagedPolicies": attached(managed)}
              for name, (created, managed, inline) in IAM_GROUPS.items()]
    roles = []
    for name, (created, path, trust, managed, inline, profile, last_used) in IAM_ROLES.items():
        arn = f"arn:aws:iam::{ACCOUNT}:role{path}{name}"
        role = {"Path": path, "RoleName": name, "RoleId": iam_id("AROA", name), "Arn": arn, "CreateDate": created,
                "AssumeRolePolicyDocument": trust, "InstanceProfileList": [],
                "RolePolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline.items()],
                "AttachedManagedPolicies": attached(managed), "RoleLastUsed": {}}
        if profile:
            role["InstanceProfileList"] = [{
                "Path": "/", "InstanceProfileName": name, "InstanceProfileId": iam_id("AIPA", name),
                "Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/{name}", "CreateDate": created,
                "Roles": [{"Path": path, "RoleName": name, "RoleId": iam_id("AROA", name), "Arn": arn,
                           "CreateDate": created, "AssumeRolePolicyDocument": trust}]}]
        if last_used:
            role["RoleLastUsed"] = {"LastUsedDate": last_used, "Region": "us-east-1"}
        roles.append(role)
    in_use = {}
    for _, _, _, managed, _, _, _ in IAM_USERS.values():
        for n in managed:
            in_use[n] = in_use.get(n, 0) + 1
    for _, managed, _ in IAM_GROUPS.values():
        for n in managed:
            in_use[n] = in_use.get(n, 0) + 1
    for _, _, _, managed, _, _, _ in IAM_ROLES.values():
        for n in managed:
            in_use[n] = in_use.get(n, 0) + 1
    policies = []
    for name, count in in_use.items():
        if name in AWS_POLICIES:
            created, version, document = AWS_POLICIES[name]
            versions = [(version, created, document)]
            path = AWS_POLICY_PATHS.get(name, "/")
        else:
            created, versions = CUSTOMER_POLICIES[name]
            path = "/"
        policies.append({
            "PolicyName": name, "PolicyId": iam_id("ANPA", name), "Arn": policy_arn(name),
            "Path": path, "DefaultVersionId": versions[0][0], "AttachmentCount": count,
            "PermissionsBoundaryUsageCount": 0, "IsAttachable": name != "AWSSupportServiceRolePolicy",
            "CreateDate": created, "UpdateDate": versions[0][1],
            "PolicyVersionList": [{"Document": d, "VersionId": v, "IsDefaultVersion": i == 0, "CreateDate": c}
                                  for i, (v, c, d) in enumerate(versions)]})
    return iam_output("GetAccountAuthorizationDetails", {"UserDetailList": users, "GroupDetailList": groups,
                                                         "RoleDetailList": roles, "Policies": policies})


def iam_account():
    """The files of iam/: command -> CLI output."""
    mfa_users = [n for n, u in IAM_USERS.items() if u[5]]
    devices = [{"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/{n}",
                "User": {"Path": IAM_USERS[n][1], "UserName": n, "UserId": iam_id("AIDA", n),
                         "Arn": f"arn:aws:iam::{ACCOUNT}:user{IAM_USERS[n][1]}{n}", "CreateDate": IAM_USERS[n][0]},
                "EnableDate": IAM_USERS[n][0]} for n in mfa_users]
    # The root user's MFA is an authenticator app too (root-hardware-mfa).
    devices.append({"SerialNumber": f"arn:aws:iam::{ACCOUNT}:mfa/root-account-mfa-device",
                    "User": {"UserId": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:root", "CreateDate": ROOT_ROW[0],
                             "PasswordLastUsed": ROOT_ROW[1]},
                    "EnableDate": "2019-03-04T10:14:53+00:00"})
    summary = {"Users": len(IAM_USERS), "Groups": len(IAM_GROUPS), "Roles": len(IAM_ROLES),
               "Policies": len(CUSTOMER_POLICIES), "MFADevices": len(devices), "MFADevicesInUse": len(devices),
               "AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "AccountSigningCertificatesPresent": 0,
               "UsersQuota": 5000, "GroupsQuota": 300, "RolesQuota": 1000, "PoliciesQuota": 1500}
    return {
        "generate-credential-report": iam_output("GenerateCredentialReport", {
            "State": "COMPLETE", "Description": "No report exists. Starting a new report generation task"}),
        "get-credential-report": credential_report(),
        "get-account-authorization-details": authorization_details(),
        "get-account-summary": iam_output("GetAccountSummary", {"SummaryMap": summary}),
        # Left at what the account got in 2019: 8 characters, reuse allowed (password-policy-length, -reuse).
        "get-account-password-policy": iam_output("GetAccountPasswordPolicy", {"PasswordPolicy": {
            "MinimumPasswordLength": 8, "RequireSymbols": False, "RequireNumbers": True,
            "RequireUppercaseCharacters": True, "RequireLowercaseCharacters": True,
            "AllowUsersToChangePassword": True, "ExpirePasswords": False}}),
        "list-virtual-mfa-devices": iam_output("ListVirtualMFADevices", {"VirtualMFADevices": devices}),
    }


# ---- account baseline: logging, detection, Systems Manager, Auto Scaling (CIS 3.x, 4.x) ----------------
# What the other services say about the same two regions. The story: one multi-region management trail
# (us-east-1) that is encrypted and validated, and an eu-west-1 application trail that is neither; AWS
# Config recording in us-east-1 only; GuardDuty on in both regions, EBS malware scanning off in eu-west-1;
# Inspector scanning EC2 in us-east-1 only; Access Analyzer in us-east-1 only; most instances managed by
# Systems Manager, but the bastion and the partner SFTP host are not, the Windows reporting host lost its
# agent, prod-db-1 misses critical patches and ci-runner-1 was never scanned; only the web tiers run in
# Auto Scaling groups.

BASELINE_SERVICES = {"cloudtrail": "cloudtrail", "configservice": "config", "guardduty": "guardduty",
                     "ssm": "ssm", "inspector2": "inspector2", "autoscaling": "autoscaling",
                     "accessanalyzer": "accessanalyzer", "logs": "logs", "cloudwatch": "cloudwatch", "sns": "sns"}


def baseline_output(cli_service, operation, value):
    model = BASELINE_SERVICES[cli_service]
    if model not in MODELS:
        MODELS[model] = load_model(model)
    return output_of(model, operation, value)


def file_name_for_id(value):
    """An ID as the export script names its fan-out file: [A-Za-z0-9._-] kept, other bytes %XX."""
    return "".join(c if c.isalnum() and c.isascii() or c in "._-" else f"%{ord(c):02X}" for c in value)


def baseline_trail(name, home, multi_region, validation, kms, log_group=None):
    arn = f"arn:aws:cloudtrail:{home}:{ACCOUNT}:trail/{name}"
    t = {"Name": name, "S3BucketName": f"acme-trail-logs-{home}", "IncludeGlobalServiceEvents": multi_region,
         "IsMultiRegionTrail": multi_region, "HomeRegion": home, "TrailARN": arn,
         "LogFileValidationEnabled": validation, "HasCustomEventSelectors": not multi_region,
         "HasInsightSelectors": False, "IsOrganizationTrail": False}
    if log_group:
        t["CloudWatchLogsLogGroupArn"] = f"arn:aws:logs:{home}:{ACCOUNT}:log-group:{log_group}:*"
        t["CloudWatchLogsRoleArn"] = f"arn:aws:iam::{ACCOUNT}:role/service-role/cloudtrail-to-cloudwatch"
    if kms:
        t["KmsKeyId"] = f"arn:aws:kms:{home}:{ACCOUNT}:key/{hid('key', name, 33)[6:14]}-4c1d-4e2f-9a3b-5c7d9e1f2a4b"
    return t


def baseline_services():
    """{region: {"service/command": output, "service/command/<id>": output}} for both demo regions."""
    mgmt = baseline_trail("acme-management", "us-east-1", True, True, True, log_group="aws-cloudtrail-acme")
    app = baseline_trail("eu-app-audit", "eu-west-1", False, False, False)
    trail_status = {
        mgmt["TrailARN"]: {"IsLogging": True, "LatestDeliveryTime": "2026-11-30T08:51:12+00:00",
                           "StartLoggingTime": "2023-06-01T10:00:00+00:00",
                           "LatestCloudWatchLogsDeliveryTime": "2026-11-30T08:52:40+00:00",
                           "LatestDigestDeliveryTime": "2026-11-30T08:30:02+00:00"},
        app["TrailARN"]: {"IsLogging": True, "LatestDeliveryTime": "2026-11-30T08:47:55+00:00",
                          "StartLoggingTime": "2025-02-17T13:20:00+00:00"},
    }
    selectors = {
        mgmt["TrailARN"]: {"TrailARN": mgmt["TrailARN"], "EventSelectors": [
            {"ReadWriteType": "All", "IncludeManagementEvents": True, "DataResources": [],
             "ExcludeManagementEventSources": []}]},
        # The application trail records the orders bucket's object events only.
        app["TrailARN"]: {"TrailARN": app["TrailARN"], "EventSelectors": [
            {"ReadWriteType": "All", "IncludeManagementEvents": False, "DataResources": [
                {"Type": "AWS::S3::Object", "Values": ["arn:aws:s3:::acme-eu-orders/"]}],
             "ExcludeManagementEventSources": []}]},
    }
    iid = lambda region, name: hid("i", f"{region}/{name}")  # noqa: E731 - as Region.instance names them

    def trails_files(region, listed):
        out = {"cloudtrail/describe-trails": baseline_output("cloudtrail", "DescribeTrails", {"trailList": listed})}
        for t in listed:
            key = file_name_for_id(t["TrailARN"])
            out[f"cloudtrail/get-trail-status/{key}"] = baseline_output(
                "cloudtrail", "GetTrailStatus", trail_status[t["TrailARN"]])
            out[f"cloudtrail/get-event-selectors/{key}"] = baseline_output(
                "cloudtrail", "GetEventSelectors", selectors[t["TrailARN"]])
        return out

    def detector(region, malware):
        did = hashlib.sha1(f"detector/{region}".encode()).hexdigest()[:32]
        body = {"CreatedAt": "2023-06-01T10:05:12.000Z", "FindingPublishingFrequency": "SIX_HOURS",
                "ServiceRole": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/"
                               "AWSServiceRoleForAmazonGuardDuty",
                "Status": "ENABLED", "UpdatedAt": "2026-09-02T07:41:33.000Z",
                "DataSources": {
                    "CloudTrail": {"Status": "ENABLED"}, "DNSLogs": {"Status": "ENABLED"},
                    "FlowLogs": {"Status": "ENABLED"}, "S3Logs": {"Status": "ENABLED"},
                    "Kubernetes": {"AuditLogs": {"Status": "DISABLED"}},
                    "MalwareProtection": {"ScanEc2InstanceWithFindings": {"EbsVolumes": {"Status": malware}},
                                          "ServiceRole": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/"
                                                         "malware-protection.guardduty.amazonaws.com/"
                                                         "AWSServiceRoleForAmazonGuardDutyMalwareProtection"}},
                "Tags": {"owner": "security"}}
        return {"guardduty/list-detectors": baseline_output("guardduty", "ListDetectors", {"DetectorIds": [did]}),
                f"guardduty/get-detector/{did}": baseline_output("guardduty", "GetDetector", body)}

    def recorders(region, on):
        listed = [{"name": "default", "roleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/config.amazonaws.com/"
                                                 "AWSServiceRoleForConfig",
                   "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True, "resourceTypes": []}}]
        status = [{"name": "default", "lastStartTime": "2023-06-01T10:07:44+00:00", "recording": True,
                   "lastStatus": "Success", "lastStatusChangeTime": "2026-11-30T08:40:19+00:00"}]
        return {"configservice/describe-configuration-recorders": baseline_output(
                    "configservice", "DescribeConfigurationRecorders", {"ConfigurationRecorders": listed if on else []}),
                "configservice/describe-configuration-recorder-status": baseline_output(
                    "configservice", "DescribeConfigurationRecorderStatus",
                    {"ConfigurationRecordersStatus": status if on else []})}

    def inspector(on):
        state = "ENABLED" if on else "DISABLED"
        return {"inspector2/batch-get-account-status": baseline_output("inspector2", "BatchGetAccountStatus", {
            "accounts": [{"accountId": ACCOUNT, "resourceState": {
                "ec2": {"status": state}, "ecr": {"status": state}, "lambda": {"status": "DISABLED"}},
                "state": {"status": state}}],
            "failedAccounts": []})}

    def analyzers(region, on):
        listed = [{"arn": f"arn:aws:access-analyzer:{region}:{ACCOUNT}:analyzer/acme-account",
                   "name": "acme-account", "type": "ACCOUNT", "createdAt": "2023-06-01T10:09:02+00:00",
                   "status": "ACTIVE"}] if on else []
        return {"accessanalyzer/list-analyzers": baseline_output("accessanalyzer", "ListAnalyzers", {"analyzers": listed})}

    def managed(region, members):  # [(name, ping, platform)]
        items = []
        for name, ping, platform in members:
            windows = platform == "Windows"
            items.append({"InstanceId": iid(region, name), "PingStatus": ping,
                          "LastPingDateTime": "2026-11-30T08:50:03+00:00" if ping == "Online" else "2026-10-02T17:12:45+00:00",
                          "AgentVersion": "3.3.1142.0" if not windows else "3.2.2222.0",
                          "IsLatestVersion": not windows, "PlatformType": platform,
                          "PlatformName": "Microsoft Windows Server 2019 Datacenter" if windows else "Amazon Linux",
                          "PlatformVersion": "10.0.17763" if windows else "2023", "ResourceType": "EC2Instance",
                          "SourceId": iid(region, name), "SourceType": "AWS::EC2::Instance"})
        return {"ssm/describe-instance-information": baseline_output(
            "ssm", "DescribeInstanceInformation", {"InstanceInformationList": items})}

    def patch_summaries(region, results):  # [(name, status, {severity: count})]
        items = []
        severities = ["Critical", "High", "Medium", "Low", "Informational", "Unspecified"]
        for name, status, missing in results:
            counts = {f"{s}Count": missing.get(s, 0) for s in severities}
            missing_total = sum(missing.values())
            items.append({"ComplianceType": "Patch", "ResourceType": "ManagedInstance", "ResourceId": iid(region, name),
                          "Status": status,
                          "OverallSeverity": "CRITICAL" if missing.get("Critical") else "UNSPECIFIED",
                          "ExecutionSummary": {"ExecutionTime": "2026-11-29T03:10:00+00:00", "ExecutionType": "Command"},
                          "CompliantSummary": {"CompliantCount": 380, "SeveritySummary": {
                              **{f"{s}Count": 0 for s in severities}, "UnspecifiedCount": 380}},
                          "NonCompliantSummary": {"NonCompliantCount": missing_total, "SeveritySummary": counts}})
        return {"ssm/list-resource-compliance-summaries": baseline_output(
            "ssm", "ListResourceComplianceSummaries", {"ResourceComplianceSummaryItems": items})}

    def asg(region, members):  # [(name, group, az)]
        items = [{"InstanceId": iid(region, n), "InstanceType": "t3.medium", "AutoScalingGroupName": g,
                  "AvailabilityZone": az, "LifecycleState": "InService", "HealthStatus": "HEALTHY",
                  "LaunchTemplate": {"LaunchTemplateId": hid("lt", g), "LaunchTemplateName": g + "-template",
                                     "Version": "4"},
                  "ProtectedFromScaleIn": False} for n, g, az in members]
        return {"autoscaling/describe-auto-scaling-instances": baseline_output(
            "autoscaling", "DescribeAutoScalingInstances", {"AutoScalingInstances": items})}

    def monitoring(region, log_group):
        """CIS 4.x: metric filters on the management trail's log group, their alarms, the alarms' topics.

        Root usage (4.3, written differently from CIS but meaning the same) and console sign-in without
        MFA (4.2) are watched end to end; the security-group filter (4.10) forgot DeleteSecurityGroup;
        the CloudTrail-changes alarm (4.5) notifies a topic whose only subscription was never confirmed;
        every other control has no filter at all."""
        alerts = f"arn:aws:sns:{region}:{ACCOUNT}:acme-security-alerts"
        noise = f"arn:aws:sns:{region}:{ACCOUNT}:acme-ops-notifications"
        filters, alarms, topics = [], [], {}
        if log_group:
            specs = [
                ("cis-root-usage", "RootUsage",
                 "{ ($.userIdentity.type = Root) && ($.userIdentity.invokedBy NOT EXISTS) && "
                 "($.eventType != AwsServiceEvent) }", alerts),
                ("cis-console-signin-without-mfa", "ConsoleSigninWithoutMfa",
                 '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }', alerts),
                ("cis-security-group-changes", "SecurityGroupChanges",
                 "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
                 "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
                 "($.eventName = CreateSecurityGroup) }", alerts),
                ("cis-cloudtrail-changes", "CloudTrailChanges",
                 "{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || "
                 "($.eventName = StartLogging) || ($.eventName = StopLogging) }", noise),
            ]
            for i, (name, metric, pattern, topic) in enumerate(specs):
                filters.append({"filterName": name, "filterPattern": pattern,
                                "metricTransformations": [{"metricName": metric, "metricNamespace": "CISBenchmark",
                                                           "metricValue": "1"}],
                                "creationTime": 1717236000000 + i * 60000, "logGroupName": log_group})
                alarms.append({"AlarmName": name, "AlarmArn": f"arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{name}",
                               "AlarmConfigurationUpdatedTimestamp": "2024-06-01T10:20:00+00:00",
                               "ActionsEnabled": True, "OKActions": [], "AlarmActions": [topic],
                               "InsufficientDataActions": [], "StateValue": "OK",
                               "StateReason": "Threshold Crossed: no datapoints were received for 1 period and 1 "
                                              "missing datapoint was treated as [NonBreaching].",
                               "StateUpdatedTimestamp": "2026-11-30T08:00:00+00:00", "MetricName": metric,
                               "Namespace": "CISBenchmark", "Statistic": "Sum", "Dimensions": [], "Period": 300,
                               "EvaluationPeriods": 1, "Threshold": 1.0,
                               "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                               "TreatMissingData": "notBreaching"})
            topics = {
                alerts: [{"SubscriptionArn": f"{alerts}:{hid('sub', 'alerts', 33)[6:14]}-2f4e-4a1b-9c3d-5e7f9a1b3c5d",
                          "Owner": ACCOUNT, "Protocol": "email", "Endpoint": "security-team@acme.example",
                          "TopicArn": alerts}],
                noise: [{"SubscriptionArn": "PendingConfirmation", "Owner": ACCOUNT, "Protocol": "email",
                         "Endpoint": "ops-oncall@acme.example", "TopicArn": noise}],
            }
        out = {"logs/describe-metric-filters": baseline_output("logs", "DescribeMetricFilters", {"metricFilters": filters}),
               "cloudwatch/describe-alarms": baseline_output("cloudwatch", "DescribeAlarms", {"MetricAlarms": alarms})}
        for topic, subs in topics.items():
            out[f"sns/list-subscriptions-by-topic/{file_name_for_id(topic)}"] = baseline_output(
                "sns", "ListSubscriptionsByTopic", {"Subscriptions": subs})
        return out

    us = {}
    us.update(trails_files("us-east-1", [mgmt]))
    us.update(recorders("us-east-1", True))
    us.update(detector("us-east-1", "ENABLED"))
    us.update(inspector(True))
    us.update(analyzers("us-east-1", True))
    us.update(managed("us-east-1", [("prod-web-1", "Online", "Linux"), ("prod-web-2", "Online", "Linux"),
                                    ("prod-app-1", "Online", "Linux"), ("prod-db-1", "Online", "Linux"),
                                    ("ci-runner-1", "Online", "Linux"),
                                    ("prod-shop-1", "Online", "Linux"), ("corp-dc-1", "Online", "Windows"),
                                    ("legacy-reporting", "ConnectionLost", "Windows")]))
    us.update(patch_summaries("us-east-1", [
        ("prod-web-1", "COMPLIANT", {}), ("prod-web-2", "COMPLIANT", {}), ("prod-app-1", "COMPLIANT", {}),
        ("prod-db-1", "NON_COMPLIANT", {"Critical": 2, "High": 3, "Medium": 1}),
        ("prod-shop-1", "COMPLIANT", {}),
        # The domain controller's last patch scan: the month's critical Windows security update is missing.
        ("corp-dc-1", "NON_COMPLIANT", {"Critical": 1, "High": 2})]))
    us.update(asg("us-east-1", [("prod-web-1", "prod-web-asg", "us-east-1a"),
                                ("prod-web-2", "prod-web-asg", "us-east-1b"),
                                ("prod-shop-1", "prod-shop-asg", "us-east-1a")]))

    us.update(monitoring("us-east-1", "aws-cloudtrail-acme"))

    eu = {}
    eu.update(trails_files("eu-west-1", [dict(mgmt), app]))
    eu.update(monitoring("eu-west-1", None))
    eu.update(recorders("eu-west-1", False))
    eu.update(detector("eu-west-1", "DISABLED"))
    eu.update(inspector(False))
    eu.update(analyzers("eu-west-1", False))
    eu.update(managed("eu-west-1", [("eu-web-1", "Online", "Linux"), ("eu-batch-1", "Online", "Linux")]))
    eu.update(patch_summaries("eu-west-1", [("eu-web-1", "COMPLIANT", {}), ("eu-batch-1", "COMPLIANT", {})]))
    eu.update(asg("eu-west-1", [("eu-web-1", "eu-web-asg", "eu-west-1a")]))
    return {"us-east-1": us, "eu-west-1": eu}


def write_baseline_services(out):
    for region, files in baseline_services().items():
        for path, value in files.items():
            write_json(os.path.join(out, region, f"{path}.json"), value)


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps(value, indent=4, ensure_ascii=False) + "\n")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "examples", "demo-account")
    # Only the generated parts are replaced; README.md stays.
    for sub in ("sts", "ec2", "us-east-1", "eu-west-1", "iam"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    identity, described = account_wide()
    write_json(os.path.join(out, "sts", "get-caller-identity.json"), identity)
    write_json(os.path.join(out, "ec2", "describe-regions.json"), described)
    for command, value in iam_account().items():
        write_json(os.path.join(out, "iam", f"{command}.json"), value)
    for region in (us_east_1(), eu_west_1()):
        files, entries = region.files()
        for command, value in files.items():
            if command in region.errors:
                write_json(os.path.join(out, region.name, "ec2", f"{command}.error.json"), region.errors[command])
            else:
                write_json(os.path.join(out, region.name, "ec2", f"{command}.json"), value)
        for plid, value in entries.items():
            write_json(os.path.join(out, region.name, "ec2", "get-managed-prefix-list-entries", f"{plid}.json"), value)
        for path, value in elbv2_files(region).items():
            write_json(os.path.join(out, region.name, "elbv2", f"{path}.json"), value)
    write_baseline_services(out)


if __name__ == "__main__":
    main()
