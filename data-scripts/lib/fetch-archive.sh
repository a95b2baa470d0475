# shellcheck shell=bash
# Shared steps of the archive fetch scripts (fetch-voc2007.sh, fetch-voc2012.sh, fetch-caltech256.sh):
# argument parsing, resumable download, MD5 check, archive entry check, extraction through a temporary
# folder, and the closing disk report. FetchArchive.psm1 is the PowerShell twin, so keep the two in step.
#
# A dataset script sources this file, names its data set with fetch_archive_dataset, adds each archive with
# fetch_archive_add, and then calls fetch_archive_main "$@". Needs bash 3.2 or later, curl, awk, GNU tar or
# bsdtar, and md5sum (or md5 on macOS).
#
# An archive counts as fetched when TARGET_DIR/.reprokit-fetched-ARCHIVE exists, records the expected MD5,
# and every top-level folder or file it lists still exists. The marker is written only after the extracted
# files are in place, so an interrupted run is never mistaken for a finished one.

dataset_title=""
dataset_slug=""
url_variable=""
default_base_url=""
disk_note=""
layout_note=""
archive_names=()
archive_md5s=()

# Sets what the help text and the default target folder need: TITLE SLUG URL_VARIABLE DEFAULT_BASE_URL
# DISK_NOTE LAYOUT_NOTE. SLUG is the folder name under data/.
fetch_archive_dataset() {
  dataset_title=$1
  dataset_slug=$2
  url_variable=$3
  default_base_url=$4
  disk_note=$5
  layout_note=$6
}

# Adds an archive: its file name and its published MD5.
fetch_archive_add() {
  archive_names+=("$1")
  archive_md5s+=("$2")
}

usage() {
  local script_name archive_list
  script_name=$(basename "$0")
  archive_list=$(printf '%s, ' "${archive_names[@]}")
  archive_list=${archive_list%, }
  cat <<EOF
Usage: $script_name [--keep-archives] [--md5 ARCHIVE=HEX]... [TARGET_DIR]

Downloads $dataset_title ($archive_list), verifies each archive's MD5, checks that no
entry can be written outside TARGET_DIR, and extracts the archives into TARGET_DIR.

  TARGET_DIR           folder to extract into (default: data/$dataset_slug under the repository)
  --keep-archives      keep each verified .tar in TARGET_DIR after extraction. By default it is deleted
                       to save disk, and a later run does not need it
  --md5 ARCHIVE=HEX    expect MD5 HEX for ARCHIVE instead of the published value. A testing and mirror aid
                       for archives that a mirror repackages. Repeat it for each archive
  -h, --help           print this help and exit

Environment:
  $url_variable
                       base URL that the archive names are appended to
                       (default: $default_base_url)

Disk: $disk_note

Layout after extraction:
$layout_note

A second run checks the marker TARGET_DIR/.reprokit-fetched-ARCHIVE and downloads nothing when it matches.
A partial download (ARCHIVE.part) is resumed. An archive that fails the MD5 check is kept as ARCHIVE.bad,
and nothing is extracted.
Exit status: 0 when every archive is in place, 1 when a download, MD5 check, entry check or extraction
failed, 2 for invalid arguments or a missing tool.
EOF
}

fail_usage() {
  echo "error: $1" >&2
  echo "Run '$(basename "$0") --help' for the options." >&2
  exit 2
}

# Parses "ARCHIVE=HEX" into md5_overrides at the archive's index.
set_md5_override() {
  local value=$1 name hex index
  if [[ $value != *=* ]]; then
    fail_usage "--md5 expects ARCHIVE=HEX, got '$value'. Example: --md5 ${archive_names[0]}=${archive_md5s[0]}"
  fi

  name=${value%%=*}
  hex=$(printf '%s' "${value#*=}" | tr 'A-F' 'a-f')
  if ! [[ $hex =~ ^[0-9a-f]{32}$ ]]; then
    fail_usage "--md5 $value: '${value#*=}' is not an MD5 (32 hexadecimal digits)."
  fi

  for index in "${!archive_names[@]}"; do
    if [[ ${archive_names[$index]} == "$name" ]]; then
      md5_overrides[index]=$hex
      return 0
    fi
  done
  fail_usage "--md5 $value: '$name' is not an archive of this script. Expected one of: ${archive_names[*]}."
}

