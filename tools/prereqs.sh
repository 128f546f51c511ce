#!/usr/bin/env bash
# Installs, with apt-get, what building and testing resettle needs and a Debian machine lacks.
# Each need is checked by what the build really uses, not by a file name:
#   - C and C++ compilers that compile and link (HiGHS is C++, built by cmake from highs-sys);
#   - cmake and make that run;
#   - a libclang that bindgen can load and parse C headers with (tools/libclang.py; honours
#     LIBCLANG_PATH and LLVM_CONFIG_PATH as clang-sys does; libclang-cpp does not count);
#   - Chromium, for the report's browser test (tests/html.rs);
#   - PostgreSQL's server programs, for the plan history's tests (tests/history/ start a real
#     server): an initdb that runs, under `pg_config --bindir` or /usr/lib/postgresql/*/bin;
#   - cargo with rustfmt and clippy (`make test`): checked only, they come with the toolchain.
# It prints what it installs, runs `apt-get update` once before installing, uses sudo only
# when not root, and checks everything again afterwards. PREREQS_DRY_RUN=1 only says what it
# would install (exit 1 if anything is missing).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

compiles() { # compiler, language: a hello-world compiles, links and runs
  printf 'int main(void) { return 0; }\n' >"$scratch/hello.$2"
  command -v "$1" >/dev/null 2>&1 && "$1" "$scratch/hello.$2" -o "$scratch/hello" >/dev/null 2>&1 \
    && "$scratch/hello"
}
runs() { command -v "$1" >/dev/null 2>&1 && "$@" >/dev/null 2>&1; }
chromium_runs() { runs chromium --version || runs chromium-browser --version; }
postgres_runs() {
  local dir
  for dir in "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/*/bin; do
    [ -n "$dir" ] && runs "$dir/initdb" --version && return 0
  done
  return 1
}

# The Debian packages missing; the reasons go to stderr.
missing() {
  local m=()
  compiles cc c || { echo "missing: a C compiler (cc)" >&2; m+=(gcc); }
  compiles c++ cpp || { echo "missing: a C++ compiler (c++)" >&2; m+=(g++); }
  runs make --version || { echo "missing: make" >&2; m+=(make); }
  runs cmake --version || { echo "missing: cmake" >&2; m+=(cmake); }
  if ! command -v python3 >/dev/null 2>&1; then
    echo "missing: python3 (to check libclang)" >&2; m+=(python3 libclang-dev)
  elif ! python3 "$here/libclang.py" >/dev/null 2>"$scratch/libclang"; then
    echo "missing: $(cat "$scratch/libclang")" >&2; m+=(libclang-dev)
  fi
  chromium_runs || { echo "missing: chromium (the report's browser test)" >&2; m+=(chromium); }
  postgres_runs || { echo "missing: PostgreSQL's initdb (the plan history's tests)" >&2; m+=(postgresql); }
  echo "${m[@]}"
}

need=$(missing)
if [ -n "$need" ]; then
  if [ -n "${PREREQS_DRY_RUN:-}" ]; then
    echo "prereqs: would install: $need"
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 \
      || { echo "prereqs: installing needs root or sudo; as root: apt-get install $need" >&2; exit 1; }
    sudo=sudo
  fi
  echo "prereqs: installing: $need"
  $sudo apt-get update -qq
  # shellcheck disable=SC2086 # a list of package names
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
  still=$(missing)
  if [ -n "$still" ]; then
    echo "prereqs: still missing after installing (see above): $still" >&2
    [ -z "${LIBCLANG_PATH:-}" ] || echo "prereqs: LIBCLANG_PATH=$LIBCLANG_PATH is set: clang-sys looks only there" >&2
    exit 1
  fi
fi

command -v cargo >/dev/null 2>&1 || { echo "prereqs: cargo not found: install a Rust toolchain" >&2; exit 1; }
for tool in fmt clippy; do
  cargo "$tool" --version >/dev/null 2>&1 \
    || { echo "prereqs: cargo $tool not found: rustup component add ${tool/fmt/rustfmt}" >&2; exit 1; }
done
echo "prereqs: ok ($(python3 "$here/libclang.py"))"
