#!/bin/bash
# Regenerates expected/*.json: serves each case's input from a local HTTP endpoint and records what
# the AWS CLI prints for it. Needs python3 and the AWS CLI (Debian awscli). Dummy credentials only.
#   tests/data/aws_protocol/refresh.sh [path/to/aws]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ref="$here/../../../../shared/reference"
aws="${1:-/usr/bin/aws}"
port=18799
server="$(mktemp)"
trap 'rm -f "$server"' EXIT
cat > "$server" <<'PY'
import http.server, sys
BODY = open(sys.argv[2], 'rb').read()
CT = sys.argv[3]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self): self.do_POST()
    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.send_response(200)
        self.send_header('Content-Type', CT)
        self.send_header('Content-Length', str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *a): pass
http.server.HTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
PY
grep -v '^#' "$here/cases.txt" | while IFS='|' read -r name model op command input ctype; do
  name="$(echo $name)"; command="$(echo $command)"; input="$(echo $input)"; ctype="$(echo $ctype)"
  case "$input" in ref:*) file="$ref/${input#ref:}" ;; *) file="$here/$input" ;; esac
  python3 "$server" "$port" "$file" "$ctype" & pid=$!
  sleep 0.7
  AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY \
    AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER= \
    "$aws" --endpoint-url "http://127.0.0.1:$port" $command --output json --no-paginate > "$here/expected/$name.json"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$name"
done
