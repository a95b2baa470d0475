# Shared steps of the archive fetch scripts (fetch-voc2007.ps1, fetch-voc2012.ps1, fetch-caltech256.ps1):
# argument parsing, resumable download, MD5 check, archive entry check, extraction through a temporary
# folder, and the closing disk report. fetch-archive.sh is the bash twin. Keep the two in step, the marker
# format included, so that either script recognises what the other fetched.
#
# Needs PowerShell 7.4 or later: TarReader (System.Formats.Tar) reads the archive listing, and tar extracts
# it when present (Windows 10 and later, Linux, macOS), otherwise TarFile does.

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

class FetchUsageException : System.Exception {
    FetchUsageException([string] $message) : base($message) {}
}

$script:HttpClient = $null
$script:DownloadAttempts = 4

function Write-Line([string] $Text) {
    [Console]::Out.WriteLine($Text)
}

function Write-ErrorLine([string] $Text) {
    [Console]::Error.WriteLine($Text)
}

<#
.SYNOPSIS
Formats a byte count as "439.2 MiB (460032000 bytes)", the same text as format_size in fetch-archive.sh.
#>
function Format-ByteSize([long] $Bytes) {
    $units = 'B', 'KiB', 'MiB', 'GiB', 'TiB'
    $value = [double] $Bytes
    $unit = 0
    while ($value -ge 1024 -and $unit -lt $units.Count - 1) {
        $value /= 1024
        $unit++
    }
    if ($unit -eq 0) {
        return "$Bytes bytes"
    }
    return [string]::Format([System.Globalization.CultureInfo]::InvariantCulture, '{0:F1} {1} ({2} bytes)', $value, $units[$unit], $Bytes)
}

<#
.SYNOPSIS
Computes the MD5 of a file as 32 lower-case hexadecimal digits.
#>
function Get-Md5Hex([string] $Path) {
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        return [Convert]::ToHexString([System.Security.Cryptography.MD5]::HashData($stream)).ToLowerInvariant()
    }
    finally {
        $stream.Dispose()
    }
}

<#
.SYNOPSIS
Counts the files below a folder and adds up their sizes (Count, Bytes), skipping symbolic links.
.DESCRIPTION
Bytes is the apparent size, so it differs from `du -sh` by block rounding, and a hard-linked file counts
once per link.
#>
function Measure-Folder([string] $Path) {
    $options = [System.IO.EnumerationOptions]::new()
    $options.RecurseSubdirectories = $true
    $options.AttributesToSkip = [System.IO.FileAttributes]::ReparsePoint
    $options.IgnoreInaccessible = $true
    $count = 0
    [long] $bytes = 0
    foreach ($file in [System.IO.DirectoryInfo]::new($Path).EnumerateFiles('*', $options)) {
        $count++
        $bytes += $file.Length
    }
    return [pscustomobject]@{ Count = $count; Bytes = $bytes }
}

function Get-HttpClient {
    if ($null -eq $script:HttpClient) {
        $handler = [System.Net.Http.SocketsHttpHandler]::new()
        $handler.ConnectTimeout = [TimeSpan]::FromSeconds(30)
        $handler.AutomaticDecompression = [System.Net.DecompressionMethods]::None
        $script:HttpClient = [System.Net.Http.HttpClient]::new($handler)
        # Archives of several GB take longer than the default 100 s, and ConnectTimeout covers a dead server.
        $script:HttpClient.Timeout = [System.Threading.Timeout]::InfiniteTimeSpan
    }
    return $script:HttpClient
}

