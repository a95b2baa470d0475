using System.Reflection;
using System.Runtime.CompilerServices;

namespace ReproKit.Notebooks;

/// <summary>
/// Makes Plotly.NET run inside a .NET Interactive kernel. Plotly.NET 6 is built against FSharp.Core 10.1,
/// while the kernel (dotnet-interactive, dotnet-repl) already runs FSharp.Core 10.0. The kernel loads
/// each referenced assembly in its own load context, so a second FSharp.Core copy would split F# types in
/// two and Plotly.NET fails with MissingMethodException. This folder ships no FSharp.Core (the project file
/// leaves it out), and this resolver returns the already loaded copy for every FSharp.Core request.
/// </summary>
internal static class KernelAssemblyResolver
{
    private static int _installed;

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "The resolver must be in place before Plotly.NET first loads, which can happen in any cell.")]
    internal static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }
    }

    internal static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var requested = new AssemblyName(args.Name);
        if (!string.Equals(requested.Name, "FSharp.Core", StringComparison.Ordinal))
        {
            return null;
        }

        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => string.Equals(a.GetName().Name, "FSharp.Core", StringComparison.Ordinal))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
    }
}