parse_arguments() {
  local target_given=false
  keep_archives=false
  target_dir=""
  md5_overrides=()

  while [[ $# -gt 0 ]]; do
    case $1 in
      -h | --help)
        usage
        exit 0
        ;;
      --keep-archives)
        keep_archives=true
        ;;
      --md5)
        [[ $# -ge 2 ]] || fail_usage "--md5 needs a value of the form ARCHIVE=HEX."
        set_md5_override "$2"
        shift
        ;;
      --md5=*)
        set_md5_override "${1#--md5=}"
        ;;
      --)
        shift
        [[ $# -le 1 ]] || fail_usage "expected at most one target folder after --, got $#: $*"
        if [[ $# -eq 1 ]]; then
          $target_given && fail_usage "expected one target folder, got '$target_dir' and '$1'."
          target_dir=$1
        fi
        return 0
        ;;
      -?*)
        fail_usage "unknown option '$1'."
        ;;
      *)
        $target_given && fail_usage "expected one target folder, got '$target_dir' and '$1'."
        [[ -n $1 ]] || fail_usage "the target folder argument is empty. Pass a folder, or leave it out for the default."
        target_dir=$1
        target_given=true
        ;;
    esac
    shift
  done
}

# Finds the tools and sets tar_command and tar_listing_fields, the number of columns before the entry name
# in `tar -tv` output. GNU tar prints five: mode, owner/group, size, date and time. bsdtar prints eight:
# mode, link count, owner, group, size and a date of three columns.
check_tools() {
  local candidate version
  if ! command -v curl >/dev/null 2>&1; then
    echo "error: curl was not found. Install it and run the script again." >&2
    exit 2
  fi
  if ! command -v awk >/dev/null 2>&1; then
    echo "error: awk was not found. Install it (mawk, gawk or another POSIX awk) and run the script again." >&2
    exit 2
  fi

  if command -v md5sum >/dev/null 2>&1; then
    md5_of_file() { md5sum <"$1" | cut -d' ' -f1; }
  elif command -v md5 >/dev/null 2>&1; then
    md5_of_file() { md5 -q "$1"; }
  else
    echo "error: neither md5sum nor md5 was found. Install coreutils and run the script again." >&2
    exit 2
  fi

  tar_command=""
  for candidate in tar gtar bsdtar; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    version=$("$candidate" --version 2>/dev/null) || continue
    case $version in
      *"GNU tar"*)
        tar_command=$candidate
        tar_listing_fields=5
        tar_list_options=(--numeric-owner --absolute-names)
        break
        ;;
      *bsdtar*)
        tar_command=$candidate
        tar_listing_fields=8
        tar_list_options=()
        break
        ;;
    esac
  done
  if [[ -z $tar_command ]]; then
    echo "error: neither GNU tar nor bsdtar was found, and the entry check reads the listing format of one of them. Install GNU tar (on macOS the system tar is bsdtar) and run the script again." >&2
    exit 2
  fi
}

file_size() {
  wc -c <"$1" | tr -d ' '
}

# Prints BYTES as "439.2 MiB (460032000 bytes)".
format_size() {
  awk -v bytes="$1" 'BEGIN {
    split("B KiB MiB GiB TiB", units, " ")
    value = bytes
    unit = 1
    while (value >= 1024 && unit < 5) { value /= 1024; unit++ }
    if (unit == 1) printf "%s bytes", bytes
    else printf "%.1f %s (%s bytes)", value, units[unit], bytes
  }'
}

marker_path() {
  printf '%s/.reprokit-fetched-%s' "$target_dir" "$1"
}

# Succeeds when the marker of archive INDEX records the expected MD5 and all its top-level entries exist.
# Otherwise sets marker_problem to the reason, or to "" when there is no marker. Sets marker_size.
marker_matches() {
  local index=$1 marker line key value recorded_md5=""
  marker=$(marker_path "${archive_names[$index]}")
  marker_problem=""
  marker_size=""
  [[ -f $marker ]] || return 1

  while IFS= read -r line || [[ -n $line ]]; do
    key=${line%% *}
    value=${line#* }
    case $key in
      md5) recorded_md5=$value ;;
      size) marker_size=$value ;;
      entry)
        if ! [[ -e $target_dir/$value || -L $target_dir/$value ]]; then
          marker_problem="its marker exists but $target_dir/$value is missing"
          return 1
        fi
        ;;
    esac
  done <"$marker"

  if [[ $recorded_md5 != "${expected_md5s[$index]}" ]]; then
    marker_problem="its marker records MD5 '$recorded_md5', not the expected ${expected_md5s[$index]}"
    return 1
  fi
}

