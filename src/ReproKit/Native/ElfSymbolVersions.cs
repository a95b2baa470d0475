using System.Buffers.Binary;
using System.Text;

namespace ReproKit.Native;

/// <summary>
/// One symbol-version requirement of an ELF shared library (an <c>Elf64_Vernaux</c> entry of
/// <c>.gnu.version_r</c>): the library that must define <see cref="Version"/>, and whether the
/// requirement is weak (<c>VER_FLG_WEAK</c>), in which case the dynamic loader accepts a library
/// that lacks it.
/// </summary>
public sealed record ElfVersionRequirement(string Library, string Version, bool IsWeak, long FlagsOffset);

/// <summary>
/// Reads and edits the symbol-version sections of 64-bit little-endian ELF files (Linux x86-64 and
/// arm64 shared libraries). <see cref="MarkWeak"/> changes two bytes per entry in place and leaves every
/// other byte identical. Libraries that rewrite a whole ELF file would re-lay it out, so this is a small
/// parser of its own.
/// </summary>
public static class ElfSymbolVersions
{
    private const uint SectionTypeVersionNeeds = 0x6ffffffe;   // SHT_GNU_verneed
    private const uint SectionTypeVersionDefinitions = 0x6ffffffd;   // SHT_GNU_verdef
    private const ushort WeakFlag = 0x2;   // VER_FLG_WEAK

    /// <summary>Lists every version requirement in <c>.gnu.version_r</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF file or its version section is malformed.</exception>
    public static IReadOnlyList<ElfVersionRequirement> ReadRequirements(string path)
    {
        var image = File.ReadAllBytes(path);
        return ReadRequirements(image, path);
    }

