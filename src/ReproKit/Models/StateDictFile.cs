using System.Text;

namespace ReproKit.Models;

/// <summary>One tensor entry of a TorchSharp state-dict file.</summary>
/// <param name="Name">Parameter or buffer name, for example <c>features.0.weight</c>.</param>
/// <param name="ScalarType">TorchSharp's element type code (6 is float32).</param>
/// <param name="Shape">The tensor's dimensions.</param>
public sealed record StateDictEntry(string Name, int ScalarType, IReadOnlyList<long> Shape);

/// <summary>
/// Reads the layout of a TorchSharp state-dict file (as <c>Module.save</c> writes and <c>Module.load</c> reads it):
/// a LEB128 entry count, then per entry a length-prefixed UTF-8 name, the element type, the number of dimensions,
/// each dimension (all LEB128) and the raw data. TorchSharp's loader seeks over entries it skips, so a file cut
/// inside a skipped entry loads without an error; checking the layout first catches it.
/// </summary>
public static class StateDictFile
{
    private static readonly Dictionary<int, int> ElementBytes = new()
    {
        [0] = 1, [1] = 1, [2] = 2, [3] = 4, [4] = 8, [5] = 2, [6] = 4, [7] = 8, [9] = 8, [10] = 16, [11] = 1, [15] = 2,
    };

    /// <summary>Lists the entries of <paramref name="path"/> and checks that the data of every entry is present and nothing follows the last.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, has trailing bytes or an unknown element type; the message names the file and the entry.</exception>
    public static IReadOnlyList<StateDictEntry> ReadLayout(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var entries = new List<StateDictEntry>();
        string current = "the entry count";
        try
        {
            long count = Leb128(reader);
            for (long i = 0; i < count; i++)
            {
                current = $"entry {i + 1} of {count}";
                string name = reader.ReadString();
                current = $"entry '{name}'";
                int type = (int)Leb128(reader);
                if (!ElementBytes.TryGetValue(type, out int size))
                {
                    throw new InvalidDataException($"{path}: {current} has element type code {type}, which TorchSharp does not write. Export the weights again with data-scripts/export-vgg16-weights.py.");
                }

                long dimensions = Leb128(reader);
                var shape = new long[dimensions];
                long elements = 1;
                for (int d = 0; d < dimensions; d++)
                {
                    shape[d] = Leb128(reader);
                    elements *= shape[d];
                }

                long bytes = elements * size;
                if (stream.Position + bytes > stream.Length)
                {
                    throw new EndOfStreamException();
                }

                stream.Seek(bytes, SeekOrigin.Current);
                entries.Add(new StateDictEntry(name, type, shape));
            }
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path} is truncated: {current} is incomplete ({stream.Length:N0} bytes in the file). Download or export the weights again.");
        }

        if (stream.Position != stream.Length)
        {
            throw new InvalidDataException($"{path} has {stream.Length - stream.Position:N0} bytes after its last entry, so it is not a TorchSharp state dict (or was written by another tool). Export the weights again with data-scripts/export-vgg16-weights.py.");
        }

        return entries;
    }

    private static long Leb128(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("A LEB128 number is longer than 64 bits.");
    }
}
