#Requires -Version 7.4
# Downloads the PASCAL VOC 2012 trainval archive, verifies its MD5, checks its entries and extracts it into
# data/voc2012 or TARGET_DIR. The PowerShell twin of fetch-voc2012.sh, with the same options: run with
# --help. lib/FetchArchive.psm1 holds the steps.

Import-Module (Join-Path $PSScriptRoot 'lib' 'FetchArchive.psm1') -Force

$dataset = @{
    Title          = 'PASCAL VOC 2012'
    Slug           = 'voc2012'
    UrlVariable    = 'REPROKIT_VOC2012_URL'
    DefaultBaseUrl = 'http://host.robots.ox.ac.uk/pascal/VOC/voc2012/'
    DiskNote       = @'
about 2 GB for the archive and about as much again once extracted (approximate), so up to about 4 GB
while extracting and about 2 GB afterwards unless --keep-archives is given.
'@
    LayoutNote     = @'
  TARGET_DIR/VOCdevkit/VOC2012/Annotations/2007_000027.xml ...
  TARGET_DIR/VOCdevkit/VOC2012/ImageSets/{Action,Layout,Main,Segmentation}/*.txt
  TARGET_DIR/VOCdevkit/VOC2012/JPEGImages/2007_000027.jpg ... (17,125 images)
  TARGET_DIR/VOCdevkit/VOC2012/{SegmentationClass,SegmentationObject}/*.png
'@
    # The MD5 that torchvision's datasets/voc.py checks for this archive (year "2012").
    Archives       = @(
        @{ Name = 'VOCtrainval_11-May-2012.tar'; Md5 = '6cd6e144f989b92b3379bac3b3de84fd' }
    )
}

exit (Invoke-ArchiveFetch -Dataset $dataset -ScriptName (Split-Path -Leaf $PSCommandPath) -Arguments $args)
