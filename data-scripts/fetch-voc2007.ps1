#Requires -Version 7.4
# Downloads PASCAL VOC 2007 (trainval and test archives), verifies their MD5s, checks their entries and
# extracts them into data/voc2007 or TARGET_DIR. The PowerShell twin of fetch-voc2007.sh, with the same
# options: run with --help. lib/FetchArchive.psm1 holds the steps.

Import-Module (Join-Path $PSScriptRoot 'lib' 'FetchArchive.psm1') -Force

$dataset = @{
    Title          = 'PASCAL VOC 2007'
    Slug           = 'voc2007'
    UrlVariable    = 'REPROKIT_VOC2007_URL'
    DefaultBaseUrl = 'http://host.robots.ox.ac.uk/pascal/VOC/voc2007/'
    DiskNote       = @'
about 870 MB of archives and about as much again once extracted (approximate), so up to about 1.8 GB
while extracting and about 0.9 GB afterwards unless --keep-archives is given.
'@
    LayoutNote     = @'
  TARGET_DIR/VOCdevkit/VOC2007/Annotations/000001.xml ...
  TARGET_DIR/VOCdevkit/VOC2007/ImageSets/{Layout,Main,Segmentation}/*.txt
  TARGET_DIR/VOCdevkit/VOC2007/JPEGImages/000001.jpg ... (9,963 images: 5,011 trainval and 4,952 test)
  TARGET_DIR/VOCdevkit/VOC2007/{SegmentationClass,SegmentationObject}/*.png
'@
    # The MD5s that torchvision's datasets/voc.py checks for these archives (years "2007" and "2007-test").
    Archives       = @(
        @{ Name = 'VOCtrainval_06-Nov-2007.tar'; Md5 = 'c52e279531787c972589f7e41ab4ae64' }
        @{ Name = 'VOCtest_06-Nov-2007.tar'; Md5 = 'b6e924de25625d8de591ea690078ad9f' }
    )
}

exit (Invoke-ArchiveFetch -Dataset $dataset -ScriptName (Split-Path -Leaf $PSCommandPath) -Arguments $args)
