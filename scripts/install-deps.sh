#!/usr/bin/env bash
# Installs the Debian packages fortress needs to build, test and benchmark.
# Idempotent: asks dpkg first and says nothing when everything is already there.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config make
  # engine
  libsimdjson-dev libfmt-dev libyaml-cpp-dev libcli11-dev libssl-dev libcurl4-openssl-dev libpugixml-dev
  # flow logs: ISA-L igzip inflates .log.gz (src/flows)
  libisal-dev
  # the programs' allocator (CMakeLists.txt: glibc's malloc was 15 % of a large scan)
  libjemalloc-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # the local AWS test endpoint (tests/endpoint) serves HTTP with cpp-httplib
  libcpp-httplib-dev
  # the export script's tests read JSON with jq
  jq
  # the real AWS CLI, the reference client the export script and the collector are tested against
  awscli
  # fortress reach --format svg: Graphviz's layout library (libgvc) and its plugins
  libgraphviz-dev
  # the AWS service models tools/make-demo-account.py checks the demo account's shapes against
  python3-botocore
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

((${#missing[@]} == 0)) && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
