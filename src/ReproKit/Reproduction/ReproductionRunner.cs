using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReproKit.Evaluation;
using ReproKit.Heads;
using ReproKit.Models;
using ReproKit.Native;
using ReproKit.Reporting;
using ReproKit.Training;
using TorchSharp;

namespace ReproKit.Reproduction;

/// <summary>
/// Trains every requested head on the same backbone, seed and data order, evaluates each without
/// margin, and writes the run folder: Table 2 (CSV, Markdown), Figure 4 (HTML, CSV), metrics.jsonl,
/// run.json, one evaluation JSON and one saved model per head.
/// </summary>
public sealed class ReproductionRunner
{
    /// <summary>File names inside a run folder.</summary>
    public const string RunJson = "run.json";

    /// <inheritdoc cref="RunJson" />
    public const string MetricsJsonl = "metrics.jsonl";

    /// <inheritdoc cref="RunJson" />
    public const string Table2Csv = "table2.csv";

    /// <inheritdoc cref="RunJson" />
    public const string Table2Markdown = "table2.md";

    /// <inheritdoc cref="RunJson" />
    public const string Figure4Html = "figure4.html";

    /// <inheritdoc cref="RunJson" />
    public const string Figure4Csv = "figure4.csv";

    /// <summary>JSON settings of run.json and the evaluation files: indented, snake_case, enums as names.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly ILogger _logger;

