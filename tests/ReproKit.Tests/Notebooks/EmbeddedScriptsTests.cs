using System.Text.RegularExpressions;
using ReproKit.Notebooks;

namespace ReproKit.Tests.Notebooks;

public sealed class EmbeddedScriptsTests
{
    [Fact]
    public void PlotlyJs_IsVersion2280()
    {
        Assert.Contains("plotly.js v2.28.0", EmbeddedScripts.PlotlyJs);
    }

    [Fact]
    public void KatexJs_ContainsKatex()
    {
        Assert.False(string.IsNullOrWhiteSpace(EmbeddedScripts.KatexJs));
        Assert.Contains("katex", EmbeddedScripts.KatexJs);
    }

    [Fact]
    public void PlotlyScriptElement_CarriesMarker()
    {
        string element = EmbeddedScripts.PlotlyScriptElement();

        Assert.Equal("data-reprokit-plotly", EmbeddedScripts.PlotlyMarker);
        Assert.StartsWith($"<script {EmbeddedScripts.PlotlyMarker}=\"2.28.0\">", element);
        Assert.EndsWith("</script>", element);
        Assert.Single(Regex.Matches(element, "</script", RegexOptions.IgnoreCase));
        Assert.Contains("plotly.js v2.28.0", element);
    }

    [Fact]
    public void EscapeScript_EscapesEndTagsInAnyCase()
    {
        string escaped = EmbeddedScripts.EscapeScript("a</script>b</SCRIPT>c</Script >");

        Assert.DoesNotContain("</script", escaped, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("a<\\/script>b", escaped);
    }

    [Fact]
    public void EscapeScript_KeepsCaseOfEndTag()
    {
        string escaped = EmbeddedScripts.EscapeScript("b</SCRIPT>c</Script >");

        Assert.Equal("b<\\/SCRIPT>c<\\/Script >", escaped);
    }
}
