#!/usr/bin/env bash
# Downloads the PASCAL VOC 2012 trainval archive, verifies its MD5, checks its entries and extracts it into
# data/voc2012 or TARGET_DIR. Run with --help for the options.
# lib/fetch-archive.sh implements the steps.
set -euo pipefail

# shellcheck source=SCRIPTDIR/lib/fetch-archive.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/fetch-archive.sh"

fetch_archive_dataset "PASCAL VOC 2012" voc2012 REPROKIT_VOC2012_URL \
  "http://host.robots.ox.ac.uk/pascal/VOC/voc2012/" \
  "about 2 GB for the archive and about as much again once extracted (approximate), so up to about 4 GB
while extracting and about 2 GB afterwards unless --keep-archives is given." \
  "  TARGET_DIR/VOCdevkit/VOC2012/Annotations/2007_000027.xml ...
  TARGET_DIR/VOCdevkit/VOC2012/ImageSets/{Action,Layout,Main,Segmentation}/*.txt
  TARGET_DIR/VOCdevkit/VOC2012/JPEGImages/2007_000027.jpg ... (17,125 images)
  TARGET_DIR/VOCdevkit/VOC2012/{SegmentationClass,SegmentationObject}/*.png"

# The MD5 that torchvision's datasets/voc.py checks for this archive (year "2012").
fetch_archive_add VOCtrainval_11-May-2012.tar 6cd6e144f989b92b3379bac3b3de84fd

fetch_archive_main "$@"
