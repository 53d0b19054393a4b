#!/usr/bin/env python3
"""A minimal EC2/STS query-protocol server for tests/collect/cli_parity_test.cpp.

Serves a fixed account (two pages of security groups, one managed prefix list with entries, denied
flow logs) so the test can compare what fortress's collector writes with what the Debian AWS CLI
prints for the same calls. Binds 127.0.0.1 on a free port and writes the port to argv[1].
Standard library only. Not a general AWS emulator (that is issue 3's test endpoint).
"""
import http.server
import sys
import urllib.parse

NS = "http://ec2.amazonaws.com/doc/2016-11-15/"


def ec2(action, inner):
    return f'<{action}Response xmlns="{NS}"><requestId>req-1</requestId>{inner}</{action}Response>'


def group(gid, name, cidr, port):
    return (f"<item><ownerId>123456789012</ownerId><groupId>{gid}</groupId><groupName>{name}</groupName>"
            f"<groupDescription>{name} group</groupDescription><vpcId>vpc-1a2b3c4d</vpcId>"
            f"<ipPermissions><item><ipProtocol>tcp</ipProtocol><fromPort>{port}</fromPort><toPort>{port}</toPort>"
            f"<groups/><ipRanges><item><cidrIp>{cidr}</cidrIp><description>from &quot;{name}&quot; é</description>"
            f"</item></ipRanges><ipv6Ranges/><prefixListIds/></item></ipPermissions>"
            f"<ipPermissionsEgress/><tagSet><item><key>Name</key><value>{name}</value></item></tagSet></item>")


def answer(action, form):
    if action == "GetCallerIdentity":
        return 200, ('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
                     "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/auditor</Arn>"
                     "<UserId>AIDACKCEVSQ6C2EXAMPLE</UserId><Account>123456789012</Account>"
                     "</GetCallerIdentityResult></GetCallerIdentityResponse>")
    if action == "DescribeRegions":
        return 200, ec2(action, "<regionInfo><item><regionName>eu-west-1</regionName><regionEndpoint>"
                                "ec2.eu-west-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required"
                                "</optInStatus></item></regionInfo>")
    if action == "DescribeSecurityGroups":
        if form.get("NextToken") == "page2":
            return 200, ec2(action, "<securityGroupInfo>" + group("sg-0b", "ssh", "10.0.0.0/8", 22) +
                            "</securityGroupInfo>")
        return 200, ec2(action, "<securityGroupInfo>" + group("sg-0a", "web", "0.0.0.0/0", 443) +
                        "</securityGroupInfo><nextToken>page2</nextToken>")
    if action == "DescribeManagedPrefixLists":
        return 200, ec2(action, "<prefixListSet><item><prefixListId>pl-0a1b2c3d</prefixListId><addressFamily>IPv4"
                                "</addressFamily><state>create-complete</state><prefixListArn>arn:aws:ec2:eu-west-1:"
                                "123456789012:prefix-list/pl-0a1b2c3d</prefixListArn><prefixListName>office"
                                "</prefixListName><maxEntries>5</maxEntries><version>3</version><ownerId>123456789012"
                                "</ownerId></item></prefixListSet>")
    if action == "GetManagedPrefixListEntries":
        return 200, ec2(action, "<entrySet><item><cidr>203.0.113.0/24</cidr><description>office</description>"
                                "</item></entrySet>")
    if action == "DescribeFlowLogs":
        return 403, ("<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized "
                     "to perform this operation.</Message></Error></Errors><RequestID>req-2</RequestID></Response>")
    sets = {"DescribeVpcs": "vpcSet", "DescribeSubnets": "subnetSet",
            "DescribeSecurityGroupRules": "securityGroupRuleSet", "DescribeNetworkInterfaces": "networkInterfaceSet",
            "DescribeInstances": "reservationSet", "DescribeRouteTables": "routeTableSet",
            "DescribeNetworkAcls": "networkAclSet", "DescribeInternetGateways": "internetGatewaySet",
            "DescribeEgressOnlyInternetGateways": "egressOnlyInternetGatewaySet",
            "DescribeNatGateways": "natGatewaySet", "DescribeVpcPeeringConnections": "vpcPeeringConnectionSet"}
    if action in sets:
        return 200, ec2(action, f"<{sets[action]}/>")
    return 400, ("<Response><Errors><Error><Code>InvalidAction</Code><Message>not served</Message></Error>"
                 "</Errors><RequestID>req-3</RequestID></Response>")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        form = dict(urllib.parse.parse_qsl(body))
        if not self.headers.get("Authorization", "").startswith("AWS4-HMAC-SHA256 "):
            status, text = 403, "<Response><Errors><Error><Code>MissingAuthenticationToken</Code></Error></Errors></Response>"
        else:
            status, text = answer(form.get("Action", ""), form)
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/xml;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
