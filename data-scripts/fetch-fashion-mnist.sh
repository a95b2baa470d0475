#!/usr/bin/env bash
# Downloads the four official Fashion-MNIST gzip files (60,000 training and 10,000 test images) and verifies
# each file's MD5 before moving it into place, so a file under its final name has always passed the check.
#
# Usage: data-scripts/fetch-fashion-mnist.sh [TARGET_DIR]
#   TARGET_DIR              folder to download into (default: data/fashion-mnist-full under the repository)
#   FASHION_MNIST_BASE_URL  base URL of the four files (default: http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/)
#
# Running it again skips files that already pass the check and resumes partial downloads (*.part).
# A file that fails the check is kept beside the others with the suffix .bad, and the script exits with 1.
set -euo pipefail

readonly default_base_url="http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
readonly debian_dir="/usr/share/datasets/fashion-mnist"

# Each entry: file name, MD5 of the official gzip file (the "Get the Data" table in the README of
# github.com/zalandoresearch/fashion-mnist), MD5 of the decompressed content (`zcat F | md5sum` on Debian's
# dataset-fashion-mnist files). Either MD5 passes, because mirrors and Debian may compress the files again,
# which changes the gzip bytes but not the content.
readonly files=(
  "train-images-idx3-ubyte.gz 8d4fb7e6c68d591d4c3dfef9ec88bf0d f4a8712d7a061bf5bd6d2ca38dc4d50a"
  "train-labels-idx1-ubyte.gz 25c81989df183df01b3e8a0aad5dffbe 9018921c3c673c538a1fc5bad174d6f9"
  "t10k-images-idx3-ubyte.gz bef4ecab320f06d8554ea6380940ec79 8181f5470baa50b63fa0f6fddb340f0a"
  "t10k-labels-idx1-ubyte.gz bb300cfdad3c16e7a12a480ee83cd310 15d484375f8d13e6eb1aabb0c3f46965"
)

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

if [[ $# -gt 1 ]]; then
  echo "error: expected at most one argument (the target folder), got $#." >&2
  usage >&2
  exit 2
fi
if [[ ${1:-} == "-h" || ${1:-} == "--help" ]]; then
  usage
  exit 0
fi

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(dirname "$script_dir")"
if [[ ${1:-} == -* ]]; then
  echo "error: unknown option '$1'. The only argument is the target folder; see --help." >&2
  exit 2
fi
target_dir="${1:-$repo_root/data/fashion-mnist-full}"
base_url="${FASHION_MNIST_BASE_URL:-$default_base_url}"
base_url="${base_url%/}/"

if command -v md5sum >/dev/null 2>&1; then
  md5_of_stdin() { md5sum | cut -d' ' -f1; }
elif command -v md5 >/dev/null 2>&1; then
  md5_of_stdin() { md5 -q; }
else
  echo "error: neither md5sum nor md5 was found. Install coreutils and run the script again." >&2
  exit 2
fi
for tool in curl gzip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "error: $tool was not found. Install it and run the script again." >&2
    exit 2
  fi
done

# Succeeds when either MD5 matches. Sets found_md5 and found_content for the error message.
verify() {
  local path=$1 gzip_md5=$2 content_md5=$3 content_md5_found
  found_md5="$(md5_of_stdin <"$path")"
  found_content="content that gzip cannot decompress"
  if [[ $found_md5 == "$gzip_md5" ]]; then
    return 0
  fi
  # The `if` keeps a corrupt gzip stream from ending the script under `set -e` and `pipefail`.
  if content_md5_found="$(gzip -dc <"$path" 2>/dev/null | md5_of_stdin)"; then
    found_content="decompressed content MD5 $content_md5_found"
    [[ $content_md5_found == "$content_md5" ]]
  else
    return 1
  fi
}

if [[ -t 2 ]]; then
  curl_progress=(--progress-bar)
else
  curl_progress=(--silent --show-error)
fi

# Resumes into $2 when it exists. A server that ignores Range requests replies to a resume with the whole file
# (HTTP 200), which curl reports as exit code 33, so the download then starts over.
download() {
  local url=$1 output=$2 status=0
  curl --fail --location --continue-at - --retry 3 --connect-timeout 30 "${curl_progress[@]}" \
    --output "$output" "$url" || status=$?
  if [[ $status -eq 33 ]]; then
    echo "  the server does not support resuming, so the download starts over" >&2
    rm -f "$output"
    status=0
    curl --fail --location --retry 3 --connect-timeout 30 "${curl_progress[@]}" \
      --output "$output" "$url" || status=$?
  fi
  return "$status"
}

debian_complete=true
for entry in "${files[@]}"; do
  read -r name _ <<<"$entry"
  [[ -f $debian_dir/$name ]] || debian_complete=false
done
if $debian_complete; then
  echo "Note: Debian's dataset-fashion-mnist package is installed, and $debian_dir contains all four files."
  echo "      ReproKit uses them when no downloaded copy exists, so this download is optional."
fi

mkdir -p "$target_dir"
echo "Fetching Fashion-MNIST into $target_dir from $base_url"

downloaded=0
skipped=0
failures=()
for entry in "${files[@]}"; do
  read -r name gzip_md5 content_md5 <<<"$entry"
  final="$target_dir/$name"
  partial="$final.part"
  url="$base_url$name"

  if [[ -f $final ]]; then
    if verify "$final" "$gzip_md5" "$content_md5"; then
      echo "$name: already present and verified, skipped"
      skipped=$((skipped + 1))
      continue
    fi
    mv -f "$final" "$final.bad"
    echo "$name: the existing file fails the MD5 check, so it was moved to $name.bad and is downloaded again" >&2
  fi

  # A previous run may have finished downloading but stopped before moving the file into place.
  if ! [[ -f $partial ]] || ! verify "$partial" "$gzip_md5" "$content_md5"; then
    echo "$name: downloading $url"
    if ! download "$url" "$partial"; then
      retry_hint="run the script again"
      [[ -s $partial ]] && retry_hint="run the script again to resume from $partial"
      failures+=("$name: the download from $url failed. Check the URL and the network, then $retry_hint.")
      continue
    fi
  fi

  if verify "$partial" "$gzip_md5" "$content_md5"; then
    mv -f "$partial" "$final"
    echo "$name: downloaded and verified ($(wc -c <"$final" | tr -d ' ') bytes)"
    downloaded=$((downloaded + 1))
  else
    mv -f "$partial" "$final.bad"
    failures+=("$name: MD5 mismatch. Expected file MD5 $gzip_md5 (the official gzip file) or decompressed content MD5 $content_md5, found file MD5 $found_md5 and $found_content. The file was kept as $final.bad. Run the script again; if the mismatch repeats, the server at $base_url serves a different file, so set FASHION_MNIST_BASE_URL to another mirror.")
  fi
done

echo "Done: $downloaded downloaded, $skipped already present. $target_dir uses $(du -sh "$target_dir" | cut -f1) on disk."
if [[ ${#failures[@]} -gt 0 ]]; then
  for failure in "${failures[@]}"; do
    echo "error: $failure" >&2
  done
  exit 1
fi
