#!/usr/bin/env bash
# ISBI 2012 time-to-quality, as the engine issue asks: train on images 0-19 for a time
# budget, validate on 20-29, for each architecture given (default: all five), through
# `skipseg compare`.
# Usage: bench/isbi.sh [--seconds N] [ARCH ...]      (npm run bench:isbi -- ...)
# ISBI_TRAIN_ARGS adds flags to every train command, e.g. ISBI_TRAIN_ARGS='--batch 4'.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=300
if [ "${1:-}" = "--seconds" ]; then seconds=$2; shift 2; fi
archs=("$@")
[ ${#archs[@]} -gt 0 ] || archs=(encdec unet unet-res fcn8s deeplabv3plus)

data=${ISBI_DIR:-../shared/datasets/isbi2012-membrane}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{train,val}/{images,masks}
for i in $(seq 0 29); do
  split=train; [ "$i" -ge 20 ] && split=val
  ln -s "$(realpath "$data/image/$i.png")" "$work/$split/images/$i.png"
  ln -s "$(realpath "$data/label/$i.png")" "$work/$split/masks/$i.png"
done

# One compare run: every architecture on the same split, seed and budget, then the table
# of validation metrics on 20-29 (the best checkpoint's, as `skipseg eval` would measure).
archs_csv=$(IFS=,; echo "${archs[*]}")
# shellcheck disable=SC2086  # ISBI_TRAIN_ARGS is a list of flags
node bin/skipseg.mjs compare --images "$work/train/images" --masks "$work/train/masks" \
  --val-images "$work/val/images" --val-masks "$work/val/masks" \
  --archs "$archs_csv" --seconds "$seconds" --out "$work/compare" ${ISBI_TRAIN_ARGS:-}
