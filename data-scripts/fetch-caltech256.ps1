#Requires -Version 7.4
# Downloads the Caltech-256 archive, verifies its MD5, checks its entries and extracts it into
# data/caltech256 or TARGET_DIR. The PowerShell twin of fetch-caltech256.sh, with the same options: run with
# --help. lib/FetchArchive.psm1 holds the steps.

Import-Module (Join-Path $PSScriptRoot 'lib' 'FetchArchive.psm1') -Force

$dataset = @{
    Title          = 'Caltech-256'
    Slug           = 'caltech256'
    UrlVariable    = 'REPROKIT_CALTECH256_URL'
    DefaultBaseUrl = 'https://data.caltech.edu/records/nyy15-4j048/files/'
    DiskNote       = @'
about 1.2 GB for the archive and about as much again once extracted (approximate), so up to about
2.4 GB while extracting and about 1.2 GB afterwards unless --keep-archives is given.
'@
    LayoutNote     = @'
  TARGET_DIR/256_ObjectCategories/001.ak47/001_0001.jpg ...
  TARGET_DIR/256_ObjectCategories/NNN.name/NNN_XXXX.jpg (257 folders: 256 categories and 257.clutter,
  30,607 images in all)
'@
    # The MD5 that torchvision's datasets/caltech.py checks for this archive.
    Archives       = @(
        @{ Name = '256_ObjectCategories.tar'; Md5 = '67b4f42ca05d46448c6bb8ecd2220f6d' }
    )
}

exit (Invoke-ArchiveFetch -Dataset $dataset -ScriptName (Split-Path -Leaf $PSCommandPath) -Arguments $args)