if [[ -t 2 ]]; then
  curl_progress=(--progress-bar)
else
  curl_progress=(--silent --show-error)
fi

# Downloads URL into OUTPUT, continuing OUTPUT when it exists. Sets download_restarted when the download had
# to start over. That happens when the server ignores the Range request (curl exit 33 after an HTTP 200),
# or responds with 416 because OUTPUT is already at least as long as the file but failed the MD5 check.
download() {
  local url=$1 output=$2 status=0 http_code=""
  download_restarted=false
  http_code=$(curl --fail --location --continue-at - --retry 3 --connect-timeout 30 "${curl_progress[@]}" \
    --write-out '%{http_code}' --output "$output" "$url") || status=$?

  if [[ $status -eq 33 || ($status -eq 22 && $http_code == 416) ]]; then
    if [[ $status -eq 33 ]]; then
      echo "  the server does not support resuming, so the download starts over" >&2
    else
      echo "  $output is at least as long as the file but fails the MD5 check, so the download starts over" >&2
    fi
    download_restarted=true
    rm -f -- "$output"
    status=0
    curl --fail --location --retry 3 --connect-timeout 30 "${curl_progress[@]}" \
      --output "$output" "$url" || status=$?
  fi
  return "$status"
}

# Makes TARGET_DIR/ARCHIVE a verified copy of archive INDEX: reuses a verified copy, or downloads into
# ARCHIVE.part, resuming it when present, and moves it into place only after the MD5 matches.
obtain_archive() {
  local index=$1 name expected archive partial url found_md5 resume_from size action
  name=${archive_names[$index]}
  expected=${expected_md5s[$index]}
  archive=$target_dir/$name
  partial=$archive.part
  url=$base_url$name

  if [[ -f $archive ]]; then
    found_md5=$(md5_of_file "$archive") || return 1
    if [[ $found_md5 == "$expected" ]]; then
      archive_sizes[index]=$(file_size "$archive")
      echo "$name: reused the copy downloaded by an earlier run, $(format_size "${archive_sizes[$index]}"), MD5 verified"
      reused_count=$((reused_count + 1))
      return 0
    fi
    mv -f -- "$archive" "$archive.bad" || return 1
    echo "$name: the existing copy fails the MD5 check (expected $expected, found $found_md5), so it was moved to $name.bad and is downloaded again" >&2
  fi

  action=downloaded
  if [[ -s $partial ]]; then
    # A previous run may have finished the download but stopped before the MD5 check.
    found_md5=$(md5_of_file "$partial") || return 1
    if [[ $found_md5 == "$expected" ]]; then
      action=reused
      echo "$name: $partial from an earlier run is complete"
    else
      resume_from=$(file_size "$partial")
      action=resumed
      echo "$name: resuming $url after $(format_size "$resume_from") downloaded earlier"
    fi
  else
    echo "$name: downloading $url"
  fi

  if [[ $action != reused ]]; then
    if ! download "$url" "$partial"; then
      local retry_hint="run the script again"
      [[ -s $partial ]] && retry_hint="run the script again to resume from $partial"
      echo "error: $name: the download from $url failed. Check the URL, $url_variable and the network, then $retry_hint." >&2
      return 1
    fi
    if $download_restarted; then
      action=downloaded
    fi
  fi

  found_md5=$(md5_of_file "$partial") || return 1
  size=$(file_size "$partial")
  if [[ $found_md5 != "$expected" ]]; then
    mv -f -- "$partial" "$archive.bad" || return 1
    echo "error: $name: MD5 mismatch, so nothing was extracted. Expected $expected, found $found_md5. The download, $(format_size "$size"), is kept as $archive.bad for inspection. Delete it and run the script again. If the mismatch repeats, the server at $base_url serves a different file: set $url_variable to another mirror, or pass --md5 $name=HEX if the mirror is known to repackage the archive." >&2
    return 1
  fi

  mv -f -- "$partial" "$archive" || return 1
  archive_sizes[index]=$size
  echo "$name: $action, $(format_size "$size"), MD5 verified"
  case $action in
    downloaded) downloaded_count=$((downloaded_count + 1)) ;;
    resumed) resumed_count=$((resumed_count + 1)) ;;
    reused) reused_count=$((reused_count + 1)) ;;
  esac
}

