using System.Diagnostics;
using System.Text.Json;
using ReproKit.Models;
using ReproKit.Reproduction;
using ReproKit.Training;

namespace ReproKit.Tests.EndToEnd;

/// <summary>Runs the command-line program in a child process, as a user would, and reads back every file it writes.</summary>
public sealed class ReproduceCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reprokit-e2e-").FullName;

    public ReproduceCommandTests() => TorchFixture.Ensure();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int ExitCode, string Output) RunCli(params string[] arguments) => CliProcess.Run(null, arguments);

    [Fact]
    public void ReproduceTinyWritesEveryFile()
    {
        var run = Path.Combine(_folder, "run");

        var (exitCode, output) = RunCli("reproduce", "--profile", "tiny", "--out", run, "--device", "cpu");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Softmax", output);
        Assert.Contains("Paper:", output);

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        var root = manifest.RootElement;
        Assert.Equal("tiny", root.GetProperty("profile").GetString());
        Assert.Equal("ChannelsLast", root.GetProperty("training").GetProperty("layout").GetString());
        Assert.Equal("0.107.0", root.GetProperty("environment").GetProperty("torchsharp_version").GetString());
        var results = root.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["Softmax", "LMCL", "LMAL"], results.Select(r => r.GetProperty("head").GetString()));
        foreach (var result in results)
        {
            double top1 = result.GetProperty("top1_percent").GetDouble();
            Assert.InRange(top1, 0, 100);
            Assert.Equal(150, result.GetProperty("confusion_matrix").EnumerateArray().Sum(row => row.EnumerateArray().Sum(c => c.GetInt64())));
        }

        foreach (var file in root.GetProperty("files").EnumerateArray().Select(f => f.GetString()!))
        {
            Assert.True(File.Exists(Path.Combine(run, file)), $"run.json lists {file}, which is missing");
        }

        var metrics = MetricsLog.Read<EpochMetrics>(Path.Combine(run, "metrics.jsonl"));
        Assert.Equal(["Softmax", "LMCL", "LMAL"], metrics.Select(m => m.Head));
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.TrainLoss)));

        var table = File.ReadAllLines(Path.Combine(run, "table2.csv"));
        Assert.Equal(4, table.Length);
        Assert.StartsWith("Softmax,", table[1]);
        Assert.StartsWith("LMCL,", table[2]);
        Assert.StartsWith("LMAL,", table[3]);
        var softmaxTop1 = results[0].GetProperty("top1_percent").GetDouble();
        Assert.Contains(softmaxTop1.ToString("F2", System.Globalization.CultureInfo.InvariantCulture), table[1]);
        Assert.Contains("75.27", table[1]);

        Assert.Contains("not reported", File.ReadAllText(Path.Combine(run, "table2.md")));
        Assert.Contains("plotly.js v2.28.0", File.ReadAllText(Path.Combine(run, "figure4.html")));
        var figure = File.ReadAllLines(Path.Combine(run, "figure4.csv"));
        Assert.StartsWith("theta_deg,Softmax,LMCL (m=0.35),LMAL (m=0.5 rad)", figure[0]);

        foreach (var (head, result) in new[] { "softmax", "lmcl", "lmal" }.Zip(results))
        {
            using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation", head + ".json")));
            var recorded = evaluation.RootElement.GetProperty("result");
            Assert.Equal(result.GetProperty("head").GetString(), evaluation.RootElement.GetProperty("head").GetString());
            Assert.Equal(150, recorded.GetProperty("count").GetInt64());
            Assert.Equal(result.GetProperty("top1_percent").GetDouble(), recorded.GetProperty("top1").GetDouble() * 100, 9);
            Assert.Equal(10, recorded.GetProperty("per_class_accuracy").GetArrayLength());
        }

        var (description, model) = ModelDescription.Load(Path.Combine(run, "models", "lmal"));
        using (model)
        {
            Assert.Equal(ReproKit.Heads.HeadKind.Lmal, description.Head.Kind);
            Assert.Equal(10, description.ClassNames.Count);
        }

        var (evaluateExit, evaluateOutput) = RunCli("evaluate", "--model", Path.Combine(run, "models", "lmal"), "--device", "cpu");
        Assert.True(evaluateExit == 0, evaluateOutput);
        var lmalTop1 = results[2].GetProperty("top1_percent").GetDouble();
        Assert.Contains($"top-1 {lmalTop1.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}%", evaluateOutput);
    }

    [Fact]
    public void ReproduceRefusesNonEmptyFolder()
    {
        var run = Path.Combine(_folder, "existing");
        Directory.CreateDirectory(run);
        var keep = Path.Combine(run, "notes.txt");
        File.WriteAllText(keep, "earlier result");

        var (exitCode, output) = RunCli("reproduce", "--profile", "tiny", "--out", run);

        Assert.Equal(2, exitCode);
        Assert.Contains("already contains files", output);
        Assert.Equal("earlier result", File.ReadAllText(keep));
    }

    [Theory]
    [InlineData("--scale", "0", "scale s is 0")]
    [InlineData("--cos-margin", "1.5", "LMCL cosine margin m is 1.5")]
    [InlineData("--arc-margin-deg", "120", "--arc-margin-deg is 120, but the LMAL margin must be in [0, 90] degrees")]
    [InlineData("--arc-margin-rad", "-1", "LMAL angular margin m (radians) is -1")]
    [InlineData("--profile", "huge", "Profile 'huge' does not exist")]
    [InlineData("--epochs", "0", "--epochs: The training setting Epochs is 0")]
    [InlineData("--learning-rate", "-1", "--learning-rate: The training setting LearningRate is -1")]
    [InlineData("--memory-layout", "nhwc", "--memory-layout 'nhwc' is not valid. Use auto, channels-first or channels-last.")]
    public void ReproduceRejectsInvalidOption(string option, string value, string expected)
    {
        var (exitCode, output) = RunCli("reproduce", option, value, "--out", Path.Combine(_folder, "never"));

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output.ReplaceLineEndings(" "));
        Assert.DoesNotContain("(Parameter '", output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "never")), "an invalid run must not create its folder");
    }

    [Fact]
    public void Figure4CommandWritesChosenMargins()
    {
        var folder = Path.Combine(_folder, "figure");

        var (exitCode, output) = RunCli("figure4", "--out", folder, "--arc-margin-deg", "30", "--theta-min-deg", "0", "--theta-max-deg", "180");

        Assert.True(exitCode == 0, output);
        var lines = File.ReadAllLines(Path.Combine(folder, "figure4.csv"));
        var header = lines[0].Split(',');
        int lmal = Array.FindIndex(header, h => h.StartsWith("LMAL", StringComparison.Ordinal));
        var at90 = lines.Skip(1).Select(l => l.Split(',')).Single(cells => double.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture) == 90);
        Assert.Equal(Math.Cos(Math.PI / 2 + (Math.PI / 6)), double.Parse(at90[lmal], System.Globalization.CultureInfo.InvariantCulture), 9);
    }

    [Fact]
    public void UnparsableValueNamedBriefly()
    {
        var (exitCode, output) = RunCli("reproduce", "--cos-margin", "abc", "--out", Path.Combine(_folder, "never"));

        Assert.Equal(2, exitCode);
        Assert.Contains("abc", output);
        Assert.Contains("--cos-margin", output);
        Assert.DoesNotContain("Usage:", output);
        Assert.False(Directory.Exists(Path.Combine(_folder, "never")));
    }

    [Theory]
    [InlineData("--epochs", "many", "as a whole number")]
    [InlineData("--cos-margin", "abc", "as a number")]
    [InlineData("--learning-rate", "fast", "as a number")]
    public void UnparsableValueNamesExpectedKind(string option, string value, string expected)
    {
        var (exitCode, output) = RunCli("reproduce", option, value, "--out", Path.Combine(_folder, "never"));

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, output);
        Assert.Contains(value, output);
        Assert.DoesNotContain("System.", output);
        Assert.DoesNotContain("Nullable", output);
    }

    [Fact]
    public void CombinedHeadPrintedBelowTable2()
    {
        var run = Path.Combine(_folder, "combined");

        var (exitCode, output) = RunCli("reproduce", "--profile", "tiny", "--heads", "softmax,combined", "--out", run, "--device", "cpu");

        Assert.True(exitCode == 0, output);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        var combined = manifest.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("head").GetString() == "Combined");
        string top1 = combined.GetProperty("top1_percent").GetDouble().ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"top-1 {top1}%", output);
        Assert.Contains("Table 2 has no row for it", output);
    }

    [Fact]
    public void HelpStillExitsZero()
    {
        var (exitCode, output) = RunCli("reproduce", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--arc-margin-deg", output);
    }

    [Fact]
    public void FailedRunLeavesNoEmptyFolder()
    {
        var emptyData = Path.Combine(_folder, "empty-data");
        Directory.CreateDirectory(emptyData);
        var run = Path.Combine(_folder, "failed-run");

        var (exitCode, output) = RunCli("reproduce", "--profile", "tiny", "--data", emptyData, "--out", run);

        Assert.Equal(2, exitCode);
        Assert.Contains(emptyData, output);
        Assert.False(Directory.Exists(run), "a run that wrote nothing must not leave its folder behind");
    }

    [Fact]
    public void EvaluateKeepsExistingJson()
    {
        var run = Path.Combine(_folder, "run");
        var (trainExit, trainOutput) = RunCli("train", "--head", "lmcl", "--profile", "tiny", "--out", run);
        Assert.True(trainExit == 0, trainOutput);
        var existing = Path.Combine(_folder, "result.json");
        File.WriteAllText(existing, "earlier result");

        var (exitCode, output) = RunCli("evaluate", "--model", Path.Combine(run, "models", "lmcl"), "--json", existing);

        Assert.Equal(2, exitCode);
        Assert.Contains("already exists", output);
        Assert.Equal("earlier result", File.ReadAllText(existing));

        var fresh = Path.Combine(_folder, "new", "result.json");
        var (freshExit, freshOutput) = RunCli("evaluate", "--model", Path.Combine(run, "models", "lmcl"), "--json", fresh);
        Assert.True(freshExit == 0, freshOutput);
        using var record = JsonDocument.Parse(File.ReadAllText(fresh));
        Assert.Equal("LMCL", record.RootElement.GetProperty("head").GetString());
        Assert.Equal(150, record.RootElement.GetProperty("result").GetProperty("count").GetInt64());
    }

    [Fact]
    public void Figure4KeepsExistingFiles()
    {
        var folder = Path.Combine(_folder, "figure");
        Directory.CreateDirectory(folder);
        var existing = Path.Combine(folder, "figure4.html");
        File.WriteAllText(existing, "an earlier figure");

        var (exitCode, output) = RunCli("figure4", "--out", folder);

        Assert.Equal(2, exitCode);
        Assert.Contains("already exists", output);
        Assert.Contains("--overwrite", output);
        Assert.Equal("an earlier figure", File.ReadAllText(existing));

        var (overwriteExit, overwriteOutput) = RunCli("figure4", "--out", folder, "--overwrite");
        Assert.True(overwriteExit == 0, overwriteOutput);
        Assert.Contains("plotly.js", File.ReadAllText(existing));
    }

    [Fact]
    public void EvaluateMissingModelNamed()
    {
        var (exitCode, output) = RunCli("evaluate", "--model", Path.Combine(_folder, "nothing", "lmal"));

        Assert.Equal(2, exitCode);
        Assert.Contains("lmal.json", output);
        Assert.Contains("was not found", output);
    }
}