    /// <summary>Creates a runner that logs to <paramref name="logger"/>.</summary>
    public ReproductionRunner(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Receives a report after every training step.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Receives every epoch's metrics.</summary>
    public Action<EpochMetrics>? EpochCompleted { get; init; }

    /// <summary>
    /// Runs <paramref name="request"/>. Every setting is validated, and the output folder checked, before
    /// any data is loaded or any training starts.
    /// </summary>
    public ReproductionResult Run(ReproductionRequest request, CancellationToken cancellationToken = default)
    {
        if (request.ImageDataset is not null && request.Profile.Backbone.InputChannels != 3)
        {
            // Image datasets are RGB: the compact backbone of a Fashion-MNIST profile gets three input channels.
            request = request with { Profile = request.Profile with { Backbone = request.Profile.Backbone with { InputChannels = 3 } } };
        }

        var profile = request.Profile;
        Validate(request);
        var started = DateTimeOffset.Now;
        var total = Stopwatch.StartNew();

        var runtime = TorchRuntime.Initialize(_logger);
        var device = DeviceSelection.Resolve(request.Device);
        bool createdFolder = !Directory.Exists(request.RunDirectory);
        Directory.CreateDirectory(request.RunDirectory);

        try
        {
            return RunInFolder(request, device, runtime, started, total, cancellationToken);
        }
        catch when (createdFolder && !Directory.EnumerateFileSystemEntries(request.RunDirectory).Any())
        {
            // A run that failed before writing anything leaves no empty folder behind; one that wrote
            // metrics keeps them.
            Directory.Delete(request.RunDirectory);
            throw;
        }
    }

    private ReproductionResult RunInFolder(ReproductionRequest request, torch.Device device, TorchRuntimeInfo runtime, DateTimeOffset started, Stopwatch total, CancellationToken cancellationToken)
    {
        // Record the layout this device uses, not "Auto", in the log and in run.json.
        var training = request.Profile.Training with { Layout = MemoryLayouts.Resolve(request.Profile.Training.Layout, device) };
        request = request with { Profile = request.Profile with { Training = training } };
        var profile = request.Profile;
        _logger.LogInformation("Run folder: {Folder}", Path.GetFullPath(request.RunDirectory));
        _logger.LogInformation(
            "Profile {Profile}: {Summary}; {Epochs} epoch(s), batch {BatchSize}, learning rate {LearningRate}, seed {Seed}; device {Device}, {Threads} torch thread(s), {Layout} memory layout",
            profile.Name, profile.Summary, profile.Training.Epochs, profile.Training.BatchSize, profile.Training.LearningRate, profile.Training.Seed, device, torch.get_num_threads(), profile.Training.Layout);

        using IRunData data = PrepareData(request);
        var metricsLog = new MetricsLog(Path.Combine(request.RunDirectory, MetricsJsonl));
        var results = new List<HeadRunResult>();

        foreach (var head in request.Heads)
        {
            results.Add(TrainOne(request, head, data, device, metricsLog, cancellationToken));
        }

        var files = new List<string> { MetricsJsonl };
        files.AddRange(results.SelectMany(r => new[] { Relative(request, r.ModelPath + ".json"), Relative(request, r.ModelPath + ".weights"), Relative(request, EvaluationPath(request, r.Head)) }));

        var curves = Figure4Curves.Compute(FigureFunctions(request.Heads));
        Figure4Report.WriteHtml(Path.Combine(request.RunDirectory, Figure4Html), curves, "Target logit against the angle to the true class (Figure 4)", "Before scaling by s. The trained heads' margins, with SphereFace and the combined margin of the ArcFace paper's figure for reference");
        Figure4Report.WriteCsv(Path.Combine(request.RunDirectory, Figure4Csv), curves);
        files.AddRange([Figure4Html, Figure4Csv]);

        var table = BuildTable(data.DatasetLabel, results);
        Table2Report.WriteCsv(Path.Combine(request.RunDirectory, Table2Csv), table);
        Table2Report.WriteMarkdown(Path.Combine(request.RunDirectory, Table2Markdown), table);
        files.AddRange([Table2Csv, Table2Markdown, RunJson]);

        var manifest = new RunManifest(
            profile.Name,
            profile.Summary,
            started,
            total.Elapsed.TotalSeconds,
            profile.Backbone,
            profile.Training,
            request.Heads,
            data.Description,
            data.DatasetKey,
            EnvironmentReport.Collect(device, runtime.LibTorchSharpPath),
            results.Select(r => Summarise(request, r)).ToList(),
            files,
            (data as ImageRunData)?.BadImages);
        AtomicFile.WriteAllText(Path.Combine(request.RunDirectory, RunJson), JsonSerializer.Serialize(manifest, JsonOptions));

        _logger.LogInformation("Finished in {Seconds:F0} s; wrote {Count} files to {Folder}", total.Elapsed.TotalSeconds, files.Count, Path.GetFullPath(request.RunDirectory));
        return new ReproductionResult(request.RunDirectory, results, table, files);
    }

    /// <summary>Throws an error naming the first invalid setting, or an output folder that already contains files.</summary>
    public static void Validate(ReproductionRequest request)
    {
        request.Profile.Training.Validate();
        CompactVgg16.ValidateWidth(request.Profile.Backbone.Width);
        request.ImageLoading?.Validate();
        if (request.ImageDataset is not null && request.Profile.Backbone.Kind != BackboneKind.Compact && (request.ImageLoading?.ImageSize ?? 224) != 224)
        {
            throw new ArgumentException($"VGG-16 takes 224x224 images, but the image size is {request.ImageLoading!.ImageSize}. Use --image-size 224, or a compact profile.", nameof(request));
        }

        if (request.ImageDataset is null && request.Profile.Backbone.Kind != BackboneKind.Compact)
        {
            throw new ArgumentException($"Profile {request.Profile.Name} uses the 224x224 VGG-16, which needs an image dataset (voc2007, voc2012, caltech256 or folder), not Fashion-MNIST.", nameof(request));
        }

        if (request.Heads.Count == 0)
        {
            throw new ArgumentException("No head was requested. Choose at least one of softmax, lmcl, lmal.", nameof(request));
        }

        foreach (var head in request.Heads)
        {
            head.Validate();
        }

        var duplicate = request.Heads.GroupBy(h => h.DisplayName).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Head {duplicate.Key} was requested {duplicate.Count()} times; each head can appear once per run.", nameof(request));
        }

        if (File.Exists(request.RunDirectory))
        {
            throw new IOException($"Output path '{request.RunDirectory}' is a file. Choose a new folder for the run.");
        }

        if (Directory.Exists(request.RunDirectory) && Directory.EnumerateFileSystemEntries(request.RunDirectory).Any())
        {
            throw new IOException($"Output folder '{request.RunDirectory}' already contains files, which this run would overwrite. Choose a new folder, or omit the option to get a time-stamped one under runs/.");
        }
    }

    private IRunData PrepareData(ReproductionRequest request) => request.ImageDataset is null
        ? new InMemoryRunData(FashionMnistPreparation.Prepare(request.Profile, request.DataDirectory, _logger))
        : new ImageRunData(request.ImageDataset, request.ImageLoading ?? DefaultImageLoading(request.Profile), request.Profile.Training.BatchSize, (int)request.Profile.Training.Seed, _logger);

