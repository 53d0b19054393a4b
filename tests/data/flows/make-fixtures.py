#!/usr/bin/env python3
"""Writes the hand-made flow log fixtures under tests/data/flows/<case>/input (and format.txt where a case
needs --format-string). Run from this folder; gzip members have mtime 0 so the bytes are stable. The
expected outputs (<case>/expected.txt) are refreshed by FORTRESS_UPDATE_GOLDEN=1 build/fortress_flows_tests."""
import gzip, json, os

T = 1764547200  # 2025-12-01T00:00:00Z


def w(path, data, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(data)


def gz(text):
    return gzip.compress(text.encode(), compresslevel=6, mtime=0)


V2H = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"


def v2(eni, s, d, sp, dp, p=6, a="ACCEPT", pk=10, b=1000, st=T, en=T + 60):
    return f"2 111122223333 {eni} {s} {d} {sp} {dp} {p} {pk} {b} {st} {en} {a} OK\n"


name = "111122223333_vpcflowlogs_us-east-1_fl-0aaa1111bbbb2222c_20251201T0000Z_1a2b3c4d.log"
# v2 default: every kind of record
body = (v2("eni-0web", "198.51.100.7", "10.0.1.10", 50000, 443)
        + v2("eni-0web", "198.51.100.7", "10.0.1.10", 50000, 443, b=2000, st=T + 60, en=T + 120)
        + v2("eni-0web", "10.0.1.10", "198.51.100.7", 443, 50000, b=90000)
        + v2("eni-0web", "2001:db8:1::7", "2001:db8::10", 50100, 443)
        + v2("eni-0web", "10.0.1.10", "10.0.0.2", 40000, 53, p=17, pk=1, b=80)
        + v2("eni-0web", "10.0.9.9", "10.0.1.10", 0, 0, p=1, pk=4, b=336)
        + v2("eni-0web", "45.1.2.3", "10.0.1.10", 61000, 22, a="REJECT", pk=1, b=40)
        + v2("eni-0web", "10.0.1.10", "10.0.2.20", 40001, 40002)
        + f"2 111122223333 eni-0db - - - - - - - {T} {T + 600} - NODATA\n"
        + f"2 111122223333 eni-0db - - - - - - - {T + 600} {T + 1200} - SKIPDATA\n")
w(f"v2-default/input/{name}", V2H + body)
# v3 with tcp-flags and packet addresses (a NAT gateway interface)
h3 = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action "
      "log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr\n")
b3 = (f"3 111122223333 eni-0web 10.0.1.10 10.0.9.9 40022 40023 6 3 180 {T} {T+60} ACCEPT OK vpc-1 subnet-1 i-01 2 IPv4 10.0.1.10 10.0.9.9\n"
      f"3 111122223333 eni-0web 10.0.9.9 10.0.1.10 40023 40022 6 3 180 {T} {T+60} ACCEPT OK vpc-1 subnet-1 i-01 18 IPv4 10.0.9.9 10.0.1.10\n"
      f"3 111122223333 eni-0nat 10.0.0.5 203.0.113.50 40000 443 6 10 900 {T} {T+60} ACCEPT OK vpc-1 subnet-1 - 3 IPv4 10.0.1.10 203.0.113.50\n"
      f"3 111122223333 eni-0web 10.0.9.9 10.0.1.10 40023 40022 6 3 180 {T} {T+60} ACCEPT OK vpc-1 subnet-1 i-01 - IPv4 - -\n")
w("v3-tcp-flags/input/flows.log", h3 + b3)
# v4 location fields, columns reordered
h4 = "interface-id srcaddr dstaddr srcport dstport protocol action start end region az-id sublocation-type sublocation-id version\n"
w("v4-location/input/flows.log", h4 + f"eni-0web 10.0.9.9 10.0.1.10 50000 8080 6 ACCEPT {T} {T+60} us-east-1 use1-az1 outpost op-0123 4\n")
# v5 direction and traffic path (one bad direction)
h5 = ("version interface-id flow-direction traffic-path srcaddr dstaddr srcport dstport protocol packets bytes start end "
      "action log-status pkt-src-aws-service pkt-dst-aws-service\n")
b5 = (f"5 eni-0web ingress - 198.51.100.9 10.0.1.10 50000 443 6 5 500 {T} {T+60} ACCEPT OK - -\n"
      f"5 eni-0web egress 8 10.0.1.10 52.216.1.1 50001 443 6 5 500 {T} {T+60} ACCEPT OK - S3\n"
      f"5 eni-0web sideways 8 10.0.1.10 52.216.1.1 50001 443 6 5 500 {T} {T+60} ACCEPT OK - S3\n")
w("v5-direction/input/flows.log", h5 + b5)
# v7 ECS fields
h7 = ("version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status "
      "ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id "
      "ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id\n")
b7 = (f"7 eni-0task 10.0.5.5 10.0.6.6 40000 8080 6 4 400 {T} {T+60} ACCEPT OK arn:aws:ecs:us-east-1:111122223333:cluster/prod "
      "prod arn:aws:ecs:us-east-1:111122223333:container-instance/prod/abc abc c0ffee - web "
      "arn:aws:ecs:us-east-1:111122223333:task-definition/web:3 arn:aws:ecs:us-east-1:111122223333:task/prod/t1 t1\n")