    /// <summary>Lists the version names that the file defines in <c>.gnu.version_d</c> (for example <c>GLIBCXX_3.4.30</c>).</summary>
    public static IReadOnlySet<string> ReadDefinitions(string path)
    {
        var image = File.ReadAllBytes(path);
        var names = new HashSet<string>(StringComparer.Ordinal);

        foreach (var section in ReadSections(image, path).Where(s => s.Type == SectionTypeVersionDefinitions))
        {
            var strings = ReadSections(image, path)[checked((int)section.Link)];
            long entry = section.Offset;

            for (int i = 0; i < section.Info; i++)
            {
                // Elf64_Verdef: vd_version, vd_flags, vd_ndx, vd_cnt (u16 each), vd_hash, vd_aux, vd_next (u32 each).
                ushort auxCount = ReadUInt16(image, entry + 6, path);
                uint auxOffset = ReadUInt32(image, entry + 12, path);
                uint next = ReadUInt32(image, entry + 16, path);

                // The first Elf64_Verdaux (vda_name, vda_next) names the version itself; later ones name its parents.
                if (auxCount > 0)
                {
                    uint nameOffset = ReadUInt32(image, entry + auxOffset, path);
                    names.Add(ReadString(image, strings.Offset + nameOffset, path));
                }

                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return names;
    }

    /// <summary>
    /// Marks the named requirements weak in <paramref name="image"/>, an ELF file's bytes, and returns
    /// how many entries changed. Entries that are already weak are left alone.
    /// </summary>
    public static int MarkWeak(byte[] image, string displayName, IReadOnlyCollection<string> versions)
    {
        int changed = 0;

        foreach (var requirement in ReadRequirements(image, displayName))
        {
            if (requirement.IsWeak || !versions.Contains(requirement.Version))
            {
                continue;
            }

            ushort flags = ReadUInt16(image, requirement.FlagsOffset, displayName);
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan((int)requirement.FlagsOffset, 2), (ushort)(flags | WeakFlag));
            changed++;
        }

        return changed;
    }

    internal static IReadOnlyList<ElfVersionRequirement> ReadRequirements(byte[] image, string displayName)
    {
        var sections = ReadSections(image, displayName);
        var requirements = new List<ElfVersionRequirement>();

        foreach (var section in sections.Where(s => s.Type == SectionTypeVersionNeeds))
        {
            if (section.Link >= sections.Count)
            {
                throw Malformed(displayName, $".gnu.version_r links to string table {section.Link}, but the file has {sections.Count} sections");
            }

            var strings = sections[(int)section.Link];
            long entry = section.Offset;

            for (int i = 0; i < section.Info; i++)
            {
                // Elf64_Verneed: vn_version, vn_cnt (u16), vn_file, vn_aux, vn_next (u32).
                ushort auxCount = ReadUInt16(image, entry + 2, displayName);
                string library = ReadString(image, strings.Offset + ReadUInt32(image, entry + 4, displayName), displayName);
                long aux = entry + ReadUInt32(image, entry + 8, displayName);
                uint next = ReadUInt32(image, entry + 12, displayName);

                for (int j = 0; j < auxCount; j++)
                {
                    // Elf64_Vernaux: vna_hash (u32), vna_flags, vna_other (u16), vna_name, vna_next (u32).
                    ushort flags = ReadUInt16(image, aux + 4, displayName);
                    string version = ReadString(image, strings.Offset + ReadUInt32(image, aux + 8, displayName), displayName);
                    requirements.Add(new ElfVersionRequirement(library, version, (flags & WeakFlag) != 0, aux + 4));

                    uint auxNext = ReadUInt32(image, aux + 12, displayName);
                    if (auxNext == 0)
                    {
                        break;
                    }

                    aux += auxNext;
                }

                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return requirements;
    }

    private sealed record Section(uint Type, long Offset, long Size, uint Link, uint Info);

    private static List<Section> ReadSections(byte[] image, string displayName)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw Malformed(displayName, "it does not start with the ELF magic number");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw Malformed(displayName, "only 64-bit little-endian ELF files are supported");
        }

        long sectionTableOffset = (long)ReadUInt64(image, 0x28, displayName);
        ushort sectionHeaderSize = ReadUInt16(image, 0x3A, displayName);
        ushort sectionCount = ReadUInt16(image, 0x3C, displayName);
        var sections = new List<Section>(sectionCount);

        for (int i = 0; i < sectionCount; i++)
        {
            // Elf64_Shdr: sh_name, sh_type (u32), sh_flags, sh_addr, sh_offset, sh_size (u64), sh_link, sh_info (u32), ...
            long header = sectionTableOffset + ((long)i * sectionHeaderSize);
            sections.Add(new Section(
                Type: ReadUInt32(image, header + 4, displayName),
                Offset: (long)ReadUInt64(image, header + 24, displayName),
                Size: (long)ReadUInt64(image, header + 32, displayName),
                Link: ReadUInt32(image, header + 40, displayName),
                Info: ReadUInt32(image, header + 44, displayName)));
        }

        return sections;
    }

    private static ushort ReadUInt16(byte[] image, long offset, string displayName) =>
        BinaryPrimitives.ReadUInt16LittleEndian(Slice(image, offset, 2, displayName));

    private static uint ReadUInt32(byte[] image, long offset, string displayName) =>
        BinaryPrimitives.ReadUInt32LittleEndian(Slice(image, offset, 4, displayName));

    private static ulong ReadUInt64(byte[] image, long offset, string displayName) =>
        BinaryPrimitives.ReadUInt64LittleEndian(Slice(image, offset, 8, displayName));

    private static ReadOnlySpan<byte> Slice(byte[] image, long offset, int length, string displayName)
    {
        if (offset < 0 || offset + length > image.Length)
        {
            throw Malformed(displayName, $"a header points to offset {offset}, past the end of the {image.Length}-byte file");
        }

        return image.AsSpan((int)offset, length);
    }

    private static string ReadString(byte[] image, long offset, string displayName)
    {
        Slice(image, offset, 1, displayName);
        int end = Array.IndexOf(image, (byte)0, (int)offset);
        if (end < 0)
        {
            throw Malformed(displayName, $"the string at offset {offset} is not terminated");
        }

        return Encoding.ASCII.GetString(image, (int)offset, end - (int)offset);
    }

    private static InvalidDataException Malformed(string displayName, string reason) =>
        new($"Cannot read the symbol versions of '{displayName}': {reason}. Check that the file is a complete Linux shared library (reinstall the NuGet package if it is damaged).");
}