# Reads `tar -tv` output and prints "ok<TAB>COUNT", or "reject<TAB>ENTRY<TAB>REASON" for the first entry
# that could be written outside the target folder. Rejected are an absolute path, a ".." component, a
# device or FIFO, a symbolic link whose target is absolute or climbs above the archive root, and a hard link
# whose target is absolute or has "..". So is any entry below a symbolic link of the archive, because tar
# would write through the link. Names are matched as tar prints them. GNU tar and bsdtar escape only
# unprintable characters and backslashes there, so "/" and ".." appear as they are in the archive.
# shellcheck disable=SC2016
readonly entry_check_program='
function reject(entry, reason) {
  printf "reject\t%s\t%s\n", entry, reason
  rejected = 1
  exit 1
}

# Splits path into its components in parts, skipping empty and "." ones. Sets has_parent when one is "..".
function split_path(path, parts,    raw, count, i, component_count) {
  count = split(path, raw, "/")
  component_count = 0
  has_parent = 0
  for (i = 1; i <= count; i++) {
    if (raw[i] == "" || raw[i] == ".") continue
    if (raw[i] == "..") has_parent = 1
    parts[++component_count] = raw[i]
  }
  return component_count
}

function join_path(parts, count,    i, joined) {
  joined = parts[1]
  for (i = 2; i <= count; i++) joined = joined "/" parts[i]
  return joined
}

BEGIN {
  prefix = "^[^ ]+"
  for (i = 1; i < fields; i++) prefix = prefix " +[^ ]+"
  prefix = prefix " "
  entry_count = 0
  path_count = 0
}

{
  if (!match($0, prefix)) reject($0, "is a listing line in a format this script cannot read")
  type = substr($0, 1, 1)
  rest = substr($0, RSTART + RLENGTH)
  name = rest
  target = ""
  entry_count++

  if (type == "l" || type == "h") {
    separator = (type == "l") ? " -> " : " link to "
    at = index(rest, separator)
    if (at == 0 || index(substr(rest, at + length(separator)), separator) > 0)
      reject(rest, "is a link whose name and target cannot be told apart in the tar listing")
    name = substr(rest, 1, at - 1)
    target = substr(rest, at + length(separator))
  } else if (type != "-" && type != "d") {
    reject(rest, "is a device, FIFO or other special file")
  }

  if (substr(name, 1, 1) == "/") reject(name, "has an absolute path")
  depth = split_path(name, parts)
  if (has_parent) reject(name, "has a \"..\" path component")
  if (depth == 0) next
  path = join_path(parts, depth)
  paths[++path_count] = path

  if (type == "l") {
    if (target == "") reject(name, "is a symbolic link with an empty target")
    if (substr(target, 1, 1) == "/") reject(name, "is a symbolic link to the absolute path " target)
    # The link resolves from its own folder, one level above the link.
    level = depth - 1
    count = split(target, raw, "/")
    for (i = 1; i <= count; i++) {
      if (raw[i] == "" || raw[i] == ".") continue
      if (raw[i] == "..") level--
      else level++
      if (level < 0) reject(name, "is a symbolic link to " target ", which leaves the target folder")
    }
    symlinks[path] = 1
  }

  if (type == "h") {
    # Hard link targets are archive paths, resolved from the archive root.
    if (substr(target, 1, 1) == "/") reject(name, "is a hard link to the absolute path " target)
    target_depth = split_path(target, target_parts)
    if (has_parent) reject(name, "is a hard link to " target ", which has a \"..\" path component")
    if (target_depth == 0) reject(name, "is a hard link to the archive root")
    paths[++path_count] = join_path(target_parts, target_depth)
  }
}