function Copy-ResponseBody($Response, [string] $Path, [System.IO.FileMode] $Mode, [long] $AlreadyDownloaded) {
    $total = $Response.Content.Headers.ContentLength
    if ($null -ne $total) {
        $total += $AlreadyDownloaded
    }
    $showProgress = -not [Console]::IsErrorRedirected
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $source = $Response.Content.ReadAsStreamAsync().GetAwaiter().GetResult()
    $target = [System.IO.FileStream]::new($Path, $Mode, [System.IO.FileAccess]::Write)
    try {
        $buffer = [byte[]]::new(1MB)
        $written = $AlreadyDownloaded
        while (($read = $source.Read($buffer, 0, $buffer.Length)) -gt 0) {
            $target.Write($buffer, 0, $read)
            $written += $read
            if ($showProgress -and $clock.ElapsedMilliseconds -ge 500) {
                $clock.Restart()
                $status = if ($null -ne $total) { "$(Format-ByteSize $written) of $(Format-ByteSize $total)" } else { Format-ByteSize $written }
                $percent = if ($null -ne $total -and $total -gt 0) { [Math]::Min(100, [int] (100 * $written / $total)) } else { -1 }
                Write-Progress -Activity "Downloading $(Split-Path -Leaf $Path)" -Status $status -PercentComplete $percent
            }
        }
    }
    finally {
        $target.Dispose()
        $source.Dispose()
        if ($showProgress) {
            Write-Progress -Activity "Downloading $(Split-Path -Leaf $Path)" -Completed
        }
    }
}

<#
.SYNOPSIS
Downloads Url into Path, continuing Path with an HTTP Range request when it exists.
.DESCRIPTION
Starts over when the server ignores the Range request (HTTP 200), when it responds with 416 because Path is
already at least as long as the file, or when its Content-Range does not start where Path ends. Retries up
to three times after a network error or an HTTP 408, 429 or 5xx, each time resuming from what arrived.
Returns an object whose Restarted property is $true when an existing Path was discarded. Throws with the
HTTP status or the network error when the download fails.
#>
function Invoke-ResumableDownload([string] $Url, [string] $Path) {
    $client = Get-HttpClient
    $restarted = $false
    $attempt = 0
    while ($true) {
        $attempt++
        $existing = if (Test-Path -LiteralPath $Path -PathType Leaf) { (Get-Item -LiteralPath $Path).Length } else { 0 }
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, $Url)
        if ($existing -gt 0) {
            $request.Headers.Range = [System.Net.Http.Headers.RangeHeaderValue]::new($existing, $null)
        }

        $response = $null
        try {
            $response = $client.SendAsync($request, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead).GetAwaiter().GetResult()
            $status = [int] $response.StatusCode

            if ($status -eq 416 -and $existing -gt 0) {
                Write-ErrorLine "  $Path is at least as long as the file but fails the MD5 check, so the download starts over"
                Remove-Item -LiteralPath $Path
                $restarted = $true
                continue
            }
            if ($status -eq 206) {
                $range = $response.Content.Headers.ContentRange
                if ($null -eq $range -or $range.From -ne $existing) {
                    Write-ErrorLine "  the server sent a range that does not continue $Path, so the download starts over"
                    Remove-Item -LiteralPath $Path
                    $restarted = $true
                    continue
                }
                Copy-ResponseBody $response $Path ([System.IO.FileMode]::Append) $existing
                return [pscustomobject]@{ Restarted = $restarted }
            }
            if ($status -eq 200) {
                if ($existing -gt 0) {
                    Write-ErrorLine '  the server does not support resuming, so the download starts over'
                    $restarted = $true
                }
                Copy-ResponseBody $response $Path ([System.IO.FileMode]::Create) 0
                return [pscustomobject]@{ Restarted = $restarted }
            }

            $message = "HTTP $status $($response.ReasonPhrase)"
            $transient = $status -eq 408 -or $status -eq 429 -or $status -ge 500
        }
        catch [System.Net.Http.HttpRequestException], [System.IO.IOException], [System.Threading.Tasks.TaskCanceledException] {
            $message = $_.Exception.Message
            $transient = $true
        }
        finally {
            if ($null -ne $response) {
                $response.Dispose()
            }
            $request.Dispose()
        }

        if (-not $transient -or $attempt -ge $script:DownloadAttempts) {
            throw $message
        }
        $delay = [Math]::Pow(2, $attempt - 1)
        Write-ErrorLine "  $Url failed: $message. Retrying in $delay s (retry $attempt of $($script:DownloadAttempts - 1))."
        Start-Sleep -Seconds $delay
    }
}

