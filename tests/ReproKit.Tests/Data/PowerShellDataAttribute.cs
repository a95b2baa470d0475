using System.Reflection;
using Xunit.Sdk;

namespace ReproKit.Tests.Data;

/// <summary>
/// One row of theory data whose first value is <see cref="ScriptRunner.PowerShell"/>, followed by
/// <c>values</c>. The row is skipped when pwsh cannot run, except under CI=true, where it runs and fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class PowerShellDataAttribute : DataAttribute
{
    private readonly object[] values;

    public PowerShellDataAttribute(params object[] values)
    {
        this.values = values;
        Skip = PowerShellTool.SkipReason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[ScriptRunner.PowerShell, .. values]];
}