END {
  if (rejected) exit 1
  for (p = 1; p <= path_count; p++) {
    count = split(paths[p], parts, "/")
    above = parts[1]
    for (i = 1; i < count; i++) {
      if (above in symlinks) reject(paths[p], "lies below the symbolic link " above " of the same archive, through which tar would write")
      above = above "/" parts[i + 1]
    }
  }
  printf "ok\t%d\n", entry_count
}
'

# Lists archive INDEX and rejects it when an entry could be written outside the target folder.
check_entries() {
  local index=$1 name archive verdict status=0 entry reason tab=$'\t'
  name=${archive_names[$index]}
  archive=$target_dir/$name

  verdict=$(LC_ALL=C "$tar_command" "${tar_list_options[@]+"${tar_list_options[@]}"}" -tvf "$archive" |
    awk -v fields="$tar_listing_fields" "$entry_check_program") || status=$?

  case $verdict in
    "ok$tab"*)
      if [[ $status -ne 0 ]]; then
        echo "error: $name: tar could not list $archive (exit status $status, see its message above), so nothing was extracted. Delete $archive and run the script again." >&2
        return 1
      fi
      echo "$name: checked the archive's entries (${verdict#ok"$tab"}), none leaves the target folder"
      ;;
    "reject$tab"*)
      verdict=${verdict#reject"$tab"}
      entry=${verdict%%"$tab"*}
      reason=${verdict#*"$tab"}
      echo "error: $name: the entry '$entry' $reason, so nothing was extracted. A genuine $dataset_title archive has no such entry: delete $archive and check the server at $base_url ($url_variable) and any --md5 value." >&2
      return 1
      ;;
    *)
      echo "error: $name: tar could not list $archive (see its message above), so nothing was extracted. Delete $archive and run the script again." >&2
      return 1
      ;;
  esac
}

