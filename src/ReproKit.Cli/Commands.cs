using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ReproKit.Data;
using ReproKit.Evaluation;
using ReproKit.Heads;
using ReproKit.Models;
using ReproKit.Native;
using ReproKit.Reporting;
using ReproKit.Reproduction;
using ReproKit.Training;
using Spectre.Console;
using TorchSharp;

namespace ReproKit.Cli;

/// <summary>The command-line commands; each is a thin front end over one library call.</summary>
internal static class Commands
{
    private static readonly ILogger Logger = new ConsoleLogger(LogLevel.Information);

    private static readonly Option<string> ProfileOption = new("--profile")
    {
        Description = "Run profile: quick (embedded data, a few minutes on a CPU), full (60,000-image training split when present), tiny (smoke test) or paper (VGG-16 at 224x224 on an image dataset; needs a GPU).",
        DefaultValueFactory = _ => ReproductionProfiles.Quick.Name,
    };

    private static readonly Option<string?> OutOption = new("--out")
    {
        Description = "Run folder to create; it must not exist or be empty. Default: runs/<time>-<profile>-<command>.",
    };

    private static readonly Option<string> DeviceOption = new("--device")
    {
        Description = "auto (CUDA when available, else CPU), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };

    private static readonly Option<string?> DataOption = new("--data")
    {
        Description = "Fashion-MNIST: folder holding the IDX files (default: the downloaded copy, Debian's package, then the embedded test split). Image datasets: the dataset's folder (for VOC, the folder that contains VOCdevkit).",
    };

    private static readonly Option<string> DatasetOption = new("--dataset")
    {
        Description = "fashion-mnist (default), voc2007 (trainval/test), voc2012 (train/val), caltech256 (--train-per-class per class, the rest test) or folder (train/ and val/ class folders). Image datasets need --data.",
        DefaultValueFactory = _ => "fashion-mnist",
    };

    private static readonly Option<int?> ImageSizeOption = new("--image-size") { Description = "Image datasets: input side in pixels, 16 to 1024. Default: 224 for the paper profile's VGG-16, 64 for compact profiles." };

    private static readonly Option<int> WorkersOption = new("--workers") { Description = "Image datasets: decoding threads (0 for one per processor).", DefaultValueFactory = _ => 0 };

    private static readonly Option<string?> CacheOption = new("--image-cache") { Description = "Image datasets: folder for decoded, resized images, so epochs after the first skip JPEG decoding." };

    private static readonly Option<bool> SkipBadImagesOption = new("--skip-bad-images")
    {
        Description = "Image datasets: leave out unreadable images (truncated, empty, not an image, too large), count them and list them in the log and run.json, instead of stopping at the first.",
    };

    private static readonly Option<string?> VggWeightsOption = new("--vgg-weights")
    {
        Description = "Profile paper: torchvision VGG-16 weights in TorchSharp format (data-scripts/export-vgg16-weights.py writes the ImageNet ones); without it VGG-16 starts from random weights.",
    };

    private static readonly DataCommands.DatasetOptions ImageDatasetOptions = new();

    private static readonly Option<int?> EpochsOption = new("--epochs") { Description = "Override the profile's number of epochs (at least 1)." };

    private static readonly Option<long?> SeedOption = new("--seed") { Description = "Override the profile's seed (weights, data order, augmentation)." };

    private static readonly Option<double> ScaleOption = new("--scale")
    {
        Description = "Scale s of the LMCL and LMAL logits, greater than 0.",
        DefaultValueFactory = _ => HeadSpec.DefaultScale,
    };

    private static readonly Option<double> CosMarginOption = new("--cos-margin")
    {
        Description = "LMCL margin m in cosine units, in [0, 1] (CosFace: 0.35).",
        DefaultValueFactory = _ => HeadSpec.DefaultCosineMargin,
    };

    private static readonly Option<double?> ArcMarginRadOption = new("--arc-margin-rad")
    {
        Description = "LMAL margin m in radians, in [0, pi/2] (ArcFace: 0.5). Default 0.5.",
    };

    private static readonly Option<double?> ArcMarginDegOption = new("--arc-margin-deg")
    {
        Description = "LMAL margin m in degrees, in [0, 90]; an alternative to --arc-margin-rad.",
    };

    private static readonly Option<bool> OverwriteOption = new("--overwrite")
    {
        Description = "Replace output files that already exist (without it, existing files are left alone and the command stops).",
    };

    private static readonly Option<string> MemoryLayoutOption = new("--memory-layout")
    {
        Description = "Memory layout of image batches and convolution weights: auto (channels-last on the CPU, channels-first on CUDA), channels-first or channels-last. Changes speed, and slightly the trained weights, because the layouts round differently (docs/benchmarks.md).",
        DefaultValueFactory = _ => "auto",
    };

    private static readonly Option<double?> LearningRateOption = new("--learning-rate")
    {
        Description = "Override the profile's peak SGD learning rate (greater than 0).",
    };

    private static readonly Dictionary<string, string> TrainingSettingOptions = new(StringComparer.Ordinal)
    {
        [nameof(TrainingOptions.Epochs)] = "--epochs",
        [nameof(TrainingOptions.LearningRate)] = "--learning-rate",
        [nameof(TrainingOptions.Layout)] = "--memory-layout",
    };

    /// <summary>
    /// Returns the message of an input error without .NET's "(Parameter 'x')" and "Actual value was"
    /// suffixes, which name code rather than the option the user typed.
    /// </summary>
    public static string DescribeUserError(Exception error)
    {
        var message = error.Message;
        if (error is Images.ImageDecodeException)
        {
            message += " Or pass --skip-bad-images to leave unreadable files out of the run and list them in run.json.";
        }

        if (error is ArgumentException { ParamName: string parameter })
        {
            int suffix = message.IndexOf($" (Parameter '{parameter}')", StringComparison.Ordinal);
            if (suffix >= 0)
            {
                message = message[..suffix];
            }

            // TrainingOptions errors name the setting, so prefix the command-line option that sets it.
            if (TrainingSettingOptions.TryGetValue(parameter, out string? option))
            {
                message = $"{option}: {message}";
            }
        }

        return message;
    }

    /// <summary>
    /// Rewrites System.CommandLine's "as expected type 'System.Nullable`1[[System.Int32, ...]]'" into the kind of
    /// value the option takes, so that the message names what to type rather than a .NET type.
    /// </summary>
    public static string DescribeParseError(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '([^']*)'", match =>
        {
            string type = match.Groups[1].Value;
            string expected = type.Contains("System.Int32", StringComparison.Ordinal) || type.Contains("System.Int64", StringComparison.Ordinal) ? "a whole number"
                : type.Contains("System.Double", StringComparison.Ordinal) || type.Contains("System.Single", StringComparison.Ordinal) ? "a number (for example 0.5)"
                : type.Contains("System.Boolean", StringComparison.Ordinal) ? "true or false"
                : "the option's kind of value (see --help)";
            return $"as {expected}";
        });

    /// <summary>Errors caused by input, printed as one message instead of a stack trace.</summary>
    public static bool IsUserError(Exception error) =>
        error is ArgumentException or IOException or InvalidDataException or InvalidOperationException or UnauthorizedAccessException or Datasets.DatasetException or Images.ImageDecodeException;

    public static Command Reproduce()
    {
        var headsOption = new Option<string>("--heads")
        {
            Description = "Comma-separated heads to train: softmax, lmcl, lmal, combined (Table 2 has rows for the first three).",
            DefaultValueFactory = _ => "softmax,lmcl,lmal",
        };
        var command = new Command("reproduce", "Train softmax, LMCL and LMAL on the same backbone, seed and data order; write Table 2, Figure 4, metrics and run.json.")
        {
            ProfileOption, OutOption, DeviceOption, DataOption, EpochsOption, SeedOption, LearningRateOption, MemoryLayoutOption, ScaleOption, CosMarginOption, ArcMarginRadOption, ArcMarginDegOption, headsOption,
        };
        AddDatasetOptions(command);
        command.SetAction(parse =>
        {
            double scale = parse.GetValue(ScaleOption);
            double arc = ArcMarginRadians(parse);
            var heads = parse.GetValue(headsOption)!
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(name => ParseHead(name, scale, parse.GetValue(CosMarginOption), arc, 1.0))
                .ToList();
            return RunAndReport(parse, heads, "reproduce");
        });
        return command;
    }

    public static Command Train()
    {
        var headOption = new Option<string>("--head")
        {
            Description = "Head to train: softmax, lmcl, lmal or combined. For combined, --m1 sets m1, --arc-margin-rad (or -deg) sets m2 and --cos-margin sets m3.",
            Required = true,
        };
        var m1Option = new Option<double>("--m1") { Description = "Combined head only: multiplicative margin m1 in [1, 4] (SphereFace).", DefaultValueFactory = _ => 1.0 };
        var command = new Command("train", "Train one head with chosen s and m; writes the same run folder as reproduce, with one model.")
        {
            headOption, ProfileOption, OutOption, DeviceOption, DataOption, EpochsOption, SeedOption, LearningRateOption, MemoryLayoutOption, ScaleOption, CosMarginOption, ArcMarginRadOption, ArcMarginDegOption, m1Option,
        };
        AddDatasetOptions(command);
        command.SetAction(parse =>
        {
            var head = ParseHead(parse.GetValue(headOption)!, parse.GetValue(ScaleOption), parse.GetValue(CosMarginOption), ArcMarginRadians(parse), parse.GetValue(m1Option));
            return RunAndReport(parse, [head], "train");
        });
        return command;
    }

    public static Command Evaluate()
    {
        var modelOption = new Option<string>("--model") { Description = "Saved model: the models/NAME stem (or its .json or .weights file) in a run folder.", Required = true };
        var jsonOption = new Option<string?>("--json") { Description = "Also write the full result (per-class accuracy, confusion matrix) to this JSON file." };
        var command = new Command("evaluate", "Evaluate a saved model, without margin, on the test set it was trained for.") { modelOption, DataOption, DeviceOption, jsonOption, OverwriteOption, SkipBadImagesOption };
        command.SetAction(parse =>
        {
            if (parse.GetValue(jsonOption) is string requestedJson)
            {
                RequireWritable(requestedJson, parse.GetValue(OverwriteOption));
                var parent = Path.GetDirectoryName(Path.GetFullPath(requestedJson));
                if (!string.IsNullOrEmpty(parent))
                {
                    Directory.CreateDirectory(parent);
                }
            }

            TorchRuntime.Initialize(Logger);
            var device = DeviceSelection.Resolve(parse.GetValue(DeviceOption)!);
            var (description, model) = ModelDescription.Load(parse.GetValue(modelOption)!);
            using (model)
            {
                model.to(device);
                string testName;
                EvaluationResult result;
                if (Datasets.ImageDatasets.IsImageKey(description.Dataset))
                {
                    var policy = parse.GetValue(SkipBadImagesOption) ? Images.BadImagePolicy.Skip : Images.BadImagePolicy.Error;
                    var source = ImageRunData.CreateTestSource(description.Dataset, description.ImageSize ?? 224, description.Mean, description.Std, parse.GetValue(DataOption), Logger, policy);
                    using (source as IDisposable)
                    {
                        testName = source.Name;
                        result = Evaluator.Evaluate(model, source, device);
                    }
                }
                else
                {
                    using var test = FashionMnistPreparation.LoadTestSet(description.Dataset, parse.GetValue(DataOption), description.Mean[0], description.Std[0]);
                    testName = test.Name;
                    result = Evaluator.Evaluate(model, test, 256, device);
                }

                PrintEvaluation(description.Head.Describe(), testName, result);
                if (parse.GetValue(jsonOption) is string jsonPath)
                {
                    var record = new EvaluationRecord(description.Head.DisplayName, description.Head.Describe(), Path.GetFullPath(parse.GetValue(modelOption)!), testName, result);
                    File.WriteAllText(jsonPath, JsonSerializer.Serialize(record, ReproductionRunner.JsonOptions));
                    Logger.LogInformation("Wrote {Path}", Path.GetFullPath(jsonPath));
                }
            }

            return 0;
        });
        return command;
    }

    public static Command Figure4()
    {
        var outOption = new Option<string>("--out") { Description = "Folder for figure4.html and figure4.csv (created if missing).", DefaultValueFactory = _ => "figure4" };
        var sphereOption = new Option<double>("--sphere-m1") { Description = "SphereFace multiplicative margin m1 in [1, 4].", DefaultValueFactory = _ => 1.35 };
        var combinedOption = new Option<string>("--combined") { Description = "Combined margin m1,m2(rad),m3.", DefaultValueFactory = _ => "1,0.3,0.2" };
        var minOption = new Option<double>("--theta-min-deg") { Description = "Smallest angle drawn, in degrees, at least 0.", DefaultValueFactory = _ => 20 };
        var maxOption = new Option<double>("--theta-max-deg") { Description = "Largest angle drawn, in degrees, at most 180.", DefaultValueFactory = _ => 100 };
        var command = new Command("figure4", "Draw Figure 4, the target logit against theta, for chosen margins.")
        {
            outOption, CosMarginOption, ArcMarginRadOption, ArcMarginDegOption, sphereOption, combinedOption, minOption, maxOption, OverwriteOption,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(outOption)!;
            if (File.Exists(folder))
            {
                throw new IOException($"--out is '{folder}', which is a file. Give a folder for figure4.html and figure4.csv.");
            }

            RequireWritable(Path.Combine(folder, ReproductionRunner.Figure4Html), parse.GetValue(OverwriteOption));
            RequireWritable(Path.Combine(folder, ReproductionRunner.Figure4Csv), parse.GetValue(OverwriteOption));
            TorchRuntime.Initialize(Logger);
            var combined = ParseTriple(parse.GetValue(combinedOption)!, "--combined");
            var functions = new IMarginFunction[]
            {
                new PlainCosine(),
                new CombinedMargin(parse.GetValue(sphereOption), 0, 0),
                new CosineMargin(parse.GetValue(CosMarginOption)),
                new AngularMargin(ArcMarginRadians(parse)),
                new CombinedMargin(combined[0], combined[1], combined[2]),
            };
            var curves = Figure4Curves.Compute(functions, parse.GetValue(minOption), parse.GetValue(maxOption));
            Figure4Report.WriteHtml(Path.Combine(folder, ReproductionRunner.Figure4Html), curves, "Target logit against the angle to the true class (Figure 4)", "Before scaling by s");
            Figure4Report.WriteCsv(Path.Combine(folder, ReproductionRunner.Figure4Csv), curves);
            Logger.LogInformation("Wrote {Html} and {Csv}", Path.GetFullPath(Path.Combine(folder, ReproductionRunner.Figure4Html)), ReproductionRunner.Figure4Csv);
            return 0;
        });
        return command;
    }

    public static Command Info()
    {
        var command = new Command("info", "Load libtorch and print versions, the native libraries loaded, the device and where the data is.");
        command.SetAction(_ =>
        {
            var runtime = TorchRuntime.Initialize(Logger);
            var device = DeviceSelection.Resolve("auto");
            var environment = EnvironmentReport.Collect(device, runtime.LibTorchSharpPath);
            var test = FashionMnist.Locate(FashionMnistSplit.Test, null);
            var train = FashionMnist.Locate(FashionMnistSplit.Train, null);
            var grid = new Grid().AddColumn().AddColumn();
            void Row(string key, string value) => grid.AddRow(Markup.Escape(key), Markup.Escape(value));
            Row("ReproKit", environment.ReproKitVersion);
            Row("TorchSharp / libtorch", $"{environment.TorchSharpVersion} / {environment.LibTorchVersion}");
            Row(".NET", environment.DotNetVersion);
            Row("OS", environment.OperatingSystem);
            Row("CPU", $"{environment.Processor}, {environment.LogicalCores} logical cores, {environment.TorchThreads} torch threads");
            Row("Device (auto)", environment.Device);
            Row("libtorch folder", runtime.LibTorchDirectory ?? "TorchSharp default");
            Row("LibTorchSharp", runtime.LibTorchSharpPath ?? "TorchSharp default");
            Row("Weakened versions", runtime.WeakenedVersions.Count == 0 ? "none" : string.Join(", ", runtime.WeakenedVersions));
            Row("Fashion-MNIST test", test is null ? "not found" : $"{test.ImagesPath} ({test.Source})");
            Row("Fashion-MNIST train", train is null ? "not found (quick profile does not need it)" : $"{train.ImagesPath} ({train.Source})");
            AnsiConsole.Write(grid);
            return 0;
        });
        return command;
    }

    /// <summary>Reads --memory-layout: auto, channels-first or channels-last.</summary>
    public static MemoryLayout ParseMemoryLayout(string value) => value.Trim().ToLowerInvariant() switch
    {
        "auto" => MemoryLayout.Auto,
        "channels-first" => MemoryLayout.ChannelsFirst,
        "channels-last" => MemoryLayout.ChannelsLast,
        _ => throw new ArgumentException($"--memory-layout '{value}' is not valid. Use auto, channels-first or channels-last."),
    };

    private static int RunAndReport(ParseResult parse, IReadOnlyList<HeadSpec> heads, string commandName)
    {
        var profile = ReproductionProfiles.Get(parse.GetValue(ProfileOption)!);
        var training = profile.Training;
        if (parse.GetValue(EpochsOption) is int epochs)
        {
            // Keep at least half of a shortened run for the cosine decay.
            training = training with { Epochs = epochs, WarmupEpochs = Math.Min(training.WarmupEpochs, epochs / 2.0) };
        }

        if (parse.GetValue(SeedOption) is long seed)
        {
            training = training with { Seed = seed };
        }

        if (parse.GetValue(LearningRateOption) is double learningRate)
        {
            training = training with { LearningRate = learningRate };
        }

        training = training with { Layout = ParseMemoryLayout(parse.GetValue(MemoryLayoutOption)!) };
        profile = profile with { Training = training };
        if (parse.GetValue(VggWeightsOption) is string weights)
        {
            if (profile.Backbone.Kind == Models.BackboneKind.Compact)
            {
                throw new ArgumentException($"--vgg-weights needs a VGG-16 profile (paper), but profile {profile.Name} uses the compact backbone.");
            }

            if (!File.Exists(weights))
            {
                throw new FileNotFoundException($"--vgg-weights file '{weights}' was not found. Write it with data-scripts/export-vgg16-weights.py.", weights);
            }

            profile = profile with { Backbone = profile.Backbone with { WeightsFile = Path.GetFullPath(weights) } };
        }

        var folder = parse.GetValue(OutOption)
            ?? Path.Combine("runs", string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:yyyyMMdd-HHmmss}-{profile.Name}-{commandName}"));
        var request = new ReproductionRequest(profile, heads, folder, parse.GetValue(DeviceOption)!, parse.GetValue(DataOption));
        string dataset = parse.GetValue(DatasetOption)!;
        if (!string.Equals(dataset, "fashion-mnist", StringComparison.OrdinalIgnoreCase))
        {
            string root = parse.GetValue(DataOption)
                ?? throw new ArgumentException($"--dataset {dataset} needs --data, the dataset's folder (run data-scripts/fetch-{dataset}.sh to download it).");
            var imageDataset = ImageDatasetOptions.Build(parse, dataset, root);
            var loading = ReproductionRunner.DefaultImageLoading(profile) with
            {
                Workers = parse.GetValue(WorkersOption),
                CacheDirectory = parse.GetValue(CacheOption),
                BadImages = parse.GetValue(SkipBadImagesOption) ? Images.BadImagePolicy.Skip : Images.BadImagePolicy.Error,
            };
            if (parse.GetValue(ImageSizeOption) is int size)
            {
                loading = loading with { ImageSize = size };
            }

            request = request with { DataDirectory = null, ImageDataset = imageDataset, ImageLoading = loading };
        }

        ReproductionRunner.Validate(request);

        var result = TrainingDisplay.Run((progress, onEpoch) =>
            new ReproductionRunner(Logger) { Progress = progress, EpochCompleted = onEpoch }.Run(request));

        AnsiConsole.WriteLine();
        AnsiConsole.WriteLine(Table2Report.FormatText(result.Table));
        foreach (var other in result.Heads.Where(h => h.Head.Kind is not (HeadKind.Softmax or HeadKind.Lmcl or HeadKind.Lmal)))
        {
            // Table 2 has rows for the paper's three models only, so print any other head's result below it.
            AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{other.Head.Describe()}: top-1 {other.Evaluation.Top1 * 100:F2}%, top-5 {other.Evaluation.Top5 * 100:F2}% (the paper's Table 2 has no row for it; run.json has the details)."));
        }

        AnsiConsole.MarkupLine($"Run folder: [bold]{Markup.Escape(Path.GetFullPath(result.RunDirectory))}[/]");
        return 0;
    }

    private static void AddDatasetOptions(Command command)
    {
        foreach (var option in new Option[] { DatasetOption, ImageSizeOption, WorkersOption, CacheOption, SkipBadImagesOption, VggWeightsOption }.Concat(ImageDatasetOptions.All))
        {
            command.Options.Add(option);
        }
    }

    private static void RequireWritable(string path, bool overwrite)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"Output path '{path}' is a folder. Choose a file path.");
        }

        if (File.Exists(path) && !overwrite)
        {
            throw new IOException($"Output file '{path}' already exists. Choose another path, or add --overwrite to replace it.");
        }
    }

    private static void PrintEvaluation(string head, string dataset, EvaluationResult result)
    {
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{head} on {dataset} ({result.Count} images): top-1 {result.Top1 * 100:F2}%, top-5 {result.Top5 * 100:F2}%")));
        var table = new Table().AddColumn("class").AddColumn("top-1 %");
        for (int i = 0; i < result.ClassNames.Count; i++)
        {
            table.AddRow(Markup.Escape(result.ClassNames[i]), (result.PerClassAccuracy[i] * 100).ToString("F2", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    private static HeadSpec ParseHead(string name, double scale, double cosineMargin, double arcMarginRadians, double m1) => name.ToLowerInvariant() switch
    {
        "softmax" => HeadSpec.Softmax(),
        "lmcl" => HeadSpec.Lmcl(scale, cosineMargin),
        "lmal" => HeadSpec.Lmal(scale, arcMarginRadians),
        "combined" => HeadSpec.Combined(scale, m1, arcMarginRadians, cosineMargin),
        _ => throw new ArgumentException($"Head '{name}' is not known. Use softmax, lmcl, lmal or combined."),
    };

    private static double ArcMarginRadians(ParseResult parse)
    {
        var radians = parse.GetValue(ArcMarginRadOption);
        var degrees = parse.GetValue(ArcMarginDegOption);
        if (radians is not null && degrees is not null)
        {
            throw new ArgumentException("Both --arc-margin-rad and --arc-margin-deg were given; give the LMAL margin once, in one unit.");
        }

        if (degrees is double d && !(d >= 0 && d <= 90))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--arc-margin-deg is {d}, but the LMAL margin must be in [0, 90] degrees."));
        }

        return radians ?? (degrees is double inDegrees ? inDegrees * Math.PI / 180 : HeadSpec.DefaultAngularMarginRadians);
    }

    private static double[] ParseTriple(string text, string optionName)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        if (parts.Length != 3 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).All(ok => ok))
        {
            throw new ArgumentException($"{optionName} is '{text}', but it must be three numbers separated by commas: m1,m2,m3 (for example 1,0.3,0.2).");
        }

        return values;
    }
}
