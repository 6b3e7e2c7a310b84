#!/usr/bin/env bash
# Builds the GPU device kit (see bench/gpu/README.md): the gitignored folders .gpu/ and .gl/
# that travel, beside the repository's own files, to a lent GPU machine that has no Node, no
# npm and no network, for bench/gpu/check.sh to run there.
#
#   .gpu/node.xz       this machine's Node 20 binary, xz-compressed (unpacked to /tmp there)
#   .gpu/kit.tar.xz    app/: the CLI and the engine as two esbuild bundles, the few packages
#                      they load from disk at run time, and the ISBI 2012 images
#   .gpu/kit.json      what was packed (commit, Node version)
#   .gpu/busybox       a static busybox (xz, tar, dpkg-deb) for a device without xz
#   .gl/*.deb          the Vulkan loader and GL vendor-neutral libraries, for a machine
#                      without them (Debian bookworm amd64 packages)
#
# Usage: bash bench/gpu/pack.sh
#   ISBI_DIR   the data folder (default ../shared/datasets/isbi2012-membrane)
#   PACK_NODE  the Node 20 binary to pack (default: the `node` on PATH)
#   PACK_NO_GL=1  keeps .gl and .gpu/busybox as they are (no apt-get)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD

data=${ISBI_DIR:-../shared/datasets/isbi2012-membrane}
node_bin=${PACK_NODE:-$(command -v node)}
node_bin=$(readlink -f "$node_bin")
esbuild=node_modules/.bin/esbuild
nm=node_modules
limit_mib=55

[ -x "$esbuild" ] || { echo "pack: $esbuild is missing: run npm install first" >&2; exit 1; }
[ -f "$data/image/0.png" ] || { echo "pack: no ISBI data in $data (set ISBI_DIR)" >&2; exit 1; }
case "$("$node_bin" --version)" in
  v20.*) ;;
  *) echo "pack: $node_bin is $("$node_bin" --version), not Node 20" >&2; exit 1 ;;
esac

mkdir -p .gpu
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
app=$stage/app
mkdir -p "$app/bin" "$app/node_modules"

echo "== bundles (esbuild $("$esbuild" --version))"
# The CLI's entry, as bin/skipseg.mjs runs it but without tsx.
cat > "$stage/entry.mjs" <<EOF
import { main } from '$root/src-main/cli.ts';
process.exitCode = await main(process.argv.slice(2));
EOF
# tfjs is CommonJS: in an ESM bundle it still needs a real \`require\` for Node's own modules,
# and \`__filename\`/\`__dirname\` (the Emscripten glue of tfjs-backend-wasm reads them when it
# starts, write-file-atomic when it names a temporary file). sharp and webgpu load native
# addons and stay packages (webgpu is imported by a variable specifier anyway).
banner="import{createRequire as __kitRequire}from'node:module';import{fileURLToPath as __kitPath}from'node:url';"
banner+="import{dirname as __kitDir}from'node:path';const require=__kitRequire(import.meta.url);"
banner+="const __filename=__kitPath(import.meta.url);const __dirname=__kitDir(__filename);"
common=(--bundle --platform=node --format=esm --target=node20 --legal-comments=none
  --external:sharp --external:webgpu --log-level=warning "--banner:js=$banner")
"$esbuild" "$stage/entry.mjs" "${common[@]}" --outfile="$app/bin/cli.mjs"
# The engine process: src-main/engine/client.ts forks `main.ts` beside itself (here, beside
# cli.mjs) with `--import <tsx>`; the bundle takes that name, and the stand-in tsx below
# tells Node that .ts files in this kit are plain ES modules.
"$esbuild" src-main/engine/main.ts "${common[@]}" --outfile="$app/bin/engine.mjs"
mv "$app/bin/engine.mjs" "$app/bin/main.ts"

cat > "$app/package.json" <<'EOF'
{ "name": "skipseg-gpu-kit", "private": true, "type": "module" }
EOF
mkdir -p "$app/node_modules/tsx"
cat > "$app/node_modules/tsx/package.json" <<'EOF'
{ "name": "tsx", "version": "0.0.0-skipseg-gpu-kit", "type": "module", "exports": { ".": "./index.mjs" } }
EOF
cat > "$app/node_modules/tsx/index.mjs" <<'EOF'
// Stand-in for tsx in the GPU kit: the kit's .ts files are already JavaScript bundles.
import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
EOF
cat > "$app/node_modules/tsx/hooks.mjs" <<'EOF'
import { readFile } from 'node:fs/promises';
const kit = new URL('../../', import.meta.url).href;
export async function load(url, context, next) {
  if (url.startsWith(kit) && url.endsWith('.ts')) {
    return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
  }
  return next(url, context);
}
EOF

