namespace ReproKit.Images;

/// <summary>
/// Walks the marker segments of a JPEG file to find out whether it ends properly. ImageSharp 2.1 decodes a
/// JPEG that stops in the middle of its entropy-coded data without an error and fills the missing blocks
/// with black, so a truncated download would otherwise train silently on a partly black image.
/// </summary>
internal static class JpegStructure
{
    private const byte MarkerPrefix = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// Returns true when the data starts with SOI and reaches an EOI marker by following segment lengths and
    /// scanning entropy-coded data. Bytes after EOI are ignored, because some cameras append data there.
    /// NOTE: a file whose scans are complete but that lacks only the final EOI is rejected too, which libjpeg
    /// would accept with a warning.
    /// </summary>
    public static bool ReachesEndOfImage(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4 || data[0] != MarkerPrefix || data[1] != StartOfImage)
        {
            return false;
        }

        int position = 2;
        while (true)
        {
            // Stray bytes between segments are tolerated as libjpeg does: skip to the next 0xFF.
            int prefix = data[position..].IndexOf(MarkerPrefix);
            if (prefix < 0)
            {
                return false;
            }

            position += prefix;
            while (position < data.Length && data[position] == MarkerPrefix)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return false;
            }

            byte marker = data[position++];
            if (marker == EndOfImage)
            {
                return true;
            }

            if (HasNoLength(marker))
            {
                continue;
            }

            if (position + 2 > data.Length)
            {
                return false;
            }

            int segmentLength = (data[position] << 8) | data[position + 1];
            if (segmentLength < 2 || position + segmentLength > data.Length)
            {
                return false;
            }

            position += segmentLength;
            if (marker == StartOfScan)
            {
                position = SkipEntropyCodedData(data, position);
                if (position >= data.Length)
                {
                    return false;
                }
            }
        }
    }

    // Markers without a length field: TEM (0x01), RST0 to RST7 (0xD0 to 0xD7) and a stuffed zero.
    private static bool HasNoLength(byte marker) => marker is 0x00 or 0x01 or (>= 0xD0 and <= 0xD7);

    /// <summary>
    /// Returns the index of the 0xFF that starts the first real marker after a scan's entropy-coded data, or
    /// the data length when the data ends first. Inside the scan, 0xFF is followed by 0x00 (a stuffed byte),
    /// by a restart marker or by more 0xFF fill bytes.
    /// </summary>
    private static int SkipEntropyCodedData(ReadOnlySpan<byte> data, int position)
    {
        while (true)
        {
            int prefix = data[position..].IndexOf(MarkerPrefix);
            if (prefix < 0 || position + prefix + 1 >= data.Length)
            {
                return data.Length;
            }

            position += prefix;
            byte next = data[position + 1];
            if (next == MarkerPrefix)
            {
                position += 1;
            }
            else if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
            {
                position += 2;
            }
            else
            {
                return position;
            }
        }
    }
}
