// The comparator of bench/flows_bench.sh: DuckDB (npm @duckdb/node-api) doing fortress's flow-log
// group-by (flows/aggregate.h: interface, packet addresses, the client's port elided by the same
// initiator rules, protocol, action; counters flows, packets, bytes, first start, last end) over the
// same v2 files with the same thread count. Prints one JSON line: wall and CPU seconds, groups, flows.
//
//   node bench/duckdb_flows.mjs 'DIR/**/*.log' THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [glob, threads = '1'] = process.argv.slice(2);
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const sql = `
WITH r AS (
  SELECT interface_id, srcaddr, dstaddr, COALESCE(srcport, 0) AS srcport, COALESCE(dstport, 0) AS dstport,
         protocol, action, packets, bytes, start, "end"
  FROM read_csv('${glob}', delim = ' ', header = true, nullstr = '-', auto_detect = false,
                columns = {'version': 'INTEGER', 'account_id': 'VARCHAR', 'interface_id': 'VARCHAR',
                           'srcaddr': 'VARCHAR', 'dstaddr': 'VARCHAR', 'srcport': 'INTEGER', 'dstport': 'INTEGER',
                           'protocol': 'INTEGER', 'packets': 'BIGINT', 'bytes': 'BIGINT', 'start': 'BIGINT',
                           'end': 'BIGINT', 'action': 'VARCHAR', 'log_status': 'VARCHAR'})
  WHERE log_status = 'OK' AND interface_id IS NOT NULL AND srcaddr IS NOT NULL AND dstaddr IS NOT NULL
), k AS (
  SELECT *, CASE
      WHEN protocol NOT IN (6, 17) THEN 'unknown'
      WHEN (srcport < 1024) <> (dstport < 1024) THEN IF(dstport < 1024, 'src-port', 'dst-port')
      WHEN (srcport >= 32768) <> (dstport >= 32768) THEN IF(srcport >= 32768, 'src-port', 'dst-port')
      ELSE 'unknown' END AS initiator
  FROM r
), g AS (
  SELECT interface_id, srcaddr, dstaddr,
         IF(protocol IN (6, 17) AND initiator <> 'src-port', srcport, 0) AS src_port,
         IF(protocol IN (6, 17) AND initiator <> 'dst-port', dstport, 0) AS dst_port,
         protocol, action, initiator, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,
         min(start) AS first_start, max("end") AS last_end
  FROM k GROUP BY ALL
)
SELECT count(*)::BIGINT AS groups, sum(flows)::BIGINT AS flows FROM g`;
const t0 = performance.now();
const c0 = process.cpuUsage();
const reader = await con.runAndReadAll(sql);
const c1 = process.cpuUsage(c0);
const t1 = performance.now();
const [row] = reader.getRowObjects();
console.log(JSON.stringify({
  engine: 'duckdb', threads: Number(threads), wall_s: (t1 - t0) / 1000, cpu_s: (c1.user + c1.system) / 1e6,
  groups: Number(row.groups), flows: Number(row.flows),
}));
