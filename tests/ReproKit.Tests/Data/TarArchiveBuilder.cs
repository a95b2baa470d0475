using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace ReproKit.Tests.Data;

/// <summary>
/// Builds a small tar archive in memory with entry names and link targets exactly as given, including
/// names that a safe extractor must reject ("../escape.txt", "/tmp/x", links that leave the folder).
/// </summary>
internal sealed class TarArchiveBuilder
{
    private readonly List<PaxTarEntry> entries = [];

    public TarArchiveBuilder Directory(string name)
    {
        entries.Add(new PaxTarEntry(TarEntryType.Directory, name));
        return this;
    }

    public TarArchiveBuilder File(string name, string content)
    {
        entries.Add(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });
        return this;
    }

    public TarArchiveBuilder SymbolicLink(string name, string target)
    {
        entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
        return this;
    }

    /// <summary>Adds a hard link, whose <paramref name="target"/> tar resolves from the archive root.</summary>
    public TarArchiveBuilder HardLink(string name, string target)
    {
        entries.Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public byte[] Build()
    {
        using var archive = new MemoryStream();
        using (var writer = new TarWriter(archive, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (PaxTarEntry entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        return archive.ToArray();
    }

    /// <summary>Returns the MD5 of <paramref name="content"/> as 32 lower-case hexadecimal digits, as md5sum prints it.</summary>
    public static string Md5Hex(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
}
