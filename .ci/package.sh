#!/usr/bin/env bash
# The package checks .ci/run names, one a call: `bash .ci/package.sh check|baseline|consumer|aot`.
#   check     dotnet pack into the local feed (artifacts/packages), then check the package's files and nuspec
#   baseline  validate the package against the last release with the SDK's API compatibility tool
#   consumer  run tests/WasmSharedMemory.PackageConsumer restored from the feed by version (prints the README example)
#   aot       the same consumer published as native AOT, then run
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

feed=artifacts/packages
consumer=tests/WasmSharedMemory.PackageConsumer
# The last release: the package validated against is packed from this commit, never kept as a binary.
baseline_commit=7a6c0e8
baseline_version=0.3.0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "ci: $*" >&2; exit 1; }

nupkg=""
package() { # sets nupkg to the one package in the feed, in this shell (so that a failure exits the script)
  nupkg=$(ls "$feed"/WasmSharedMemory.*.nupkg 2>/dev/null)
  [ -n "$nupkg" ] && [ "$(wc -l <<<"$nupkg")" -eq 1 ] || fail "expected one WasmSharedMemory package in $feed (run '.ci/package.sh check' first)"
}

check() {
  rm -f "$feed"/WasmSharedMemory.*nupkg
  dotnet pack src/WasmSharedMemory -c Release || fail "dotnet pack failed"
  local bad=0 tfm file group nuspec
  package
  [ -f "${nupkg%.nupkg}.snupkg" ] || fail "pack wrote no .snupkg beside $nupkg"
  unzip -l "$nupkg"
  echo "size: $(stat -c %s "$nupkg") bytes ($nupkg), symbols $(stat -c %s "${nupkg%.nupkg}.snupkg") bytes"

  unzip -Z1 "$nupkg" >"$work/files.txt"
  unzip -p "$nupkg" WasmSharedMemory.nuspec >"$work/nuspec.xml"
  for tfm in netstandard2.0 net8.0 net10.0; do
    for file in WasmSharedMemory.dll WasmSharedMemory.xml; do
      grep -qxF "lib/$tfm/$file" "$work/files.txt" || { echo "ci: the package lacks lib/$tfm/$file" >&2; bad=1; }
    done
    # Both kernel builds and both shared-memory builds are embedded in every assembly. The DLL goes to a file
    # first: piped into grep -q, which exits at its first match, unzip could die of SIGPIPE.
    unzip -p "$nupkg" "lib/$tfm/WasmSharedMemory.dll" >"$work/assembly.dll"
    for file in WasmSharedMemory.simd.wasm WasmSharedMemory.scalar.wasm WasmSharedMemory.shared.simd.wasm WasmSharedMemory.shared.scalar.wasm; do
      grep -qaF "$file" "$work/assembly.dll" || { echo "ci: lib/$tfm/WasmSharedMemory.dll does not embed $file" >&2; bad=1; }
    done
    # The XML docs describe public API only: no member of an Internals namespace.
    unzip -p "$nupkg" "lib/$tfm/WasmSharedMemory.xml" >"$work/docs.xml"
    grep -qF 'name="T:WasmSharedMemory.Internals.' "$work/docs.xml" && { echo "ci: lib/$tfm/WasmSharedMemory.xml documents Internals types" >&2; bad=1; }
    unzip -l "${nupkg%.nupkg}.snupkg" "lib/$tfm/WasmSharedMemory.pdb" >/dev/null || { echo "ci: the symbols package lacks lib/$tfm/WasmSharedMemory.pdb" >&2; bad=1; }
  done
  grep -qxF README.md "$work/files.txt" || { echo "ci: the package lacks its README.md" >&2; bad=1; }
  # The bindings source generator ships as a C# analyzer, never as a library or a dependency.
  grep -qxF analyzers/dotnet/cs/WasmSharedMemory.Generators.dll "$work/files.txt" || { echo "ci: the package lacks analyzers/dotnet/cs/WasmSharedMemory.Generators.dll" >&2; bad=1; }
  grep -q 'lib/.*WasmSharedMemory.Generators' "$work/files.txt" && { echo "ci: the generator is packed as a library" >&2; bad=1; }
  grep -qF 'WasmSharedMemory.Generators' "$work/nuspec.xml" && { echo "ci: the nuspec lists the generator as a dependency" >&2; bad=1; }
  grep -qF '<readme>README.md</readme>' "$work/nuspec.xml" || { echo "ci: the nuspec names no readme" >&2; bad=1; }
  grep -qF '<license type="expression">MIT</license>' "$work/nuspec.xml" || { echo "ci: the nuspec has no MIT license expression" >&2; bad=1; }
  # Every target framework's dependency group declares the engine; netstandard2.0 also needs System.Memory.
  for group in net10.0 net8.0 .NETStandard2.0; do
    nuspec=$(sed -n "/<group targetFramework=\"$group\"/,/<\/group>/p" "$work/nuspec.xml")
    grep -qF 'id="Wasmtime"' <<<"$nuspec" || { echo "ci: the $group dependency group lacks Wasmtime" >&2; bad=1; }
    if [ "$group" = .NETStandard2.0 ]; then
      grep -qF 'id="System.Memory"' <<<"$nuspec" || { echo "ci: the $group dependency group lacks System.Memory" >&2; bad=1; }
    fi
  done
  return $bad
}