w("v7-ecs/input/flows.log", h7 + b7)
# v8 reject reason
h8 = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status reject-reason\n"
w("v8-reject-reason/input/flows.log", h8 + f"8 eni-0web 45.1.2.3 10.0.1.10 50000 22 6 1 40 {T} {T+60} REJECT OK BPA\n"
  f"8 eni-0web 45.1.2.3 10.0.1.10 50000 443 6 1 40 {T} {T+60} ACCEPT OK -\n")
# headerless with --format-string
w("headerless-format-string/format.txt",
  "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${action} ${start} ${end} ${bytes}\n")
w("headerless-format-string/input/flows.log", f"eni-0web 10.0.9.9 10.0.1.10 50000 22 6 ACCEPT {T} {T+60} 777\n")
# gzip with two members
w(f"gzip-multi-member/input/{name}.gz", gz(V2H + v2("eni-0web", "198.51.100.7", "10.0.1.10", 50000, 443))
  + gz(v2("eni-0web", "198.51.100.8", "10.0.1.10", 50001, 443)), "wb")
# gzip cut at two thirds: keeps the complete lines it inflated
big = V2H + "".join(v2("eni-0web", f"198.51.100.{i % 250}", "10.0.1.10", 50000 + i, 443) for i in range(150))
data = gzip.compress(big.encode(), compresslevel=1, mtime=0)
w(f"gzip-truncated/input/{name}.gz", data[: len(data) * 2 // 3], "wb")
# CloudWatch Logs export (aws logs filter-log-events)
ev = {"events": [
    {"logStreamName": "eni-0web-all", "timestamp": T * 1000, "message": v2("eni-0web", "198.51.100.7", "10.0.1.10", 50000, 443).strip(),
     "ingestionTime": T * 1000 + 5, "eventId": "1"},
    {"logStreamName": "eni-0web-all", "timestamp": T * 1000,
     "message": "2 111122223333 eni-0web - - - - - - - %d %d - NODATA" % (T, T + 600), "ingestionTime": T * 1000 + 5, "eventId": "2"},
    {"logStreamName": "eni-0web-all", "timestamp": T * 1000, "message": "not a record", "eventId": "3"},
    {"logStreamName": "eni-0web-all", "timestamp": T * 1000, "eventId": "4"},
], "searchedLogStreams": [{"logStreamName": "eni-0web-all", "searchedCompletely": True}]}
w("cloudwatch-export/input/filter-log-events.json", json.dumps(ev, indent=4) + "\n")
# the S3 delivery trees, plain and Hive-style
w(f"s3-tree/input/AWSLogs/111122223333/vpcflowlogs/us-east-1/2025/12/01/{name}.gz",
  gz(V2H + v2("eni-0web", "198.51.100.7", "10.0.1.10", 50000, 443)), "wb")
hname = name.replace("fl-0aaa1111bbbb2222c", "fl-0ccc3333dddd4444e")
w("s3-tree/input/AWSLogs/aws-account-id=111122223333/aws-service=vpcflowlogs/aws-region=us-east-1/year=2025/month=12/"
  f"day=01/hour=00/{hname}.gz", gz(V2H + v2("eni-0db", "10.0.1.10", "10.0.2.20", 50000, 5432)), "wb")
w("s3-tree/input/AWSLogs/111122223333/vpcflowlogs/us-east-1/2025/12/01/README.md", "ignored: not a log file name\n")
# bad input of every kind
bad = (V2H + v2("eni-0web", "198.51.100.7", "10.0.1.10", 50000, 443)
       + "2 111122223333 eni-0web 198.51.100.7 10.0.1.10 50000 443 6 10 1000\n"
       + "2 111122223333 eni-0web 198.51.100.999 10.0.1.10 50000 443 6 10 1000 1 2 ACCEPT OK\n"
       + "2 111122223333 eni-0web 198.51.100.7 2001:db8::1 50000 443 6 10 1000 1 2 ACCEPT OK\n"
       + "2 111122223333 - 198.51.100.7 10.0.1.10 50000 443 6 10 1000 1 2 ACCEPT OK\n"
       + "\x00\x01\x02 binary junk\n" + "\n"
       + v2("eni-0web", "198.51.100.8", "10.0.1.10", 50000, 443))
w("bad-input/input/broken.log", bad)
w("bad-input/input/flows.parquet", "PAR1\x00\x00fake parquet")
w("bad-input/input/corrupt.log.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(range(200, 256)) * 4, "wb")
w("bad-input/input/wrong.json", "{\"FlowLogs\": []}\n")
# CloudWatch Logs export to S3 (create-export-task): each line starts with the event's timestamp
w("cloudwatch-s3-export/input/000000.log", "2025-12-01T00:00:05.000Z " + v2("eni-0web", "198.51.100.7", "10.0.1.10", 50000, 443))
