namespace ReproKit.Tests.Reporting;

/// <summary>A fact that renders a page in Debian's Chromium (package chromium).</summary>
internal sealed class ChromiumFactAttribute : DebianPackageFactAttribute
{
    public ChromiumFactAttribute() : base("/usr/bin/chromium", "chromium")
    {
    }
}
