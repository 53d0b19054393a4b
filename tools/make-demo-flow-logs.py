#!/usr/bin/env python3
"""Generates examples/demo-flow-logs: a week of VPC flow logs of prod-vpc in the demo account, as the flow
log fl-04d7bc35e8bb73b9c (traffic type ALL, S3, the v2 default format) delivers them:

    AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/DD/
        111122223333_vpcflowlogs_us-east-1_fl-04d7bc35e8bb73b9c_202611DDT0000Z_<hash>.log.gz

The traffic is consistent with examples/demo-account (the interfaces, their addresses and their groups
are read from it), and tells a story for `fortress flows` (examples/demo-flow-logs/README.md):

    python3 tools/make-demo-flow-logs.py [SNAPSHOT] [OUTDIR]

Python standard library only; deterministic (fixed seed, gzip mtime 0). Rerun after editing and commit
the output with the script.
"""

import gzip
import hashlib
import json
import os
import random
import shutil
import sys

SNAPSHOT = sys.argv[1] if len(sys.argv) > 1 else "examples/demo-account"
OUT = sys.argv[2] if len(sys.argv) > 2 else "examples/demo-flow-logs"
REGION = "us-east-1"
FLOW_LOG = "fl-04d7bc35e8bb73b9c"
DAY0 = 1795478400  # 2026-11-24T00:00:00Z
DAYS = 7
WINDOW = 600  # MaxAggregationInterval of the flow log

ec2 = os.path.join(SNAPSHOT, REGION, "ec2")
enis = json.load(open(os.path.join(ec2, "describe-network-interfaces.json")))["NetworkInterfaces"]
groups = {g["GroupId"]: g["GroupName"] for g in json.load(open(os.path.join(ec2, "describe-security-groups.json")))["SecurityGroups"]}
logs = json.load(open(os.path.join(ec2, "describe-flow-logs.json")))["FlowLogs"]
vpc = next(l["ResourceId"] for l in logs if l["FlowLogId"] == FLOW_LOG)
account = json.load(open(os.path.join(SNAPSHOT, "sts", "get-caller-identity.json")))["Account"]


def by_group(name):
    """The (interface ID, private IP) of the in-use interfaces of prod-vpc carrying the group."""
    out = []
    for e in enis:
        if e["VpcId"] != vpc or e.get("Status") != "in-use":
            continue
        if any(groups.get(g["GroupId"]) == name for g in e["Groups"]):
            out.append((e["NetworkInterfaceId"], e["PrivateIpAddress"]))
    if not out:
        raise SystemExit(f"make-demo-flow-logs: no interface of {vpc} carries {name}")
    return out


web = by_group("prod-web")
bastion = by_group("prod-bastion")[0]
legacy = by_group("legacy-rdp")[0]
app = by_group("prod-app")[0]
db = by_group("prod-db")[0]
sftp = by_group("partner-sftp")[0]

rng = random.Random(4)
records = {d: [] for d in range(DAYS)}


def record(day, eni, src, dst, sport, dport, proto=6, packets=10, nbytes=1500, action="ACCEPT", offset=None):
    t = DAY0 + day * 86400 + (offset if offset is not None else rng.randrange(0, 86400 - WINDOW))
    t -= t % 60
    end = t + rng.randrange(5, WINDOW)
    records[day].append((t, f"2 {account} {eni} {src} {dst} {sport} {dport} {proto} {packets} {nbytes} {t} {end} {action} OK"))


