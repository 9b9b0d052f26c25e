#!/usr/bin/env bash
# Rebuilds the prebuilt WebAssembly of packages/core/src/kernels/wasm/: matmul.wasm.ts and
# matmul-shared.wasm.ts (the layer kernels) from the .c and .s files listed below, and
# pid.wasm.ts (the PID estimator kernel) from pid.c and the parts it includes.
#
#   scripts/build-kernels.sh          rebuild and write the *.wasm.ts files
#   scripts/build-kernels.sh --check  exit 1 if a shipped *.wasm.ts differs from a fresh build
#
# Exit status: 0 done (or every module matches), 1 a shipped module does not match its sources
# (--check), 2 bad usage, 3 the toolchain is missing or the build failed (nothing is compared).
# Needs clang and wasm-ld (Debian/Ubuntu: apt-get install clang lld); CLANG overrides the
# compiler, WASM_LD the linker (default: the one clang finds).
# No libc or wasi-sdk: the C is freestanding. The output is deterministic (no debug info, no
# names section, no paths), so --check compares bytes. The shipped build was made with Debian
# clang 14.0.6; another clang version may produce different (equally valid) bytes. Each
# *.wasm.ts records its sources (compiled files and included headers) with the sha256 of their
# bytes, in the order listed in its WasmSources, and the sha256 of the module's own bytes, so a
# test (kernels/wasm/shipped.test.ts) compares them without clang.
set -euo pipefail

cd "$(dirname "$0")/.."
dir=packages/core/src/kernels/wasm
sources=("$dir/matmul.c" "$dir/micro_kernel.s" "$dir/threads.s" "$dir/layer.c" "$dir/layer_delta.c"
  "$dir/sparse.c" "$dir/binning.c" "$dir/adam.c")
headers=("$dir/layer_simd.h")
pid_parts=("$dir/pid.c" "$dir/pid_log2.h" "$dir/pid_cells.h" "$dir/pid_antichains.h")
clang="${CLANG:-clang}"
mode="${1:-}"
if [[ -n "$mode" && "$mode" != "--check" ]]; then
  echo "usage: scripts/build-kernels.sh [--check]" >&2
  exit 2
fi
if ! command -v "$clang" >/dev/null; then
  echo "error: $clang not found, so the kernels cannot be built (nothing was compared). Install clang and lld (apt-get install -y clang lld) or set CLANG." >&2
  exit 3
fi
wasm_ld="${WASM_LD:-$("$clang" --target=wasm32 -print-prog-name=wasm-ld)}"
if ! wasm_ld="$(command -v "$wasm_ld")"; then
  echo "error: wasm-ld (the WebAssembly linker, from lld) not found, so the kernels cannot be built (nothing was compared). Install it (apt-get install -y lld) or set WASM_LD." >&2
  exit 3
fi
# build NAME CLANG-ARGS...: compiles one module; a failure exits 3, never as a mismatch.
build() {
  local name="$1"
  shift
  if ! "$clang" -fuse-ld="$wasm_ld" "$@"; then
    echo "error: building $name failed (see clang's messages above); nothing was compared." >&2
    exit 3
  fi
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Two builds of the same sources, both importing their memory (the loader creates it):
#   matmul:        plain memory, for one thread (and browsers without cross-origin isolation);
#   matmul-shared: shared memory (atomics + bulk memory), which worker threads instantiate too.
# -ffreestanding: no libc, and no memcpy/memset calls synthesised from loops.
# --max-memory: 1 GiB, the most createWasmKernels({ memoryMiB }) can ask for (MAX_MEMORY_MIB).
# --stack-first: the 64 KiB C stack of the first thread sits at the bottom, so an overflow traps
# instead of overwriting static data (other threads get stacks from the loader: threads.s).
# --export=__heap_base: where the JS arena may start.
common=(--target=wasm32 -msimd128 -O3 -ffreestanding -nostdlib -Wall -Wextra -Werror
  -Wl,--no-entry -Wl,--export=__heap_base -Wl,--import-memory -Wl,--max-memory=1073741824
  -Wl,-z,stack-size=65536 -Wl,--stack-first -Wl,--strip-all)
build matmul "${common[@]}" -o "$tmp/matmul.wasm" "${sources[@]}"
build matmul-shared "${common[@]}" -matomics -mbulk-memory -Wl,--shared-memory \
  -o "$tmp/matmul-shared.wasm" "${sources[@]}"

# The PID estimator kernel: its own module and memory (pid-kernel.ts lays it out through
# pid_setup), importing Math.log2 as env.log2. pid.c includes its parts (pid_*.h).
build pid --target=wasm32 -msimd128 -O3 -ffreestanding -nostdlib -Wall -Wextra -Werror \
  -Wl,--no-entry -Wl,--export=pid_setup -Wl,--export=pid_ready -Wl,--export=pid_run -Wl,--max-memory=1073741824 \
  -Wl,-z,stack-size=65536 -Wl,--stack-first -Wl,--strip-all \
  -o "$tmp/pid.wasm" "$dir/pid.c"

status=0
# emit NAME WHAT SOURCES...: writes $tmp/NAME.wasm.ts, then checks or installs it. The file
# names its sources and carries two hashes that a plain test (kernels/wasm/shipped.test.ts)
# checks without clang: of the sources (edited C not rebuilt) and of the module's bytes (an
# edited or damaged base64 string).
emit() {
  local name="$1" what="$2"
  shift 2
  local ident # matmul-shared → matmulShared
  ident="$(sed -E 's/-(.)/\U\1/g' <<<"$name")"
  local hash wasm_hash base64 bytes names out="$tmp/$name.wasm.ts" dest="$dir/$name.wasm.ts"
  hash="$(cat "$@" | sha256sum | cut -d' ' -f1)"
  wasm_hash="$(sha256sum <"$tmp/$name.wasm" | cut -d' ' -f1)"
  base64="$(base64 -w0 "$tmp/$name.wasm")"
  bytes="$(wc -c <"$tmp/$name.wasm" | tr -d ' ')"
  names="$(for f in "$@"; do printf '"%s", ' "${f##*/}"; done)"
  cat >"$out" <<TS
/** The prebuilt WebAssembly module of $what (${bytes} bytes), base64. Generated by scripts/build-kernels.sh; do not edit. */

/** The files it was built from, in kernels/wasm/, in the order their bytes are hashed. */
export const ${ident}WasmSources = [${names%, }];

/** sha256 of the sources' bytes, concatenated in that order. */
export const ${ident}WasmSourceSha256 =
  "${hash}";

/** sha256 of the module's bytes (the base64 string decoded). */
export const ${ident}WasmSha256 =
  "${wasm_hash}";

export const ${ident}WasmBase64 =
  "${base64}";
TS
  if [[ "$mode" == "--check" ]]; then
    if ! cmp -s "$out" "$dest"; then
      echo "error: $dest does not match a fresh build of $*. Run scripts/build-kernels.sh and commit the result." >&2
      status=1
    else
      echo "ok: $dest matches its sources (sha256 $hash)"
    fi
  else
    cp "$out" "$dest"
    echo "wrote $dest (${bytes} bytes of wasm, sources sha256 $hash)"
  fi
}
emit matmul "the layer kernels, plain memory" "${sources[@]}" "${headers[@]}"
emit matmul-shared "the layer kernels, shared memory for threads" "${sources[@]}" "${headers[@]}"
emit pid "the PID estimator kernel" "${pid_parts[@]}"
exit "$status"
