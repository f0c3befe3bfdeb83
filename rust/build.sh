#!/usr/bin/env bash
# Builds the scalar and SIMD WebAssembly modules from this crate and writes them where the .NET library
# embeds them. The committed .wasm files are build outputs we ship on purpose (dotnet build never needs
# cargo), so they must be reproducible: `--check` rebuilds and compares them byte for byte.
#
#   rust/build.sh          rebuild both modules and both builds of the shared-memory module (shared/, loaded
#                          for SharedMemoryOptions.Parallelism above 1) into src/WasmSharedMemory/Modules/, and the test fixtures
#                          fixtures/bindgen_style and fixtures/host_calls into tests/WasmSharedMemory.Tests/Modules/
#   rust/build.sh --check  rebuild into a temporary folder; fail, naming the file, on any difference
#   rust/build.sh --test   run the unit tests of this crate and of shared/ on the host target
#
# The toolchain is Debian's rustc/cargo (1.63) with libstd-rust-dev-wasm32 and lld: the rustup toolchain
# usually on PATH has no wasm32 std. Override with WSM_RUSTC / WSM_CARGO; output bytes depend on the
# compiler version, so --check only holds for the toolchain that built the committed files.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/.." && pwd)
. "$repo_root/.ci/wasm-build.sh"
out_dir="$here/../src/WasmSharedMemory/Modules"
target=wasm32-unknown-unknown
crate=wasm_shared_memory
debian_packages=(rustc cargo libstd-rust-dev-wasm32 lld wabt binaryen)

mode=build
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --test) mode=test ;;
  *) echo "usage: rust/build.sh [--check|--test]" >&2; exit 2 ;;
esac

rustc_bin=${WSM_RUSTC:-/usr/bin/rustc}
cargo_bin=${WSM_CARGO:-/usr/bin/cargo}

has_wasm_std() {
  [ -x "$rustc_bin" ] && [ -d "$("$rustc_bin" --print sysroot)/lib/rustlib/$target/lib" ]
}

if ! has_wasm_std || [ ! -x "$cargo_bin" ] || ! command -v wasm-strip >/dev/null; then
  apt_install "Debian's Rust wasm32 toolchain" "${debian_packages[@]}"
  has_wasm_std || { echo "build.sh: $rustc_bin still has no $target std" >&2; exit 1; }
fi

# Cargo must use this rustc, not the rustup proxy that comes first on PATH.
export RUSTC="$rustc_bin"
export RUSTDOC="${rustc_bin%rustc}rustdoc"
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS

if [ "$mode" = test ]; then
  (cd "$here" && "$cargo_bin" test --locked)
  cd "$here/shared"
  exec "$cargo_bin" test --locked
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Paths that could leak into panic locations are remapped so any clone builds the same bytes.
remap="--remap-path-prefix=$here=/wsm --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"

build_crate() { # crate dir, crate name, output file, extra rustflags
  local dir=$1 name=$2 file=$3 flags=$4
  (cd "$dir" && RUSTFLAGS="$remap $flags" "$cargo_bin" build --locked --quiet --release \
      --target "$target" --target-dir "$work/target-$file")
  cp "$work/target-$file/$target/release/$name.wasm" "$work/$file"
  wasm-strip "$work/$file"
}

echo "build.sh: $("$rustc_bin" --version)" >&2
build_crate "$here" "$crate" "$crate.scalar.wasm" ""
build_crate "$here" "$crate" "$crate.simd.wasm" "-C target-feature=+simd128"
build_crate "$here/fixtures/bindgen_style" bindgen_style bindgen_style.wasm ""
build_crate "$here/fixtures/host_calls" host_calls host_calls.wasm ""

# The shared-memory module: one `shared` memory, imported as env.memory, used by several instances at once.
# Debian's wasm32 std is built without `atomics`, so wasm-ld refuses to link it into a --shared-memory module;
# the crate is no_std with its own allocator. --max-memory is required for a shared memory: the full 4 GiB,
# since the host sets the real limit as the maximum of the memory it creates. --initial-memory leaves one
# page past the 1 MiB stack, where the allocator keeps its state (at __heap_base) in bounds from the start.
# Two builds, like the main crate: scalar, and SIMD (+simd128).
shared_flags="-C target-feature=+atomics,+bulk-memory -C link-arg=--shared-memory
  -C link-arg=--import-memory -C link-arg=--max-memory=4294967296 -C link-arg=--initial-memory=1114112"
build_crate "$here/shared" wasm_shared_memory_shared "$crate.shared.scalar.wasm" "$(echo $shared_flags)"
build_crate "$here/shared" wasm_shared_memory_shared "$crate.shared.simd.wasm" "$(echo $shared_flags) -C target-feature=+simd128"

# What makes several instances over one live memory sound, checked on every build: the memory is imported
# and shared; there is no data segment and no start function, so instantiating again writes nothing (with
# data, wasm-ld would add a __wasm_init_memory start function); and no function reads or writes a global,
# so none uses the __stack_pointer global, so concurrent instances never share a shadow stack.
check_shared_module() {
  local file=$1 sections
  sections=$(wasm-objdump -h "$file")
  wasm-objdump -x -j Import "$file" | grep -q 'memory\[0\] pages: .* shared <- env\.memory' \
    || { echo "build.sh: $file does not import a shared env.memory" >&2; return 1; }
  if grep -Eq '^ *(Data|DataCount|Start) ' <<<"$sections"; then
    echo "build.sh: $file has data segments or a start function" >&2; return 1
  fi
  if wasm-objdump -d "$file" | grep -Eq '\| *global\.(get|set)'; then
    echo "build.sh: $file uses a global (the shadow stack pointer?) in its code" >&2; return 1
  fi
}
check_shared_module "$work/$crate.shared.scalar.wasm"
check_shared_module "$work/$crate.shared.simd.wasm"
# The scalar build must run on an engine without SIMD, as the main scalar build does.
if wasm-objdump -d "$work/$crate.shared.scalar.wasm" | grep -Eq '\| *(v128|[if](8x16|16x8|32x4|64x2))\.'; then
  echo "build.sh: $crate.shared.scalar.wasm contains SIMD instructions" >&2; exit 1
fi

# Each output file and the committed folder it belongs in, relative to the repository root.
outputs=(
  "$crate.scalar.wasm:src/WasmSharedMemory/Modules"
  "$crate.simd.wasm:src/WasmSharedMemory/Modules"
  "$crate.shared.scalar.wasm:src/WasmSharedMemory/Modules"
  "$crate.shared.simd.wasm:src/WasmSharedMemory/Modules"
  "bindgen_style.wasm:tests/WasmSharedMemory.Tests/Modules"
  "host_calls.wasm:tests/WasmSharedMemory.Tests/Modules"
)

if [ "$mode" = check ]; then
  status=0
  for entry in "${outputs[@]}"; do
    file=${entry%%:*} dir=${entry#*:}
    if ! cmp -s "$work/$file" "$here/../$dir/$file"; then
      echo "build.sh --check: $dir/$file differs from a fresh build; run rust/build.sh and commit it" >&2
      status=1
    fi
  done
  [ $status -eq 0 ] && echo "build.sh --check: every module matches a fresh build" >&2
  exit $status
fi

for entry in "${outputs[@]}"; do
  file=${entry%%:*} dir=${entry#*:}
  mkdir -p "$here/../$dir"
  cp "$work/$file" "$here/../$dir/"
  echo "build.sh: wrote $dir/$file ($(wc -c < "$here/../$dir/$file") bytes)" >&2
done
