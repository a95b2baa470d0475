#!/usr/bin/env bash
# Downloads the Caltech-256 archive, verifies its MD5, checks its entries and extracts it into
# data/caltech256 or TARGET_DIR. Run with --help for the options.
# lib/fetch-archive.sh implements the steps.
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/fetch-archive.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/fetch-archive.sh"

fetch_archive_dataset "Caltech-256" caltech256 REPROKIT_CALTECH256_URL \
  "https://data.caltech.edu/records/nyy15-4j048/files/" \
  "about 1.2 GB for the archive and about as much again once extracted (approximate), so up to about
2.4 GB while extracting and about 1.2 GB afterwards unless --keep-archives is given." \
  "  TARGET_DIR/256_ObjectCategories/001.ak47/001_0001.jpg ...
  TARGET_DIR/256_ObjectCategories/NNN.name/NNN_XXXX.jpg (257 folders: 256 categories and 257.clutter,
  30,607 images in all)"

# The MD5 that torchvision's datasets/caltech.py checks for this archive.
fetch_archive_add 256_ObjectCategories.tar 67b4f42ca05d46448c6bb8ecd2220f6d

fetch_archive_main "$@"
