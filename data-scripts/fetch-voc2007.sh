#!/usr/bin/env bash
# Downloads PASCAL VOC 2007 (trainval and test archives), verifies their MD5s, checks their entries and
# extracts them into data/voc2007 or TARGET_DIR. Run with --help for the options.
# lib/fetch-archive.sh implements the steps.
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/fetch-archive.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/fetch-archive.sh"

fetch_archive_dataset "PASCAL VOC 2007" voc2007 REPROKIT_VOC2007_URL \
  "http://host.robots.ox.ac.uk/pascal/VOC/voc2007/" \
  "about 870 MB of archives and about as much again once extracted (approximate), so up to about 1.8 GB
while extracting and about 0.9 GB afterwards unless --keep-archives is given." \
  "  TARGET_DIR/VOCdevkit/VOC2007/Annotations/000001.xml ...
  TARGET_DIR/VOCdevkit/VOC2007/ImageSets/{Layout,Main,Segmentation}/*.txt
  TARGET_DIR/VOCdevkit/VOC2007/JPEGImages/000001.jpg ... (9,963 images: 5,011 trainval and 4,952 test)
  TARGET_DIR/VOCdevkit/VOC2007/{SegmentationClass,SegmentationObject}/*.png"

# The MD5s that torchvision's datasets/voc.py checks for these archives (years "2007" and "2007-test").
fetch_archive_add VOCtrainval_06-Nov-2007.tar c52e279531787c972589f7e41ab4ae64
fetch_archive_add VOCtest_06-Nov-2007.tar b6e924de25625d8de591ea690078ad9f

fetch_archive_main "$@"
