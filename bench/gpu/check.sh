#!/usr/bin/env bash
# The GPU device check (see bench/gpu/README.md): run from the repository root on a lent GPU
# machine with .gpu/ and .gl/ (made by bench/gpu/pack.sh) carried. It unpacks Node and the
# kit into $CHECK_WORK, brings the Vulkan loader where the machine lacks it, then runs
#   skipseg doctor, skipseg doctor --json,
#   skipseg bench --backend webgpu --arch unet --size 256 --batch B   for B in 4 16,
#   the ISBI 2012 time-to-quality run (train on 0-19 for 300 s, eval on 20-29) on webgpu,
# and writes $OUT/check.log (everything, as it happens) and $OUT/summary.json (adapter, bench
# figures, ISBI mIoU; rewritten after every step, so a timeout still leaves one).
# A failing step is logged and the next one runs.
#
# Settings (environment), for rehearsing on a CPU with a software adapter:
#   CHECK_SIZE=256  CHECK_BATCHES="4 16"  CHECK_ARCH=unet  CHECK_BACKEND=webgpu
#   CHECK_SECONDS=300                 ISBI training budget (shrunk if CHECK_BUDGET runs short)
#   CHECK_TRAIN=0-19  CHECK_VAL=20-29 ISBI image numbers for training and for validation + eval
#   CHECK_CROP=N                      crop every ISBI image and label to its top-left N×N
#                                     (default: full 512×512)
#   CHECK_TRAIN_ARGS                  extra train flags; default none at CHECK_SIZE=256, else
#                                     "--tile CHECK_SIZE --batch <first of CHECK_BATCHES>"
#   CHECK_BUDGET=570                  seconds for the whole check; each step's timeout is cut
#                                     to what is left
#   CHECK_WORK=/tmp/skipseg-gpu       scratch folder (emptied first)
#   OUT=/tmp/skipseg-gpu-out          where the log and the summary go
set -uo pipefail
cd "$(dirname "$0")/../.."

OUT=${OUT:-/tmp/skipseg-gpu-out}
size=${CHECK_SIZE:-256}
batches=${CHECK_BATCHES:-4 16}
arch=${CHECK_ARCH:-unet}
backend=${CHECK_BACKEND:-webgpu}
seconds=${CHECK_SECONDS:-300}
train_range=${CHECK_TRAIN:-0-19}
val_range=${CHECK_VAL:-20-29}
crop=${CHECK_CROP:-}
budget=${CHECK_BUDGET:-570}
work=${CHECK_WORK:-/tmp/skipseg-gpu}
if [ -n "${CHECK_TRAIN_ARGS+set}" ]; then
  train_args=$CHECK_TRAIN_ARGS
elif [ "$size" = 256 ]; then
  train_args=
else
  train_args="--tile $size --batch ${batches%% *}"
fi

mkdir -p "$OUT"
rm -rf "$work"
mkdir -p "$work"
: > "$work/steps.tsv"
cli=$work/app/bin/cli.mjs
bb=$work/busybox
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
nvidia_egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json

# step NAME TIMEOUT CMD...: runs CMD under a timeout cut to the time left, its output into the
# log and into $work/NAME.txt (which the summary reads); records the exit status.
step() {
  local name=$1 limit=$2 left t0 rc
  shift 2
  left=$((budget - SECONDS))
  [ "$limit" -gt "$left" ] && limit=$left
  if [ "$limit" -lt 5 ]; then
    echo "== $name: skipped, the check's ${budget} s budget is spent"
    printf '%s\t%s\t%s\n' "$name" skipped 0 >> "$work/steps.tsv"
    return 1
  fi
  echo
  echo "== $name [$(date -u +%T), t=${SECONDS}s, timeout ${limit}s]: $*"
  t0=$SECONDS
  timeout -k 10 "$limit" "$@" 2>&1 | tee "$work/$name.txt"
  rc=$?
  [ "$rc" = 124 ] && echo "== $name: TIMED OUT after ${limit} s"
  echo "== $name: exit $rc after $((SECONDS - t0)) s"
  printf '%s\t%s\t%s\n' "$name" "$rc" "$((SECONDS - t0))" >> "$work/steps.tsv"
  summarise
  return "$rc"
}

summarise() {
  [ -f "$work/summary.mjs" ] && command -v node >/dev/null || return 0
  WORK=$work OUT=$OUT CHECK_SIZE=$size CHECK_ARCH=$arch CHECK_BACKEND=$backend \
    CHECK_BATCHES=$batches CHECK_TRAIN=$train_range CHECK_VAL=$val_range CHECK_CROP=$crop \
    CHECK_TRAIN_SECONDS=${train_seconds:-} CHECK_TRAIN_ARGS=$train_args \
    node "$work/summary.mjs" || echo "summary: failed"
}

