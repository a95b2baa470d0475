#Requires -Version 7.4
# The PowerShell twin of fetch-fashion-mnist.sh, with the same argument, environment variable, output and
# exit codes: downloads the four official Fashion-MNIST gzip files and verifies each file's MD5 before moving
# it into place, so a file under its final name has always passed the check. No archive is extracted.

Import-Module (Join-Path $PSScriptRoot 'lib' 'FetchArchive.psm1') -Force

$usage = @'
Usage: data-scripts/fetch-fashion-mnist.ps1 [TARGET_DIR]
  TARGET_DIR              folder to download into (default: data/fashion-mnist-full under the repository)
  FASHION_MNIST_BASE_URL  base URL of the four files (default: Zalando's official location below)

Running it again skips files that already pass the check and resumes partial downloads (*.part).
A file that fails the check is kept beside the others with the suffix .bad, and the script exits with 1.
Default location: http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/
'@

$defaultBaseUrl = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'
$debianDir = '/usr/share/datasets/fashion-mnist'

# File name, MD5 of the official gzip file, MD5 of the decompressed content. Either MD5 passes, because
# mirrors and Debian may compress the files again; fetch-fashion-mnist.sh gives the sources of both.
$files = @(
    @{ Name = 'train-images-idx3-ubyte.gz'; GzipMd5 = '8d4fb7e6c68d591d4c3dfef9ec88bf0d'; ContentMd5 = 'f4a8712d7a061bf5bd6d2ca38dc4d50a' }
    @{ Name = 'train-labels-idx1-ubyte.gz'; GzipMd5 = '25c81989df183df01b3e8a0aad5dffbe'; ContentMd5 = '9018921c3c673c538a1fc5bad174d6f9' }
    @{ Name = 't10k-images-idx3-ubyte.gz'; GzipMd5 = 'bef4ecab320f06d8554ea6380940ec79'; ContentMd5 = '8181f5470baa50b63fa0f6fddb340f0a' }
    @{ Name = 't10k-labels-idx1-ubyte.gz'; GzipMd5 = 'bb300cfdad3c16e7a12a480ee83cd310'; ContentMd5 = '15d484375f8d13e6eb1aabb0c3f46965' }
)

if ($args.Count -gt 1) {
    [Console]::Error.WriteLine("error: expected at most one argument (the target folder), got $($args.Count).")
    [Console]::Error.WriteLine($usage)
    exit 2
}
if ($args.Count -eq 1 -and ($args[0] -ceq '-h' -or $args[0] -ceq '--help')) {
    [Console]::Out.WriteLine($usage)
    exit 0
}

$repoRoot = Split-Path -Parent $PSScriptRoot
if ($args.Count -eq 1 -and ([string] $args[0]).StartsWith('-')) {
    [Console]::Error.WriteLine("error: unknown option '$($args[0])'. The only argument is the target folder; see --help.")
    exit 2
}
$targetDir = if ($args.Count -eq 1 -and $args[0] -ne '') { [string] $args[0] } else { Join-Path $repoRoot 'data' 'fashion-mnist-full' }
$targetDir = [System.IO.Path]::GetFullPath($targetDir, (Get-Location -PSProvider FileSystem).Path)
$baseUrl = if ([string]::IsNullOrEmpty($env:FASHION_MNIST_BASE_URL)) { $defaultBaseUrl } else { $env:FASHION_MNIST_BASE_URL }
$baseUrl = $baseUrl.TrimEnd('/') + '/'

# Returns $null when either MD5 matches, otherwise the text that the mismatch message reports.
function Test-FashionMnistFile([string] $Path, $File) {
    $fileMd5 = Get-Md5Hex $Path
    if ($fileMd5 -eq $File.GzipMd5) {
        return $null
    }

    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $gzip = [System.IO.Compression.GZipStream]::new($stream, [System.IO.Compression.CompressionMode]::Decompress)
        $contentMd5 = [Convert]::ToHexString([System.Security.Cryptography.MD5]::HashData($gzip)).ToLowerInvariant()
        $content = "decompressed content MD5 $contentMd5"
        if ($contentMd5 -eq $File.ContentMd5) {
            return $null
        }
    }
    catch [System.IO.InvalidDataException] {
        $content = 'content that gzip cannot decompress'
    }
    finally {
        $stream.Dispose()
    }
    return "file MD5 $fileMd5 and $content"
}

if (@($files | Where-Object { -not (Test-Path -LiteralPath (Join-Path $debianDir $_.Name) -PathType Leaf) }).Count -eq 0) {
    Write-Output "Note: Debian's dataset-fashion-mnist package is installed, and $debianDir contains all four files."
    Write-Output '      ReproKit uses them when no downloaded copy exists, so this download is optional.'
}

[void] [System.IO.Directory]::CreateDirectory($targetDir)
Write-Output "Fetching Fashion-MNIST into $targetDir from $baseUrl"

$downloaded = 0
$skipped = 0
$failures = [System.Collections.Generic.List[string]]::new()
foreach ($file in $files) {
    $name = $file.Name
    $final = Join-Path $targetDir $name
    $partial = "$final.part"
    $url = $baseUrl + $name

    if (Test-Path -LiteralPath $final -PathType Leaf) {
        if ($null -eq (Test-FashionMnistFile $final $file)) {
            Write-Output "${name}: already present and verified, skipped"
            $skipped++
            continue
        }
        Move-Item -LiteralPath $final -Destination "$final.bad" -Force
        [Console]::Error.WriteLine("${name}: the existing file fails the MD5 check, so it was moved to $name.bad and is downloaded again")
    }

    # A previous run may have finished downloading but stopped before moving the file into place.
    if (-not (Test-Path -LiteralPath $partial -PathType Leaf) -or $null -ne (Test-FashionMnistFile $partial $file)) {
        Write-Output "${name}: downloading $url"
        try {
            [void] (Invoke-ResumableDownload $url $partial)
        }
        catch {
            $retryHint = 'run the script again'
            if ((Test-Path -LiteralPath $partial -PathType Leaf) -and (Get-Item -LiteralPath $partial).Length -gt 0) {
                $retryHint = "run the script again to resume from $partial"
            }
            $failures.Add("${name}: the download from $url failed ($($_.Exception.Message)). Check the URL and the network, then $retryHint.")
            continue
        }
    }

    $mismatch = Test-FashionMnistFile $partial $file
    if ($null -eq $mismatch) {
        Move-Item -LiteralPath $partial -Destination $final -Force
        Write-Output "${name}: downloaded and verified ($((Get-Item -LiteralPath $final).Length) bytes)"
        $downloaded++
    }
    else {
        Move-Item -LiteralPath $partial -Destination "$final.bad" -Force
        $failures.Add("${name}: MD5 mismatch. Expected file MD5 $($file.GzipMd5) (the official gzip file) or decompressed content MD5 $($file.ContentMd5), found $mismatch. The file was kept as $final.bad. Run the script again; if the mismatch repeats, the server at $baseUrl serves a different file, so set FASHION_MNIST_BASE_URL to another mirror.")
    }
}

Write-Output "Done: $downloaded downloaded, $skipped already present. $targetDir uses $(Format-ByteSize (Measure-Folder $targetDir).Bytes) on disk, counted as the sum of file sizes."
if ($failures.Count -gt 0) {
    foreach ($failure in $failures) {
        [Console]::Error.WriteLine("error: $failure")
    }
    exit 1
}
