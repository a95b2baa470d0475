namespace ReproKit.Tests.Data;

/// <summary>
/// A fact that needs Debian's dataset-fashion-mnist package and PowerShell 7 from the local .NET tool. It is
/// skipped where either is missing, except under CI=true, where it runs and fails.
/// </summary>
internal sealed class DebianDataPowerShellFactAttribute : FactAttribute
{
    public DebianDataPowerShellFactAttribute()
    {
        Skip = new DebianDataFactAttribute().Skip ?? PowerShellTool.SkipReason;
    }
}