function Write-Usage($Dataset, [string] $ScriptName) {
    $archiveList = ($Dataset.Archives | ForEach-Object { $_.Name }) -join ', '
    Write-Line @"
Usage: $ScriptName [--keep-archives] [--md5 ARCHIVE=HEX]... [TARGET_DIR]

Downloads $($Dataset.Title) ($archiveList), verifies each archive's MD5, checks that no
entry can be written outside TARGET_DIR, and extracts the archives into TARGET_DIR.

  TARGET_DIR           folder to extract into (default: data/$($Dataset.Slug) under the repository)
  --keep-archives      keep each verified .tar in TARGET_DIR after extraction. By default it is deleted
                       to save disk, and a later run does not need it
  --md5 ARCHIVE=HEX    expect MD5 HEX for ARCHIVE instead of the published value. A testing and mirror aid
                       for archives that a mirror repackages. Repeat it for each archive
  -h, --help           print this help and exit

Environment:
  $($Dataset.UrlVariable)
                       base URL that the archive names are appended to
                       (default: $($Dataset.DefaultBaseUrl))

Disk: $($Dataset.DiskNote)

Layout after extraction:
$($Dataset.LayoutNote)

A second run checks the marker TARGET_DIR/.reprokit-fetched-ARCHIVE and downloads nothing when it matches.
A partial download (ARCHIVE.part) is resumed. An archive that fails the MD5 check is kept as ARCHIVE.bad,
and nothing is extracted.
Exit status: 0 when every archive is in place, 1 when a download, MD5 check, entry check or extraction
failed, 2 for invalid arguments.
"@
}

function Set-Md5Override($Dataset, [hashtable] $Overrides, [string] $Value) {
    $separator = $Value.IndexOf('=')
    if ($separator -lt 0) {
        $example = "$($Dataset.Archives[0].Name)=$($Dataset.Archives[0].Md5)"
        throw [FetchUsageException]::new("--md5 expects ARCHIVE=HEX, got '$Value'. Example: --md5 $example")
    }

    $name = $Value.Substring(0, $separator)
    $hex = $Value.Substring($separator + 1)
    if ($hex -notmatch '^[0-9a-fA-F]{32}$') {
        throw [FetchUsageException]::new("--md5 ${Value}: '$hex' is not an MD5 (32 hexadecimal digits).")
    }
    $names = @($Dataset.Archives | ForEach-Object { $_.Name })
    if ($names -cnotcontains $name) {
        throw [FetchUsageException]::new("--md5 ${Value}: '$name' is not an archive of this script. Expected one of: $($names -join ' ').")
    }
    $Overrides[$name] = $hex.ToLowerInvariant()
}

# Returns the parsed options, or $null after printing the help text.
function Read-Arguments($Dataset, [string] $ScriptName, [string[]] $Arguments) {
    $options = [pscustomobject]@{ TargetDir = $null; KeepArchives = $false; Md5Overrides = @{} }
    $targetGiven = $false
    for ($i = 0; $i -lt $Arguments.Count; $i++) {
        $argument = $Arguments[$i]
        if ($argument -ceq '-h' -or $argument -ceq '--help') {
            Write-Usage $Dataset $ScriptName
            return $null
        }
        elseif ($argument -ceq '--keep-archives') {
            $options.KeepArchives = $true
        }
        elseif ($argument -ceq '--md5') {
            if ($i + 1 -ge $Arguments.Count) {
                throw [FetchUsageException]::new('--md5 needs a value of the form ARCHIVE=HEX.')
            }
            $i++
            Set-Md5Override $Dataset $options.Md5Overrides $Arguments[$i]
        }
        elseif ($argument.StartsWith('--md5=', [StringComparison]::Ordinal)) {
            Set-Md5Override $Dataset $options.Md5Overrides $argument.Substring(6)
        }
        elseif ($argument -ceq '--') {
            $rest = @($Arguments | Select-Object -Skip ($i + 1))
            if ($rest.Count -gt 1) {
                throw [FetchUsageException]::new("expected at most one target folder after --, got $($rest.Count): $($rest -join ' ')")
            }
            if ($rest.Count -eq 1) {
                if ($targetGiven) {
                    throw [FetchUsageException]::new("expected one target folder, got '$($options.TargetDir)' and '$($rest[0])'.")
                }
                $options.TargetDir = $rest[0]
            }
            break
        }
        elseif ($argument.Length -gt 1 -and $argument[0] -eq '-') {
            throw [FetchUsageException]::new("unknown option '$argument'.")
        }
        else {
            if ($targetGiven) {
                throw [FetchUsageException]::new("expected one target folder, got '$($options.TargetDir)' and '$argument'.")
            }
            if ($argument -eq '') {
                throw [FetchUsageException]::new('the target folder argument is empty. Pass a folder, or leave it out for the default.')
            }
            $options.TargetDir = $argument
            $targetGiven = $true
        }
    }
    return $options
}