echo "== packages loaded from disk"
copy() { # copy PATH... (relative to node_modules) into the kit's node_modules
  local p
  for p in "$@"; do
    [ -e "$nm/$p" ] || { echo "pack: $nm/$p is missing" >&2; exit 1; }
    mkdir -p "$app/node_modules/$(dirname "$p")"
    cp -a "$nm/$p" "$app/node_modules/$p"
  done
}
# tfjs-backend-wasm: resolved for its dist folder (the .wasm files); the threaded glue and
# its worker source are read by src-main/engine/wasm/nodeRuntime.ts.
w=@tensorflow/tfjs-backend-wasm
copy $w/package.json $w/dist/tf-backend-wasm.node.js $w/dist/tfjs-backend-wasm.wasm \
  $w/dist/tfjs-backend-wasm-simd.wasm $w/dist/tfjs-backend-wasm-threaded-simd.wasm \
  $w/wasm-out/tfjs-backend-wasm-threaded-simd.js $w/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js
# webgpu: Dawn's addon for linux-x64 only.
copy webgpu/package.json webgpu/index.js webgpu/LICENSE.md webgpu/dist/linux-x64/dawn.node
# sharp and its runtime dependencies, linux-x64 (glibc) only.
copy sharp/package.json sharp/LICENSE sharp/dist detect-libc @img/colour \
  @img/sharp-linux-x64 @img/sharp-libvips-linux-x64
if [ -d "$nm/sharp/node_modules" ]; then copy sharp/node_modules; else copy semver; fi
rm -f "$app"/node_modules/sharp/dist/*.d.?ts

echo "== ISBI 2012 data from $data"
mkdir -p "$app/data/isbi2012/image" "$app/data/isbi2012/label"
for i in $(seq 0 29); do
  cp "$data/image/$i.png" "$app/data/isbi2012/image/$i.png"
  cp "$data/label/$i.png" "$app/data/isbi2012/label/$i.png"
done

echo "== kit.tar.xz"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git status --porcelain -- src-main shared 2>/dev/null | wc -l)
printf '{"commit":"%s","dirtyFiles":%s,"packed":"%s","node":"%s"}\n' \
  "$commit" "$dirty" "$(date -u +%FT%TZ)" "$("$node_bin" --version)" > "$app/kit.json"
tar -C "$stage" -cf - app | xz -9 -T2 > .gpu/kit.tar.xz.part
mv .gpu/kit.tar.xz.part .gpu/kit.tar.xz
cp "$app/kit.json" .gpu/kit.json

echo "== node.xz from $node_bin"
# xz -9 of a 99 MB binary takes about a minute: reuse the last one when the binary is the same.
stamp="$(sha256sum "$node_bin" | cut -c1-64) $("$node_bin" --version)"
if [ -f .gpu/node.xz ] && [ "$(cat .gpu/node.stamp 2>/dev/null)" = "$stamp" ]; then
  echo "unchanged, kept"
else
  xz -9 -T2 -c "$node_bin" > .gpu/node.xz.part
  mv .gpu/node.xz.part .gpu/node.xz
  echo "$stamp" > .gpu/node.stamp
fi

if [ "${PACK_NO_GL:-}" != 1 ]; then
  echo "== .gl: Vulkan loader and GL libraries; .gpu/busybox (Debian amd64 packages)"
  # busybox-static is one static binary with xz, tar and dpkg-deb: check.sh's fallback where
  # the device lacks xz (minimal images do).
  mkdir -p .gl /tmp/amd64/partial "$stage/debs"
  rm -f .gl/*.deb
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
  apt() { # apt DIR ARGS...: quiet unless it fails (as root it warns that it runs unsandboxed)
    local dir=$1; shift
    (cd "$dir" && apt-get "${o[@]}" "$@" >"$stage/apt.log" 2>&1) || { cat "$stage/apt.log" >&2; return 1; }
  }
  if apt . update && apt .gl download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2 &&
    apt "$stage/debs" download busybox-static; then
    dpkg -x "$stage"/debs/busybox-static_*.deb "$stage/busybox"
    cp "$stage/busybox/bin/busybox" .gpu/busybox
    ls .gl
  else
    echo "pack: WARNING: the packages did not download; check.sh will rely on the device's own Vulkan loader and xz" >&2
  fi
fi

echo "== sizes"
du -b .gpu/* .gl 2>/dev/null | awk '{printf "%8.1f MiB  %s\n", $1/1048576, $2}'
kit=$(du -cb .gpu .gl 2>/dev/null | tail -1 | cut -f1)
tracked=$(git ls-files -z --cached --others --exclude-standard | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1)
mib() { awk -v b="$1" 'BEGIN { printf "%8.1f MiB", b / 1048576 }'; }
echo "$(mib "$kit")  .gpu + .gl (limit $limit_mib MiB)"
echo "$(mib "$tracked")  repository files that travel (tracked + untracked, not ignored)"
echo "$(mib $((kit + tracked)))  in all (limit 64 MiB)"
if [ "$kit" -gt $((limit_mib * 1048576)) ] || [ $((kit + tracked)) -gt $((64 * 1048576)) ]; then
  echo "pack: the kit is too big to travel" >&2
  exit 1
fi
