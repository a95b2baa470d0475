using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using ReproKit.Data;
using ReproKit.Native;
using ReproKit.Reproduction;
using ReproKit.Training;
using TorchSharp;

namespace ReproKit.Notebooks;

/// <summary>
/// What every notebook starts with: the native runtime loaded, the settings read, the device chosen and the
/// display formatters registered. Shown as a cell's result, it prints the versions, device, profile and data,
/// and carries plotly.js for the notebook's charts.
/// </summary>
public sealed class NotebookSession
{
    private static readonly object Gate = new();
    private static bool _formattersRegistered;

    private NotebookSession(NotebookSettings settings, TorchRuntimeInfo runtime, torch.Device device)
    {
        Settings = settings;
        Runtime = runtime;
        Device = device;
        Profile = settings.ResolveProfile();
        RunsDirectory = settings.ResolveRunsDirectory();
        Environment = EnvironmentReport.Collect(device, runtime.LibTorchSharpPath);
        EmbeddedData = FashionMnist.FindEmbeddedDirectory();
        FullTrainingSplit = FashionMnist.Locate(FashionMnistSplit.Train, null);
    }

    /// <summary>The settings in force.</summary>
    public NotebookSettings Settings { get; }

    /// <summary>The run profile every training cell uses.</summary>
    public ReproductionProfile Profile { get; }

    /// <summary>Where finished runs are kept (absolute).</summary>
    public string RunsDirectory { get; }

    /// <summary>The device tensors and models go to.</summary>
    public torch.Device Device { get; }

    /// <summary>The native libraries that were loaded.</summary>
    public TorchRuntimeInfo Runtime { get; }

    /// <summary>Versions and machine facts.</summary>
    public EnvironmentReport Environment { get; }

    /// <summary>The folder of the embedded 10,000-image test split, or null when it was not found.</summary>
    public string? EmbeddedData { get; }

    /// <summary>The official 60,000-image training split, when it is on this machine.</summary>
    public FashionMnistLocation? FullTrainingSplit { get; }

    /// <summary>Loads TorchSharp through the kit's loader, reads the settings and registers the notebook formatters.</summary>
    public static NotebookSession Start()
    {
        var settings = NotebookSettings.Load();
        var runtime = TorchRuntime.Initialize();
        var device = DeviceSelection.Resolve(settings.Device);
        RegisterFormatters();
        return new NotebookSession(settings, runtime, device);
    }

    /// <summary>Registers HTML formatters for charts, data frames, sessions and <see cref="HtmlBlock"/>; safe to call twice.</summary>
    public static void RegisterFormatters()
    {
        lock (Gate)
        {
            if (_formattersRegistered)
            {
                return;
            }

            Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartHtml.Render(chart)), HtmlFormatter.MimeType);
            Formatter.Register<DataFrame>((frame, writer) => writer.Write(DataFrameHtml.Render(frame)), HtmlFormatter.MimeType);
            Formatter.Register<NotebookSession>((session, writer) => writer.Write(session.ToHtml()), HtmlFormatter.MimeType);
            Formatter.Register<HtmlBlock>((block, writer) => writer.Write(block.Html), HtmlFormatter.MimeType);
            foreach (var type in new[] { typeof(GenericChart), typeof(DataFrame), typeof(NotebookSession), typeof(HtmlBlock) })
            {
                Formatter.SetPreferredMimeTypesFor(type, HtmlFormatter.MimeType);
            }

            _formattersRegistered = true;
        }
    }

    /// <summary>The summary table plus the inline plotly.js that the notebook's charts draw with.</summary>
    public string ToHtml()
    {
        var rows = new List<(string, string)>
        {
            ("ReproKit", Environment.ReproKitVersion),
            ("TorchSharp / libtorch", $"{Environment.TorchSharpVersion} / {Environment.LibTorchVersion}"),
            ("Plotly.NET (plotly.js)", $"{Environment.PlotlyNetVersion} (2.28.0, inline)"),
            (".NET", Environment.DotNetVersion),
            ("Machine", $"{Environment.Processor}, {Environment.LogicalCores} logical cores, {Environment.MemoryGiB.ToString("F1", CultureInfo.InvariantCulture)} GiB; {Environment.OperatingSystem}"),
            ("Device", $"{Device} ({Environment.TorchThreads} torch threads; CUDA {(Runtime.CudaAvailable ? "available" : "not available")})"),
            ("Profile", $"{Profile.Name}: {Profile.Summary}; {Profile.Training.Epochs} epoch(s)"),
            ("Settings", (Settings.SourceFile ?? "defaults (no settings.json found)") + (Settings.Overrides.Count > 0 ? "; overridden by " + string.Join(", ", Settings.Overrides) : string.Empty)),
            ("Finished runs", RunsDirectory + (Settings.Retrain ? " (retrain: on)" : " (reused when the configuration matches)")),
            ("Embedded data", EmbeddedData ?? "not found: the repository's data/fashion-mnist is missing"),
            ("Full training split", FullTrainingSplit is null ? "not on this machine (the quick and tiny profiles do not need it)" : $"{FullTrainingSplit.ImagesPath} ({FullTrainingSplit.Source})"),
        };
        var html = new StringBuilder();
        html.Append("<table class=\"reprokit-session\">");
        foreach (var (name, value) in rows)
        {
            html.Append("<tr><th style=\"text-align:left\">").Append(WebUtility.HtmlEncode(name)).Append("</th><td style=\"text-align:left\">")
                .Append(WebUtility.HtmlEncode(value)).Append("</td></tr>");
        }

        html.Append("</table>");
        html.Append(EmbeddedScripts.PlotlyScriptElement());
        return html.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => $"ReproKit {Environment.ReproKitVersion}, profile {Profile.Name}, device {Device}";
}

/// <summary>A piece of HTML that the notebook shows as it is.</summary>
/// <param name="Html">The markup.</param>
public sealed record HtmlBlock(string Html)
{
    /// <summary>CSS class of a status line; an exported report keeps only a cell's last one.</summary>
    public const string StatusClass = "reprokit-status";

    /// <summary>
    /// A one-line status for <c>display(...)</c> and <c>.Update(...)</c>. VS Code replaces the line in place, but a
    /// headless run records every update; the report exporter keeps the last.
    /// </summary>
    public static HtmlBlock Status(string text) =>
        new($"<div class=\"{StatusClass}\">{System.Net.WebUtility.HtmlEncode(text)}</div>");
}
