#!/usr/bin/env bash
# Writes the sample's input images into images/ (not committed: they are generated the same way on every run).
# ImageMagick draws them from seeded noise and gradients and encodes them with libjpeg and libpng, as a camera
# or an image editor would: a 1920x1080 4:2:0 JPEG (the benchmark's photo too), a progressive JPEG, a
# greyscale JPEG of odd size, a PNG with alpha, a palette PNG, a 16-bit greyscale PNG, a flat-colour PNG and a
# 1x1 PNG. The same ImageMagick version writes the same bytes; the Node check and the .NET sample only need
# each run to use the same files, so another version would do as well.
#
#   images.sh [DIR]   write the images into DIR (default: images/ beside this script)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/../.." && pwd)
. "$repo_root/.ci/wasm-build.sh"
dir=${1:-$here/images}

# The package's own binary, not whatever else PATH may call convert.
convert=/usr/bin/convert
if [ ! -x "$convert" ]; then
  apt_install ImageMagick imagemagick
fi

mkdir -p "$dir"
im() { "$convert" "$@"; }
# No timestamps or comments in the files, so one ImageMagick version writes the same bytes each run.
strip=(-strip -define png:exclude-chunks=date,time)

im -size 1920x1080 -seed 7 plasma:fractal -blur 0x1 -attenuate 0.25 +noise Gaussian \
   -sampling-factor 4:2:0 -quality 90 "${strip[@]}" "$dir/photo.jpg"
im -size 800x600 -seed 11 plasma:fractal -attenuate 0.2 +noise Gaussian \
   -interlace Plane -quality 85 "${strip[@]}" "$dir/progressive.jpg"
im -size 333x250 -seed 13 plasma:fractal -colorspace Gray -quality 80 "${strip[@]}" "$dir/gray.jpg"
im -size 400x300 -seed 17 plasma:fractal \( -size 400x300 gradient:white-black -rotate 90 -resize 400x300! \) \
   -alpha off -compose CopyOpacity -composite "${strip[@]}" "PNG32:$dir/rgba.png"
im -size 257x129 -seed 19 plasma:fractal -colors 64 "${strip[@]}" "PNG8:$dir/palette.png"
im -size 300x200 gradient:black-white -colorspace Gray -depth 16 -define png:bit-depth=16 -define png:color-type=0 \
   "${strip[@]}" "$dir/gray16.png"
im -size 64x64 xc:'rgb(200,120,40)' "${strip[@]}" "PNG24:$dir/flat.png"
im -size 1x1 xc:'rgba(10,20,30,0.5)' "${strip[@]}" "PNG32:$dir/tiny.png"

echo "images.sh: wrote $(ls "$dir" | wc -l) images into ${dir#"$repo_root"/}" >&2