# Moves the content of SOURCE into DESTINATION, merging folders present in both, because archives of one
# data set may share a top folder (VOC 2007's trainval and test archives both fill VOCdevkit/VOC2007).
# A file already in DESTINATION is replaced. A file where a folder is expected, or the reverse, is an
# error.
move_tree() {
  local source=$1 destination=$2 entry name start movable=()
  while IFS= read -r -d '' entry; do
    name=${entry##*/}
    if [[ ! -e $destination/$name && ! -L $destination/$name ]]; then
      movable+=("$entry")
    elif [[ -d $entry && ! -L $entry && -d $destination/$name && ! -L $destination/$name ]]; then
      move_tree "$entry" "$destination/$name" || return 1
      rmdir -- "$entry" || return 1
    elif [[ -d $entry && ! -L $entry ]] || [[ -d $destination/$name && ! -L $destination/$name ]]; then
      echo "error: cannot move $entry into place, because $destination/$name exists and only one of them is a folder. Move $destination/$name away and run the script again." >&2
      return 1
    else
      mv -f -- "$entry" "$destination/$name" || return 1
    fi
  done < <(find "$source" -mindepth 1 -maxdepth 1 -print0)

  # Batches keep each mv command line far below the argument-length limit (1 MiB on macOS).
  start=0
  while [[ $start -lt ${#movable[@]} ]]; do
    mv -f -- "${movable[@]:start:500}" "$destination/" || return 1
    start=$((start + 500))
  done
}

# Extracts archive INDEX into a temporary folder inside the target, moves the result into place and then
# writes the marker.
extract_archive() {
  local index=$1 name archive marker entry file_count extracted_size entries=()
  name=${archive_names[$index]}
  archive=$target_dir/$name
  marker=$(marker_path "$name")

  extract_dir=$(mktemp -d "$target_dir/.reprokit-extract-XXXXXX") || return 1
  echo "$name: extracting into $target_dir"
  if ! "$tar_command" -x -f "$archive" -C "$extract_dir" --no-same-owner; then
    echo "error: $name: tar could not extract $archive (see its message above). Nothing was moved into $target_dir. Delete $archive and run the script again." >&2
    return 1
  fi

  file_count=$(find "$extract_dir" -type f | wc -l | tr -d ' ')
  extracted_size=$(du -sh "$extract_dir" | cut -f1)
  while IFS= read -r -d '' entry; do
    entries+=("${entry##*/}")
  done < <(find "$extract_dir" -mindepth 1 -maxdepth 1 -print0)

  move_tree "$extract_dir" "$target_dir" || return 1
  rmdir -- "$extract_dir" || return 1
  extract_dir=""

  {
    echo "md5 ${expected_md5s[$index]}"
    echo "size ${archive_sizes[$index]}"
    for entry in "${entries[@]+"${entries[@]}"}"; do
      echo "entry $entry"
    done
  } >"$marker.tmp" || return 1
  mv -f -- "$marker.tmp" "$marker" || return 1

  echo "$name: extracted $file_count files, $extracted_size on disk: ${entries[*]+"${entries[*]}"}"
  extracted_count=$((extracted_count + 1))

  if $keep_archives; then
    archive_states[index]="kept at $archive"
  else
    rm -f -- "$archive" || return 1
    archive_states[index]="deleted after extraction (--keep-archives keeps it)"
  fi
}

remove_extract_dir() {
  if [[ -n ${extract_dir:-} ]]; then
    rm -rf -- "$extract_dir"
  fi
}

print_report() {
  local index
  echo "Done: $downloaded_count downloaded, $resumed_count resumed, $reused_count reused from an earlier run, $extracted_count extracted, $present_count already present."
  echo "Archives:"
  for index in "${!archive_names[@]}"; do
    if [[ -n ${archive_sizes[$index]:-} ]]; then
      echo "  ${archive_names[$index]}: $(format_size "${archive_sizes[$index]}"), ${archive_states[$index]}"
    else
      echo "  ${archive_names[$index]}: ${archive_states[$index]}"
    fi
  done
  echo "$target_dir uses $(du -sh "$target_dir" | cut -f1) on disk (du -sh)."
}

fetch_archive_main() {
  local index repo_root failed=0 pending=()
  parse_arguments "$@"
  check_tools

  repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  target_dir=${target_dir:-$repo_root/data/$dataset_slug}
  if [[ -e $target_dir && ! -d $target_dir ]]; then
    echo "error: the target $target_dir exists but is not a folder. Pass another TARGET_DIR." >&2
    exit 2
  fi
  mkdir -p -- "$target_dir"
  target_dir=$(cd -- "$target_dir" && pwd)
  base_url=${!url_variable:-$default_base_url}
  base_url="${base_url%/}/"

  expected_md5s=()
  archive_sizes=()
  archive_states=()
  for index in "${!archive_names[@]}"; do
    expected_md5s[index]=${md5_overrides[$index]:-${archive_md5s[$index]}}
    archive_states[index]="not extracted"
  done
  downloaded_count=0
  resumed_count=0
  reused_count=0
  extracted_count=0
  present_count=0

  extract_dir=""
  trap remove_extract_dir EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  # Temporary folders of an interrupted run hold incomplete files.
  rm -rf -- "$target_dir"/.reprokit-extract-*

  echo "Fetching $dataset_title into $target_dir from $base_url"
  for index in "${!archive_names[@]}"; do
    if marker_matches "$index"; then
      archive_sizes[index]=$marker_size
      archive_states[index]="already present"
      echo "${archive_names[$index]}: already present (marker $(marker_path "${archive_names[$index]}") matches MD5 ${expected_md5s[$index]}), skipped"
      present_count=$((present_count + 1))
    else
      if [[ -n $marker_problem ]]; then
        echo "${archive_names[$index]}: $marker_problem, so the archive is fetched again"
      fi
      pending+=("$index")
    fi
  done

  # Every pending archive is downloaded and checked before any is extracted, so a bad archive leaves the
  # target folder as it was.
  for index in "${pending[@]+"${pending[@]}"}"; do
    if ! obtain_archive "$index" || ! check_entries "$index"; then
      failed=$((failed + 1))
    fi
  done
  if [[ $failed -gt 0 ]]; then
    print_report
    echo "error: $failed of ${#pending[@]} archives failed the download, MD5 or entry check, so nothing was extracted. Fix the errors above and run the script again. Verified archives stay in $target_dir and are not downloaded again." >&2
    exit 1
  fi

  for index in "${pending[@]+"${pending[@]}"}"; do
    if ! extract_archive "$index"; then
      print_report
      exit 1
    fi
  done
  print_report
}