# range A-B | A: the numbers it names
range() { local a=${1%-*} b=${1#*-}; seq "$a" "$b"; }

webgpu_available() { grep -q '"id":"webgpu","available":true' "$work/$1.txt" 2>/dev/null; }

write_summary_script() {
  cat > "$work/summary.mjs" <<'EOF'
// Builds $OUT/summary.json from the steps' outputs in $WORK.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const env = process.env;
const work = env.WORK;
const text = (name) => (existsSync(join(work, name)) ? readFileSync(join(work, name), 'utf8') : null);
const json = (name, prefix) => {
  const lines = (text(`${name}.txt`) ?? '').split('\n').filter((l) => l.startsWith(prefix));
  for (const line of lines.reverse()) {
    try { return JSON.parse(line); } catch { /* a line cut short */ }
  }
  return null;
};
const steps = (text('steps.tsv') ?? '').trim().split('\n').filter(Boolean).map((l) => {
  const [name, rc, seconds] = l.split('\t');
  return { name, rc: rc === 'skipped' ? rc : Number(rc), seconds: Number(seconds) };
});
const doctor = json('doctor-retry', '{"backends"') ?? json('doctor-json', '{"backends"');
const bench = (env.CHECK_BATCHES ?? '').split(/\s+/).filter(Boolean).map((batch) => {
  const b = json(`bench-b${batch}`, '{"backend"');
  return { batch: Number(batch), size: Number(env.CHECK_SIZE), ...(b ?? { failed: true }) };
});
const train = text('train.txt') ?? '';
const match = (re) => re.exec(train)?.slice(1) ?? null;
const trained = match(/^trained (\d+) epochs \((\d+) steps\) in (\d+) s; best mIoU ([\d.]+|n\/a)/m);
const valLines = train.split('\n').filter((l) => /^epoch \d+: val/.test(l));
const progress = train.split('\n').filter((l) => /^epoch \d+ step/.test(l));
const summary = {
  kit: JSON.parse(text('app/kit.json') ?? 'null'),
  host: {
    gpus: (text('nvidia-smi.txt') ?? '').trim().split('\n').filter(Boolean),
    gpuQuery: (text('gpu-query.txt') ?? '').trim().split('\n').filter(Boolean),
    node: process.version,
    os: (text('os.txt') ?? '').trim(),
  },
  vulkan: {
    VK_DRIVER_FILES: env.VK_DRIVER_FILES ?? null,
    VK_ICD_FILENAMES: env.VK_ICD_FILENAMES ?? null,
    LD_LIBRARY_PATH: env.LD_LIBRARY_PATH ?? null,
    addedLibs: (text('gl-added.txt') ?? '').trim().split('\n').filter(Boolean),
  },
  adapter: doctor && {
    webgpu: doctor.backends?.find((b) => b.id === 'webgpu') ?? null,
    chosen: doctor.chosen ? { id: doctor.chosen.id, detail: doctor.chosen.detail } : null,
    failure: doctor.failure ?? null,
  },
  bench,
  isbi: {
    arch: env.CHECK_ARCH,
    backend: env.CHECK_BACKEND,
    train: env.CHECK_TRAIN,
    val: env.CHECK_VAL,
    crop: env.CHECK_CROP ? Number(env.CHECK_CROP) : null,
    seconds: env.CHECK_TRAIN_SECONDS ? Number(env.CHECK_TRAIN_SECONDS) : null,
    trainArgs: env.CHECK_TRAIN_ARGS || null,
    backendLine: match(/^(backend: .*)$/m)?.[0] ?? null,
    batchLine: match(/^(batch \d+, tile \d+.*)$/m)?.[0] ?? null,
    trained: trained && {
      epochs: Number(trained[0]),
      steps: Number(trained[1]),
      seconds: Number(trained[2]),
      bestValMiou: trained[3] === 'n/a' ? null : Number(trained[3]),
    },
    lastProgress: progress.at(-1) ?? null,
    valLines: valLines.slice(-5),
    eval: json('eval', '{"miou"'),
  },
  steps,
};
const tmp = join(work, 'summary.json.tmp');
writeFileSync(tmp, JSON.stringify(summary, null, 2) + '\n');
writeFileSync(join(env.OUT, 'summary.json'), readFileSync(tmp));
EOF
}

check() {
  echo "== SkipSeg GPU check, $(date -u +%FT%TZ)"
  echo "size $size, batches $batches, arch $arch, backend $backend, train $train_range for ${seconds} s," \
    "val $val_range, crop ${crop:-none}, train args '${train_args}', budget ${budget} s, work $work, OUT $OUT"
  { grep -h '^PRETTY_NAME' /etc/os-release 2>/dev/null | cut -d= -f2 | tr -d '"'; uname -srm; ldd --version 2>/dev/null | head -1; } |
    paste -sd';' | tee "$work/os.txt"
  echo "cpus $(nproc), memory $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GiB"}'), user $(id -un 2>/dev/null)"
  [ -f .gpu/kit.json ] && echo "kit: $(cat .gpu/kit.json)"

  echo
  echo "== GPU"
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi -L 2>&1 | tee "$work/nvidia-smi.txt"
    nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,utilization.gpu --format=csv 2>&1 |
      tee "$work/gpu-query.txt"
  else
    echo "no nvidia-smi"
  fi
  ls /dev/nvidia* 2>/dev/null | paste -sd' '

  echo
  echo "== unpack Node and the kit into $work"
  # The static busybox stands in for xz, tar and dpkg where the machine lacks them (copied:
  # the exec bit may not travel).
  cp .gpu/busybox "$bb" 2>/dev/null && chmod +x "$bb"
  local xz=(xz) untar=(tar)
  if ! command -v xz >/dev/null; then
    echo "no xz here: busybox's"
    xz=("$bb" xz)
  fi
  command -v tar >/dev/null || untar=("$bb" tar)
  mkdir -p "$work/node/bin"
  if "${xz[@]}" -dc .gpu/node.xz > "$work/node/bin/node" && chmod +x "$work/node/bin/node" &&
    "${xz[@]}" -dc .gpu/kit.tar.xz | "${untar[@]}" -C "$work" -xf -; then
    export PATH=$work/node/bin:$PATH
    echo "node $(node --version) at $(command -v node); kit $(cat "$work/app/kit.json")"
  else
    echo "UNPACK FAILED: nothing below can run"
  fi
  write_summary_script
  printf '%s\t%s\t%s\n' unpack "$([ -x "$work/node/bin/node" ] && node --version >/dev/null 2>&1 && echo 0 || echo 1)" "$SECONDS" >> "$work/steps.tsv"

  echo
  echo "== Vulkan"
  vulkan_setup
  summarise

  echo
  echo "== ISBI 2012 data: train $train_range, val $val_range${crop:+, cropped to ${crop}×${crop}}"
  local data=$work/app/data/isbi2012 i split
  mkdir -p "$work"/isbi/{train,val}/{images,masks}
  for split in train val; do
    local r=$train_range
    [ "$split" = val ] && r=$val_range
    for i in $(range "$r"); do
      ln -s "$data/image/$i.png" "$work/isbi/$split/images/$i.png"
      ln -s "$data/label/$i.png" "$work/isbi/$split/masks/$i.png"
    done
  done
  if [ -n "$crop" ]; then
    (cd "$work/app" && node --input-type=module -e "
      import sharp from 'sharp';
      import { readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
      for (const split of ['train', 'val']) for (const kind of ['images', 'masks']) {
        const dir = '$work/isbi/' + split + '/' + kind;
        for (const f of readdirSync(dir)) {
          const src = readFileSync(realpathSync(dir + '/' + f));
          const png = await sharp(src).extract({ left: 0, top: 0, width: $crop, height: $crop }).png().toBuffer();
          rmSync(dir + '/' + f);
          writeFileSync(dir + '/' + f, png);
        }
      }") || echo "CROP FAILED"
  fi
  ls "$work"/isbi/*/* | paste -sd' ' | cut -c1-300

  step doctor 60 node "$cli" doctor
  step doctor-json 60 node "$cli" doctor --json
  if [ "$backend" = webgpu ] && ! webgpu_available doctor-json && [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] &&
    [ -f "$nvidia_icd" ]; then
    echo "webgpu has no adapter: retrying with the driver manifest $nvidia_icd"
    export VK_DRIVER_FILES=$nvidia_icd VK_ICD_FILENAMES=$nvidia_icd
    [ -f "$nvidia_egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$nvidia_egl
    step doctor-retry 60 node "$cli" doctor --json
  fi

  local b
  for b in $batches; do
    step "bench-b$b" 150 node "$cli" bench --backend "$backend" --arch "$arch" --size "$size" --batch "$b" --json
  done

  # Leave room for the engine's start and last validation, and for eval.
  train_seconds=$seconds
  local room=$((budget - SECONDS - 150))
  if [ "$room" -lt "$train_seconds" ]; then
    train_seconds=$((room > 10 ? room : 10))
    echo "== train budget cut to ${train_seconds} s to fit the check's ${budget} s"
  fi
  # shellcheck disable=SC2086 # train_args holds several flags
  step train $((train_seconds + 150)) node "$cli" train \
    --images "$work/isbi/train/images" --masks "$work/isbi/train/masks" \
    --val-images "$work/isbi/val/images" --val-masks "$work/isbi/val/masks" \
    --arch "$arch" --seconds "$train_seconds" --backend "$backend" --out "$work/model" $train_args
  if [ -f "$work/model/skipseg-model.json" ]; then
    step eval 150 node "$cli" eval --model "$work/model" --images "$work/isbi/val/images" \
      --masks "$work/isbi/val/masks" --backend "$backend" --json
  else
    echo "== eval: skipped, training saved no model"
    printf '%s\t%s\t%s\n' eval skipped 0 >> "$work/steps.tsv"
  fi

  summarise
  echo
  echo "== done in ${SECONDS} s"
  cat "$OUT/summary.json" 2>/dev/null
}

# The Vulkan loader and GL libraries from .gl/*.deb, for those this machine lacks: unpacked
# under $work, linked one by one into $work/gl-lib (put first on LD_LIBRARY_PATH), so the
# machine's own libraries are never replaced. Then the NVIDIA driver manifest, where the
# loader would not find it by itself.
vulkan_setup() {
  local debs=(.gl/*.deb) f lib
  if [ -e "${debs[0]}" ]; then
    mkdir -p "$work/gl-root" "$work/gl-lib"
    for f in "${debs[@]}"; do
      if command -v dpkg >/dev/null; then dpkg -x "$f" "$work/gl-root"; else "$bb" dpkg-deb -x "$f" "$work/gl-root"; fi ||
        echo "could not unpack $f"
    done
    local have
    have=$(ldconfig -p 2>/dev/null | awk 'NR > 1 {print $1}')
    : > "$work/gl-added.txt"
    # The sonames (libvulkan.so.1 -> libvulkan.so.1.3.239): what programs ask the linker for.
    for lib in "$work"/gl-root/usr/lib/x86_64-linux-gnu/*.so.[0-9]*; do
      [ -L "$lib" ] || continue
      f=$(basename "$lib")
      if ! grep -qxF "$f" <<< "$have"; then
        ln -sf "$lib" "$work/gl-lib/$f"
        echo "$f" >> "$work/gl-added.txt"
      fi
    done
    if [ -s "$work/gl-added.txt" ]; then
      export LD_LIBRARY_PATH=$work/gl-lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
      echo "added from .gl: $(paste -sd' ' "$work/gl-added.txt")"
    else
      echo "this machine has every library .gl brings"
    fi
  else
    echo "no .gl/*.deb: using this machine's libraries"
  fi
  local d
  for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
    if [ -d "$d" ] && [[ ":${LD_LIBRARY_PATH:-}:" != *":$d:"* ]]; then
      export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$d
    fi
  done
  echo "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}"
  ldconfig -p 2>/dev/null | grep -E 'libvulkan\.so|libGLX_nvidia|libGLdispatch|libnvidia-(glcore|gpucomp)' | sed 's/^\s*/  /'

  if [ -n "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ]; then
    echo "driver manifest given: VK_DRIVER_FILES=${VK_DRIVER_FILES:-} VK_ICD_FILENAMES=${VK_ICD_FILENAMES:-}"
  else
    local found
    found=$(ls /etc/vulkan/icd.d/*.json /usr/share/vulkan/icd.d/*.json /usr/local/share/vulkan/icd.d/*.json 2>/dev/null | grep -i nvidia | head -1)
    if [ -n "$found" ]; then
      echo "NVIDIA driver manifest: $found"
    elif [ -f "$nvidia_icd" ]; then
      echo "no NVIDIA driver manifest where the loader looks: using $nvidia_icd"
      export VK_DRIVER_FILES=$nvidia_icd VK_ICD_FILENAMES=$nvidia_icd
      [ -f "$nvidia_egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES=$nvidia_egl
    else
      echo "no NVIDIA driver manifest found; manifests here:"
      ls /etc/vulkan/icd.d /usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d 2>/dev/null | sed 's/^/  /'
    fi
  fi
  f=${VK_DRIVER_FILES:-${VK_ICD_FILENAMES:-$(ls /etc/vulkan/icd.d/*nvidia*.json /usr/share/vulkan/icd.d/*nvidia*.json 2>/dev/null | head -1)}}
  [ -f "${f%%:*}" ] && echo "${f%%:*}: $(tr -d '\n ' < "${f%%:*}")"
  # Dawn's Vulkan backend complains on stderr without it.
  if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
    export XDG_RUNTIME_DIR=$work/xdg
    mkdir -p -m 700 "$XDG_RUNTIME_DIR"
  fi
}

check 2>&1 | tee "$OUT/check.log"
