#!/usr/bin/env bash
# Installs every Debian package rapidbyte needs to build, test and benchmark.
# Idempotent; run as root on Debian bookworm. Downloads nothing but Debian packages
# (and, through npm, the test-only apache-arrow package; see tests/interop/).
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -E bash "$0" "$@"; fi
  echo "scripts/setup.sh must run as root (apt-get install)" >&2
  exit 1
fi

packages=(
  # Host toolchain and build.
  build-essential g++ cmake ninja-build pkg-config git ca-certificates
  # Host libraries (ARCHITECTURE.md "Dependencies").
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libsqlite3-dev libpq-dev liblz4-dev libzstd-dev libsnappy-dev zlib1g-dev libssl-dev
  libflatbuffers-dev flatbuffers-compiler
  wabt
  # Tests and benchmarks.
  libgtest-dev libgmock-dev libbenchmark-dev hyperfine time
  postgresql-15 postgresql-client-15
  # A terminal for the progress test (tests/e2e/pg_output_test.cc drives `run` in tmux).
  tmux
  # Guest (wasm32-wasi) toolchain, also clang for libFuzzer targets.
  clang-19 lld-19 llvm-19 libclang-rt-19-dev
  wasi-libc libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 libclang-rt-19-dev-wasm32
  # Node.js for the Arrow interoperability tests.
  nodejs
)

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${packages[@]}"
# Debian's npm conflicts with some nodejs builds that already bundle npm.
if ! command -v npm >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends npm
fi

# The Debian postgresql package creates a default cluster and starts it; the project never
# uses it (tests start their own throwaway clusters), so make sure it does not hold port 5432
# or memory.
if command -v pg_lsclusters >/dev/null 2>&1; then
  pg_lsclusters --no-header 2>/dev/null | while read -r ver name _; do
    pg_ctlcluster "$ver" "$name" stop >/dev/null 2>&1 || true
  done
fi
# Apache Arrow JS for the Arrow IPC interoperability tests (tests/interop), exactly the
# versions in its package-lock.json (also s3rver and the Parquet readers). Skipped when every
# direct dependency is already installed at its locked version.
interop_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/interop"
if [[ -f "$interop_dir/package-lock.json" ]]; then
  # Every direct dependency at its locked version (a package added later, such as s3rver,
  # must trigger npm ci on a machine that already has the others).
  stale=$(node -e "
    const dir = '$interop_dir';
    const lock = require(dir + '/package-lock.json');
    const deps = Object.keys(require(dir + '/package.json').dependencies || {});
    const bad = deps.filter((d) => {
      try { return require(dir + '/node_modules/' + d + '/package.json').version !==
                   lock.packages['node_modules/' + d].version; } catch (e) { return true; }
    });
    process.stdout.write(bad.join(' '));")
  if [[ -n "$stale" ]]; then
    (cd "$interop_dir" && npm ci --no-audit --no-fund)
  fi
fi
echo "setup: all packages installed"