# A clone sharing this repository's objects is checked out at the release commit in a temporary folder and packed
# there; the SDK's API compatibility tool (a local tool, dotnet-tools.json) then compares the two packages. Breaks
# made on purpose are listed in src/WasmSharedMemory/CompatibilitySuppressions.xml (CHANGELOG.md names them).
baseline() {
  package
  git cat-file -e "$baseline_commit^{commit}" 2>/dev/null ||
    fail "commit $baseline_commit ($baseline_version) is not in this clone; fetch the full history (git fetch --unshallow)"
  git clone --quiet --shared --no-checkout . "$work/source" && git -C "$work/source" checkout --quiet --detach "$baseline_commit" ||
    fail "could not check out $baseline_commit"
  dotnet pack "$work/source/src/WasmSharedMemory" -c Release -o "$work/baseline" || fail "packing $baseline_version from $baseline_commit failed"
  [ -f "$work/baseline/WasmSharedMemory.$baseline_version.nupkg" ] || fail "packing $baseline_commit wrote no WasmSharedMemory.$baseline_version.nupkg"
  dotnet tool restore || fail "dotnet tool restore failed"
  local suppressions=()
  [ -f src/WasmSharedMemory/CompatibilitySuppressions.xml ] && suppressions=(--suppression-file src/WasmSharedMemory/CompatibilitySuppressions.xml)
  dotnet apicompat package "$nupkg" --baseline-package "$work/baseline/WasmSharedMemory.$baseline_version.nupkg" \
    "${suppressions[@]}" || fail "$(basename "$nupkg") breaks compatibility with $baseline_version"
  echo "$(basename "$nupkg") validated against WasmSharedMemory.$baseline_version.nupkg packed from $baseline_commit"
}

# The consumer restores into its own packages folder; removing this package's folder there makes NuGet extract
# the package just packed, and cmp proves the restored file is exactly that package.
consumer() {
  local name version
  package
  rm -rf artifacts/consumer-packages/wasmsharedmemory
  dotnet run -c Release --project "$consumer" || fail "the consumer failed"
  name=$(basename "$nupkg" .nupkg)
  version=${name#WasmSharedMemory.}
  cmp "$nupkg" "artifacts/consumer-packages/wasmsharedmemory/$version/wasmsharedmemory.$version.nupkg" ||
    fail "the consumer did not restore the package just packed"
}

aot() {
  package
  rm -rf artifacts/consumer-aot
  dotnet publish "$consumer" -c Release --use-current-runtime -p:PublishAot=true -o artifacts/consumer-aot || fail "the native AOT publish failed"
  ls -l artifacts/consumer-aot
  artifacts/consumer-aot/WasmSharedMemory.PackageConsumer || fail "the native AOT consumer failed"
}

case ${1:-} in
  check | baseline | consumer | aot) "$1" ;;
  *) fail "usage: .ci/package.sh check|baseline|consumer|aot" ;;
esac