    /// <summary>224x224 for VGG-16, 64x64 for the compact backbone, which is built for small images.</summary>
    public static ImageLoadingOptions DefaultImageLoading(ReproductionProfile profile) =>
        new(ImageSize: profile.Backbone.Kind == BackboneKind.Compact ? 64 : 224);

    private HeadRunResult TrainOne(ReproductionRequest request, HeadSpec head, IRunData data, torch.Device device, MetricsLog metricsLog, CancellationToken cancellationToken)
    {
        var profile = request.Profile;
        _logger.LogInformation("Training {Head} on {Backbone}", head.Describe(), profile.Backbone.Describe());

        // The same seed before every model gives every head the same initial backbone weights.
        torch.manual_seed(profile.Training.Seed);
        var description = new ModelDescription(profile.Backbone, head, data.ClassNames, data.Mean, data.Std, data.DatasetKey, data.ImageSize);
        using var model = description.CreateModel();

        var clock = Stopwatch.StartNew();
        var trainer = new Trainer(profile.Training, device)
        {
            Progress = Progress,
            EpochCompleted = metrics =>
            {
                metricsLog.Append(metrics);
                EpochCompleted?.Invoke(metrics);
            },
        };
        var epochs = data.Train(trainer, model, head.DisplayName, cancellationToken);
        var evaluation = data.Evaluate(model, profile.Training.BatchSize * 2, device, profile.Training.Layout, cancellationToken);
        clock.Stop();

        var modelPath = Path.Combine(request.RunDirectory, "models", head.DisplayName.ToLowerInvariant());
        model.to(torch.CPU);
        description.Save(modelPath, model);
        var record = new EvaluationRecord(head.DisplayName, head.Describe(), Relative(request, modelPath), data.Description, evaluation);
        AtomicFile.WriteAllText(EvaluationPath(request, head), JsonSerializer.Serialize(record, JsonOptions));

        _logger.LogInformation("{Head}: top-1 {Top1:F2}%, top-5 {Top5:F2}% on {Count} test images ({Seconds:F0} s)", head.DisplayName, evaluation.Top1 * 100, evaluation.Top5 * 100, evaluation.Count, clock.Elapsed.TotalSeconds);
        return new HeadRunResult(head, evaluation, epochs, clock.Elapsed.TotalSeconds, modelPath);
    }

    private static IReadOnlyList<IMarginFunction> FigureFunctions(IReadOnlyList<HeadSpec> heads)
    {
        // The trained heads' own functions, plus the ArcFace figure's SphereFace and combined curves for context.
        var functions = heads.Select(h => h.CreateMarginFunction()).ToList();
        if (!heads.Any(h => h.Kind == HeadKind.Softmax))
        {
            functions.Insert(0, new PlainCosine());
        }

        functions.Add(new CombinedMargin(1.35, 0, 0));
        functions.Add(new CombinedMargin(1.0, 0.3, 0.2));
        return functions;
    }

    private static Table2 BuildTable(string datasetLabel, IReadOnlyList<HeadRunResult> results)
    {
        var cells = results
            .Where(r => r.Head.Kind is HeadKind.Softmax or HeadKind.Lmcl or HeadKind.Lmal)
            .ToDictionary(r => (r.Head.DisplayName, datasetLabel), r => r.Evaluation.Top1 * 100);
        return Table2.FromResults([datasetLabel], cells);
    }

    private static HeadSummary Summarise(ReproductionRequest request, HeadRunResult result) => new(
        result.Head.DisplayName,
        result.Head.Describe(),
        result.Evaluation.Top1 * 100,
        result.Evaluation.Top5 * 100,
        result.Evaluation.ClassNames.Select((name, i) => (name, value: result.Evaluation.PerClassAccuracy[i] * 100)).ToDictionary(p => p.name, p => p.value),
        result.Evaluation.ConfusionMatrix,
        result.TrainingSeconds,
        result.Epochs[^1].TrainLoss,
        Relative(request, result.ModelPath));

    private static string EvaluationPath(ReproductionRequest request, HeadSpec head) =>
        Path.Combine(request.RunDirectory, "evaluation", head.DisplayName.ToLowerInvariant() + ".json");

    private static string Relative(ReproductionRequest request, string path) =>
        Path.GetRelativePath(request.RunDirectory, path).Replace('\\', '/');
}