def connection(day, client_eni, server_eni, client, server, port, proto=6, req=800, resp=6000, **kw):
    """An accepted connection as both interfaces log it: request and answer on each side."""
    sport = rng.randrange(32768, 61000)
    off = rng.randrange(0, 86400 - WINDOW)
    pk = max(1, req // 500)
    for eni in dict.fromkeys(e for e in (client_eni, server_eni) if e):
        record(day, eni, client, server, sport, port, proto, pk, req, offset=off, **kw)
        record(day, eni, server, client, port, sport, proto, max(1, resp // 1200), resp, offset=off, **kw)


def public_clients(n, seed):
    r = random.Random(seed)
    return [f"{r.choice([23, 31, 37, 62, 77, 81, 89, 91, 94, 109, 151, 176, 188, 212, 217])}.{r.randrange(1, 255)}."
            f"{r.randrange(0, 255)}.{r.randrange(1, 255)}" for _ in range(n)]


https_clients = public_clients(400, 1)
scanners = public_clients(40, 2)
for day in range(DAYS):
    for eni, ip in web:
        # The shop: HTTPS and HTTP redirects from the internet (the interfaces have no IPv6 address: the ::/0
        # rules serve nothing).
        for c in rng.sample(https_clients, 70):
            connection(day, None, eni, c, ip, 443, req=900, resp=rng.randrange(4000, 90000))
        for c in rng.sample(https_clients, 8):
            connection(day, None, eni, c, ip, 80, req=400, resp=300)
        # The web tier calls the app tier, and the internet for updates.
        for _ in range(30):
            connection(day, eni, app[0], ip, app[1], 8080, req=1200, resp=5000)
        for dst in ("151.101.1.69", "52.216.8.40"):
            connection(day, eni, None, ip, dst, 443, req=600, resp=250000)
        # Scanners try admin ports from the internet: rejected.
        for s in rng.sample(scanners, 12):
            record(day, eni, s, ip, rng.randrange(32768, 65535), rng.choice([22, 23, 3389, 445, 5900, 6379]), 6, 1, 44,
                   action="REJECT")
    # The office admins over SSH (from HQ, and from the client VPN through the prefix list).
    connection(day, None, web[0][0], "84.17.32.5", web[0][1], 22, req=30000, resp=200000)
    connection(day, None, web[-1][0], "10.200.3.7", web[-1][1], 22, req=20000, resp=90000)
    # Something on the second web server sends data to an unknown host on tcp/4444 (the exfiltration).
    if day >= 4:
        connection(day, web[-1][0], None, web[-1][1], "45.146.164.110", 4444, req=48_000_000, resp=3000)
    # The partner's three hosts use the bastion; nobody else does.
    for h in ("52.94.77.10", "52.94.77.11", "52.94.77.12"):
        connection(day, None, bastion[0], h, bastion[1], 22, req=15000, resp=60000)
    connection(day, bastion[0], None, bastion[1], "52.216.8.40", 443, req=500, resp=80000)
    # One contractor uses the legacy RDP host; the web tier calls its reporting API.
    connection(day, None, legacy[0], "198.51.100.23", legacy[1], 3389, req=90000, resp=900000)
    connection(day, web[0][0], legacy[0], web[0][1], legacy[1], 443, req=900, resp=4000)
    # The app tier uses PostgreSQL (not MySQL) and S3.
    for _ in range(60):
        connection(day, app[0], db[0], app[1], db[1], 5432, req=700, resp=3000)
    connection(day, app[0], None, app[1], "52.216.8.40", 443, req=4000, resp=90000)
    connection(day, db[0], None, db[1], "52.216.8.41", 443, req=90_000_000, resp=4000)  # nightly backup to S3
    # Monitoring scrapes from the two older monitoring subnets; 10.50.3.0/24 was decommissioned.
    for subnet in (1, 2):
        for host in range(10, 38, 3):
            for target in (app, db):
                connection(day, None, target[0], f"10.50.{subnet}.{host}", target[1], 9100, req=300, resp=9000)
                connection(day, None, target[0], f"10.50.{subnet}.{host}", target[1], 161, proto=17, req=90, resp=400)
    # The partner's SFTP server: control connections on 990, passive data on high ports (both sides
    # ephemeral: the initiator cannot be told from ports alone).
    for h in ("52.94.76.20", "52.94.76.21"):
        connection(day, None, sftp[0], h, sftp[1], 990, req=2000, resp=3000)
        for _ in range(3):
            connection(day, None, sftp[0], h, sftp[1], rng.randrange(50000, 51000), req=4000, resp=4_000_000)

# The shop behind its load balancer and the domain controller (added later to the demo account): their
# own random stream, so the records above stay as they were.
rng = random.Random(5)
alb_nodes = by_group("prod-shop-alb")
shop = by_group("prod-shop-web")[0]
dc = by_group("corp-ad")[0]
for day in range(DAYS):
    # Internet clients reach a load balancer node on 443 (a few on 80, redirected); each node opens its
    # own connection to the shop server on 80.
    for node_eni, node_ip in alb_nodes:
        for c in rng.sample(https_clients, 40):
            connection(day, None, node_eni, c, node_ip, 443, req=900, resp=rng.randrange(4000, 60000))
        for c in rng.sample(https_clients, 4):
            connection(day, None, node_eni, c, node_ip, 80, req=400, resp=300)
        for _ in range(40):
            connection(day, node_eni, shop[0], node_ip, shop[1], 80, req=1100, resp=rng.randrange(4000, 60000))
    connection(day, shop[0], None, shop[1], "151.101.1.69", 443, req=600, resp=120000)
    # The domain's members: the Windows reporting host and, across the peering (only the DC's side is in
    # this VPC's flow log), the CI runner: Kerberos, LDAP, SMB.
    for port in (88, 389, 445):
        for _ in range(6):
            connection(day, legacy[0], dc[0], legacy[1], dc[1], port, req=1500, resp=4000)
    for port in (88, 389):
        for _ in range(4):
            connection(day, None, dc[0], "10.20.0.31", dc[1], port, req=1500, resp=4000)
    # The identity provider's directory sync: LDAPS from two of its addresses, every hour.
    for idp in ("34.117.59.81", "34.117.59.82"):
        for _ in range(12):
            connection(day, None, dc[0], idp, dc[1], 636, req=2500, resp=40000)

if os.path.isdir(os.path.join(OUT, "AWSLogs")):
    shutil.rmtree(os.path.join(OUT, "AWSLogs"))
header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
for day in range(DAYS):
    t = DAY0 + day * 86400
    import time
    ymd = time.strftime("%Y/%m/%d", time.gmtime(t))
    stamp = time.strftime("%Y%m%dT%H%MZ", time.gmtime(t))
    lines = [line for _, line in sorted(records[day])]
    body = header + "\n".join(lines) + "\n"
    digest = hashlib.sha1(body.encode()).hexdigest()[:8]
    path = os.path.join(OUT, "AWSLogs", account, "vpcflowlogs", REGION, ymd,
                        f"{account}_vpcflowlogs_{REGION}_{FLOW_LOG}_{stamp}_{digest}.log.gz")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(gzip.compress(body.encode(), compresslevel=9, mtime=0))
print(f"make-demo-flow-logs: {sum(len(v) for v in records.values())} records in {DAYS} files under {OUT}/AWSLogs")