# Splits an archive path into its components, skipping empty and "." ones. Windows also treats "\" as a
# separator, because tar there does too.
function Split-EntryPath([string] $Path) {
    $separators = if ($IsWindows) { [char[]] '/\' } else { [char[]] '/' }
    return , @($Path.Split($separators) | Where-Object { $_ -ne '' -and $_ -ne '.' })
}

function Test-AbsoluteEntryPath([string] $Path) {
    if ($Path.StartsWith('/')) {
        return $true
    }
    return $IsWindows -and ($Path.StartsWith('\') -or $Path -match '^[A-Za-z]:')
}

<#
.SYNOPSIS
Lists a tar archive and returns Entry and Reason for the first entry that could be written outside the
target folder, or Count (entries read) when there is none.
.DESCRIPTION
Rejects an absolute path, a ".." component, a device, FIFO or other special entry, a symbolic link whose
target is absolute or climbs above the archive root, a hard link whose target is absolute or has "..", and
any entry below a symbolic link of the archive, because tar would write through that link. The same rules
as the awk program in fetch-archive.sh.
#>
function Test-ArchiveEntry([string] $Path) {
    $allowed = @(
        [System.Formats.Tar.TarEntryType]::RegularFile, [System.Formats.Tar.TarEntryType]::V7RegularFile,
        [System.Formats.Tar.TarEntryType]::ContiguousFile, [System.Formats.Tar.TarEntryType]::Directory,
        [System.Formats.Tar.TarEntryType]::SymbolicLink, [System.Formats.Tar.TarEntryType]::HardLink)
    $paths = [System.Collections.Generic.List[string]]::new()
    $symlinks = [System.Collections.Generic.HashSet[string]]::new([StringComparer]::Ordinal)
    $count = 0
    $stream = [System.IO.File]::OpenRead($Path)
    try {
        $reader = [System.Formats.Tar.TarReader]::new($stream, $true)
        while ($null -ne ($entry = $reader.GetNextEntry($false))) {
            $type = $entry.EntryType
            if ($type -eq [System.Formats.Tar.TarEntryType]::GlobalExtendedAttributes) {
                continue
            }
            $count++
            $name = $entry.Name
            if ($allowed -notcontains $type) {
                return [pscustomobject]@{ Entry = $name; Reason = "is a $type entry (a device, FIFO or other special file)" }
            }
            if (Test-AbsoluteEntryPath $name) {
                return [pscustomobject]@{ Entry = $name; Reason = 'has an absolute path' }
            }
            $parts = Split-EntryPath $name
            if ($parts -contains '..') {
                return [pscustomobject]@{ Entry = $name; Reason = 'has a ".." path component' }
            }
            if ($parts.Count -eq 0) {
                continue
            }
            $paths.Add($parts -join '/')

            $target = $entry.LinkName
            if ($type -eq [System.Formats.Tar.TarEntryType]::SymbolicLink) {
                if ([string]::IsNullOrEmpty($target)) {
                    return [pscustomobject]@{ Entry = $name; Reason = 'is a symbolic link with an empty target' }
                }
                if (Test-AbsoluteEntryPath $target) {
                    return [pscustomobject]@{ Entry = $name; Reason = "is a symbolic link to the absolute path $target" }
                }
                # The link resolves from its own folder, one level above the link.
                $level = $parts.Count - 1
                foreach ($part in (Split-EntryPath $target)) {
                    $level += if ($part -eq '..') { -1 } else { 1 }
                    if ($level -lt 0) {
                        return [pscustomobject]@{ Entry = $name; Reason = "is a symbolic link to $target, which leaves the target folder" }
                    }
                }
                [void] $symlinks.Add($parts -join '/')
            }
            elseif ($type -eq [System.Formats.Tar.TarEntryType]::HardLink) {
                # Hard link targets are archive paths, resolved from the archive root.
                if (Test-AbsoluteEntryPath $target) {
                    return [pscustomobject]@{ Entry = $name; Reason = "is a hard link to the absolute path $target" }
                }
                $targetParts = Split-EntryPath $target
                if ($targetParts -contains '..') {
                    return [pscustomobject]@{ Entry = $name; Reason = "is a hard link to $target, which has a "".."" path component" }
                }
                if ($targetParts.Count -eq 0) {
                    return [pscustomobject]@{ Entry = $name; Reason = 'is a hard link to the archive root' }
                }
                $paths.Add($targetParts -join '/')
            }
        }
    }
    finally {
        $stream.Dispose()
    }

    foreach ($entryPath in $paths) {
        $parts = $entryPath.Split('/')
        $above = $parts[0]
        for ($i = 1; $i -lt $parts.Count; $i++) {
            if ($symlinks.Contains($above)) {
                return [pscustomobject]@{ Entry = $entryPath; Reason = "lies below the symbolic link $above of the same archive, through which tar would write" }
            }
            $above = "$above/$($parts[$i])"
        }
    }
    return [pscustomobject]@{ Count = $count }
}

<#
.SYNOPSIS
Moves the content of Source into Destination, merging folders present in both.
.DESCRIPTION
Archives of one data set may share a top folder (VOC 2007's trainval and test archives both fill
VOCdevkit/VOC2007). A file already in Destination is replaced. A file where a folder is expected, or the
reverse, is an error.
#>
function Move-DirectoryContent([string] $Source, [string] $Destination) {
    foreach ($item in [System.IO.DirectoryInfo]::new($Source).EnumerateFileSystemInfos()) {
        $target = Join-Path $Destination $item.Name
        $targetItem = Get-Item -LiteralPath $target -Force -ErrorAction Ignore
        $itemIsFolder = $item -is [System.IO.DirectoryInfo] -and $null -eq $item.LinkTarget
        $targetIsFolder = $null -ne $targetItem -and $targetItem -is [System.IO.DirectoryInfo] -and $null -eq $targetItem.LinkTarget

        if ($null -eq $targetItem) {
            if ($item -is [System.IO.DirectoryInfo]) {
                [System.IO.Directory]::Move($item.FullName, $target)
            }
            else {
                [System.IO.File]::Move($item.FullName, $target)
            }
        }
        elseif ($itemIsFolder -and $targetIsFolder) {
            Move-DirectoryContent $item.FullName $target
            [System.IO.Directory]::Delete($item.FullName)
        }
        elseif ($itemIsFolder -or $targetIsFolder) {
            throw "cannot move $($item.FullName) into place, because $target exists and only one of them is a folder. Move $target away and run the script again."
        }
        else {
            # Both are files or links: the archive's version replaces the old one.
            $targetItem.Delete()
            if ($item -is [System.IO.DirectoryInfo]) {
                [System.IO.Directory]::Move($item.FullName, $target)
            }
            else {
                [System.IO.File]::Move($item.FullName, $target)
            }
        }
    }
}

function Get-MarkerPath([string] $TargetDir, [string] $Name) {
    return Join-Path $TargetDir ".reprokit-fetched-$Name"
}

# Returns Matches ($true when the marker records the MD5 and all its top-level entries exist), Size, and
# Problem (why it does not match, or $null when there is no marker).
function Read-Marker([string] $TargetDir, [string] $Name, [string] $ExpectedMd5) {
    $result = [pscustomobject]@{ Matches = $false; Size = $null; Problem = $null }
    $marker = Get-MarkerPath $TargetDir $Name
    if (-not (Test-Path -LiteralPath $marker -PathType Leaf)) {
        return $result
    }

    $recordedMd5 = ''
    foreach ($line in [System.IO.File]::ReadAllLines($marker)) {
        $separator = $line.IndexOf(' ')
        $key = if ($separator -ge 0) { $line.Substring(0, $separator) } else { $line }
        $value = if ($separator -ge 0) { $line.Substring($separator + 1) } else { $line }
        if ($key -eq 'md5') {
            $recordedMd5 = $value
        }
        elseif ($key -eq 'size') {
            [long] $size = 0
            if ([long]::TryParse($value, [ref] $size)) {
                $result.Size = $size
            }
        }
        elseif ($key -eq 'entry' -and -not (Test-Path -LiteralPath (Join-Path $TargetDir $value))) {
            $result.Problem = "its marker exists but $(Join-Path $TargetDir $value) is missing"
            return $result
        }
    }
    if ($recordedMd5 -ne $ExpectedMd5) {
        $result.Problem = "its marker records MD5 '$recordedMd5', not the expected $ExpectedMd5"
        return $result
    }
    $result.Matches = $true
    return $result
}

# Makes TargetDir/ARCHIVE a verified copy of the archive: reuses a verified copy, or downloads into
# ARCHIVE.part, resuming it when present, and moves it into place only after the MD5 matches.
# Returns $true on success, or prints the error and returns $false.
function Get-VerifiedArchive($State, $Archive) {
    $name = $Archive.Name
    $expected = $Archive.ExpectedMd5
    $path = Join-Path $State.TargetDir $name
    $partial = "$path.part"
    $url = $State.BaseUrl + $name

    if (Test-Path -LiteralPath $path -PathType Leaf) {
        $found = Get-Md5Hex $path
        if ($found -eq $expected) {
            $Archive.Size = (Get-Item -LiteralPath $path).Length
            Write-Line "${name}: reused the copy downloaded by an earlier run, $(Format-ByteSize $Archive.Size), MD5 verified"
            $State.Reused++
            return $true
        }
        Move-Item -LiteralPath $path -Destination "$path.bad" -Force
        Write-ErrorLine "${name}: the existing copy fails the MD5 check (expected $expected, found $found), so it was moved to $name.bad and is downloaded again"
    }

    $action = 'downloaded'
    if ((Test-Path -LiteralPath $partial -PathType Leaf) -and (Get-Item -LiteralPath $partial).Length -gt 0) {
        # A previous run may have finished the download but stopped before the MD5 check.
        if ((Get-Md5Hex $partial) -eq $expected) {
            $action = 'reused'
            Write-Line "${name}: $partial from an earlier run is complete"
        }
        else {
            $action = 'resumed'
            Write-Line "${name}: resuming $url after $(Format-ByteSize (Get-Item -LiteralPath $partial).Length) downloaded earlier"
        }
    }
    else {
        Write-Line "${name}: downloading $url"
    }

    if ($action -ne 'reused') {
        try {
            $download = Invoke-ResumableDownload $url $partial
        }
        catch {
            $retryHint = 'run the script again'
            if ((Test-Path -LiteralPath $partial -PathType Leaf) -and (Get-Item -LiteralPath $partial).Length -gt 0) {
                $retryHint = "run the script again to resume from $partial"
            }
            Write-ErrorLine "error: ${name}: the download from $url failed: $($_.Exception.GetBaseException().Message). Check the URL, $($State.UrlVariable) and the network, then $retryHint."
            return $false
        }
        if ($download.Restarted) {
            $action = 'downloaded'
        }
    }

    $found = Get-Md5Hex $partial
    $size = (Get-Item -LiteralPath $partial).Length
    if ($found -ne $expected) {
        Move-Item -LiteralPath $partial -Destination "$path.bad" -Force
        Write-ErrorLine ("error: ${name}: MD5 mismatch, so nothing was extracted. Expected $expected, found $found. " +
            "The download, $(Format-ByteSize $size), is kept as $path.bad for inspection. Delete it and run the script again. " +
            "If the mismatch repeats, the server at $($State.BaseUrl) serves a different file: set $($State.UrlVariable) to another mirror, " +
            "or pass --md5 $name=HEX if the mirror is known to repackage the archive.")
        return $false
    }

    Move-Item -LiteralPath $partial -Destination $path -Force
    $Archive.Size = $size
    Write-Line "${name}: $action, $(Format-ByteSize $size), MD5 verified"
    switch ($action) {
        'downloaded' { $State.Downloaded++ }
        'resumed' { $State.Resumed++ }
        'reused' { $State.Reused++ }
    }
    return $true
}

function Test-ArchiveSafe($State, $Archive) {
    $name = $Archive.Name
    $path = Join-Path $State.TargetDir $name
    try {
        $verdict = Test-ArchiveEntry $path
    }
    catch {
        Write-ErrorLine "error: ${name}: could not read $path as a tar archive ($($_.Exception.GetBaseException().Message)), so nothing was extracted. Delete it and run the script again."
        return $false
    }
    if ($verdict.PSObject.Properties.Name -contains 'Entry') {
        Write-ErrorLine ("error: ${name}: the entry '$($verdict.Entry)' $($verdict.Reason), so nothing was extracted. " +
            "A genuine $($State.Title) archive has no such entry: delete $path and check the server at $($State.BaseUrl) ($($State.UrlVariable)) and any --md5 value.")
        return $false
    }
    Write-Line "${name}: checked the archive's entries ($($verdict.Count)), none leaves the target folder"
    return $true
}

# Extracts the archive into a temporary folder inside the target, moves the result into place and then
# writes the marker. Throws on failure, and the caller removes the temporary folder.
function Expand-VerifiedArchive($State, $Archive) {
    $name = $Archive.Name
    $path = Join-Path $State.TargetDir $name
    $extractDir = Join-Path $State.TargetDir ".reprokit-extract-$([System.IO.Path]::GetRandomFileName())"
    $State.ExtractDir = $extractDir
    [void] [System.IO.Directory]::CreateDirectory($extractDir)

    Write-Line "${name}: extracting into $($State.TargetDir)"
    $tar = Get-Command tar -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($null -ne $tar) {
        & $tar.Source -x -f $path -C $extractDir --no-same-owner
        if ($LASTEXITCODE -ne 0) {
            throw "${name}: tar could not extract $path (exit status $LASTEXITCODE, see its message above). Nothing was moved into $($State.TargetDir). Delete $path and run the script again."
        }
    }
    else {
        [System.Formats.Tar.TarFile]::ExtractToDirectory($path, $extractDir, $false)
    }

    $extracted = Measure-Folder $extractDir
    $entries = @([System.IO.DirectoryInfo]::new($extractDir).EnumerateFileSystemInfos() | ForEach-Object { $_.Name })

    Move-DirectoryContent $extractDir $State.TargetDir
    [System.IO.Directory]::Delete($extractDir)
    $State.ExtractDir = $null

    $marker = Get-MarkerPath $State.TargetDir $name
    $lines = @("md5 $($Archive.ExpectedMd5)", "size $($Archive.Size)") + @($entries | ForEach-Object { "entry $_" })
    [System.IO.File]::WriteAllText("$marker.tmp", ($lines -join "`n") + "`n")
    [System.IO.File]::Move("$marker.tmp", $marker, $true)

    Write-Line "${name}: extracted $($extracted.Count) files, $(Format-ByteSize $extracted.Bytes): $($entries -join ' ')"
    $State.Extracted++

    if ($State.KeepArchives) {
        $Archive.State = "kept at $path"
    }
    else {
        Remove-Item -LiteralPath $path
        $Archive.State = 'deleted after extraction (--keep-archives keeps it)'
    }
}

function Write-Report($State) {
    Write-Line "Done: $($State.Downloaded) downloaded, $($State.Resumed) resumed, $($State.Reused) reused from an earlier run, $($State.Extracted) extracted, $($State.Present) already present."
    Write-Line 'Archives:'
    foreach ($archive in $State.Archives) {
        if ($null -ne $archive.Size) {
            Write-Line "  $($archive.Name): $(Format-ByteSize $archive.Size), $($archive.State)"
        }
        else {
            Write-Line "  $($archive.Name): $($archive.State)"
        }
    }
    Write-Line "$($State.TargetDir) uses $(Format-ByteSize (Measure-Folder $State.TargetDir).Bytes) on disk, counted as the sum of file sizes."
}

<#
.SYNOPSIS
Runs a dataset script: parses Arguments, fetches, checks and extracts every archive of Dataset, and returns
the exit code (0 done, 1 failed, 2 invalid arguments).
.PARAMETER Dataset
Hashtable with Title, Slug (folder name under data/), UrlVariable, DefaultBaseUrl, DiskNote, LayoutNote and
Archives, a list of hashtables with Name and Md5 (the published MD5).
#>
function Invoke-ArchiveFetch {
    param(
        [Parameter(Mandatory)] [hashtable] $Dataset,
        [Parameter(Mandatory)] [string] $ScriptName,
        [string[]] $Arguments = @()
    )

    try {
        $options = Read-Arguments $Dataset $ScriptName $Arguments
    }
    catch [FetchUsageException] {
        Write-ErrorLine "error: $($_.Exception.Message)"
        Write-ErrorLine "Run '$ScriptName --help' for the options."
        return 2
    }
    if ($null -eq $options) {
        return 0
    }

    $repoRoot = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $targetDir = if ($null -ne $options.TargetDir) { $options.TargetDir } else { Join-Path $repoRoot 'data' $Dataset.Slug }
    $targetDir = [System.IO.Path]::GetFullPath($targetDir, (Get-Location -PSProvider FileSystem).Path)
    if (Test-Path -LiteralPath $targetDir -PathType Leaf) {
        Write-ErrorLine "error: the target $targetDir exists but is not a folder. Pass another TARGET_DIR."
        return 2
    }
    $baseUrl = [Environment]::GetEnvironmentVariable($Dataset.UrlVariable)
    if ([string]::IsNullOrEmpty($baseUrl)) {
        $baseUrl = $Dataset.DefaultBaseUrl
    }

    $state = [pscustomobject]@{
        Title = $Dataset.Title; UrlVariable = $Dataset.UrlVariable; BaseUrl = $baseUrl.TrimEnd('/') + '/'
        TargetDir = [System.IO.Path]::TrimEndingDirectorySeparator($targetDir); KeepArchives = $options.KeepArchives
        ExtractDir = $null; Downloaded = 0; Resumed = 0; Reused = 0; Extracted = 0; Present = 0
        Archives = @($Dataset.Archives | ForEach-Object {
                $expected = if ($options.Md5Overrides.ContainsKey($_.Name)) { $options.Md5Overrides[$_.Name] } else { $_.Md5 }
                [pscustomobject]@{ Name = $_.Name; ExpectedMd5 = $expected; Size = $null; State = 'not extracted' }
            })
    }

    try {
        [void] [System.IO.Directory]::CreateDirectory($state.TargetDir)
        # Temporary folders of an interrupted run hold incomplete files.
        Get-ChildItem -LiteralPath $state.TargetDir -Filter '.reprokit-extract-*' -Directory -Force |
            Remove-Item -Recurse -Force

        Write-Line "Fetching $($state.Title) into $($state.TargetDir) from $($state.BaseUrl)"
        $pending = [System.Collections.Generic.List[object]]::new()
        foreach ($archive in $state.Archives) {
            $marker = Read-Marker $state.TargetDir $archive.Name $archive.ExpectedMd5
            if ($marker.Matches) {
                $archive.Size = $marker.Size
                $archive.State = 'already present'
                Write-Line "$($archive.Name): already present (marker $(Get-MarkerPath $state.TargetDir $archive.Name) matches MD5 $($archive.ExpectedMd5)), skipped"
                $state.Present++
                continue
            }
            if ($null -ne $marker.Problem) {
                Write-Line "$($archive.Name): $($marker.Problem), so the archive is fetched again"
            }
            $pending.Add($archive)
        }

        # Every pending archive is downloaded and checked before any is extracted, so a bad archive leaves
        # the target folder as it was.
        $failed = 0
        foreach ($archive in $pending) {
            if (-not (Get-VerifiedArchive $state $archive) -or -not (Test-ArchiveSafe $state $archive)) {
                $failed++
            }
        }
        if ($failed -gt 0) {
            Write-Report $state
            Write-ErrorLine ("error: $failed of $($pending.Count) archives failed the download, MD5 or entry check, so nothing was extracted. " +
                "Fix the errors above and run the script again. Verified archives stay in $($state.TargetDir) and are not downloaded again.")
            return 1
        }

        foreach ($archive in $pending) {
            try {
                Expand-VerifiedArchive $state $archive
            }
            catch {
                Write-ErrorLine "error: $($_.Exception.GetBaseException().Message)"
                Write-Report $state
                return 1
            }
        }
        Write-Report $state
        return 0
    }
    catch {
        Write-ErrorLine "error: $($_.Exception.GetBaseException().Message)"
        return 1
    }
    finally {
        if ($null -ne $state.ExtractDir -and (Test-Path -LiteralPath $state.ExtractDir)) {
            Remove-Item -LiteralPath $state.ExtractDir -Recurse -Force
        }
    }
}

Export-ModuleMember -Function Invoke-ArchiveFetch, Invoke-ResumableDownload, Get-Md5Hex, Measure-Folder, Format-ByteSize
