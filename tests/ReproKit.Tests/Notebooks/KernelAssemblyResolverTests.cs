using System.Reflection;
using Microsoft.FSharp.Core;
using ReproKit.Notebooks;

namespace ReproKit.Tests.Notebooks;

public sealed class KernelAssemblyResolverTests
{
    [Fact]
    public void Resolve_FSharpCoreReturnsLoadedCopy()
    {
        Assembly loaded = typeof(FSharpOption<int>).Assembly;
        var request = new ResolveEventArgs("FSharp.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a");

        Assembly? resolved = KernelAssemblyResolver.Resolve(null, request);

        Assert.Same(loaded, resolved);
    }

    [Theory]
    [InlineData("Plotly.NET, Version=6.0.0.0, Culture=neutral, PublicKeyToken=null")]
    [InlineData("FSharp.Core.Extras, Version=1.0.0.0, Culture=neutral, PublicKeyToken=null")]
    public void Resolve_OtherNamesGetNull(string name)
    {
        Assembly? resolved = KernelAssemblyResolver.Resolve(null, new ResolveEventArgs(name));

        Assert.Null(resolved);
    }
}
