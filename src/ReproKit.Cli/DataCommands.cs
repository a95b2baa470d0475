using System.CommandLine;
using Microsoft.Extensions.Logging;
using ReproKit.Datasets;
using Spectre.Console;

namespace ReproKit.Cli;

/// <summary>The <c>data</c> command: checks a dataset before training.</summary>
public static class DataCommands
{
    private static readonly ILogger Logger = new ConsoleLogger(LogLevel.Information);

    /// <summary>Builds <c>data verify</c>.</summary>
    public static Command Create()
    {
        var command = new Command("data", "Check the image datasets (PASCAL VOC 2007 and 2012, Caltech-256, image folders).");
        command.Subcommands.Add(Verify());
        return command;
    }

    /// <summary>Options shared by every command that reads an image dataset.</summary>
    internal sealed class DatasetOptions
    {
        public Option<string> Protocol { get; } = new("--protocol") { Description = "VOC: how an image becomes one label: dominant (class of the largest non-difficult object), crops (one example per object box) or actions (VOC2012 person boxes).", DefaultValueFactory = _ => "dominant" };

        public Option<double> Context { get; } = new("--crop-context") { Description = "VOC crops and actions: fraction of the box's width and height added on each side, 0 to 1.", DefaultValueFactory = _ => 0.0 };

        public Option<int> TrainPerClass { get; } = new("--train-per-class") { Description = "Caltech-256: training images per class (1 or more); the rest of each class is the test split.", DefaultValueFactory = _ => 60 };

        public Option<int> SplitSeed { get; } = new("--split-seed") { Description = "Caltech-256: seed of the train/test draw, written to the split file beside the dataset.", DefaultValueFactory = _ => 1 };

        public IEnumerable<Option> All => [Protocol, Context, TrainPerClass, SplitSeed];

        public ImageDatasetOptions Build(ParseResult parse, string dataset, string root) => new(
            ImageDatasetOptions.ParseKind(dataset),
            root,
            ImageDatasetOptions.ParseProtocol(parse.GetValue(Protocol)!),
            parse.GetValue(Context),
            parse.GetValue(TrainPerClass),
            parse.GetValue(SplitSeed));
    }

    private static Command Verify()
    {
        var datasetOption = new Option<string>("--dataset") { Description = "voc2007, voc2012, caltech256 or folder.", Required = true };
        var dataOption = new Option<string>("--data") { Description = "The dataset's folder (for VOC, the folder that contains VOCdevkit).", Required = true };
        var checkImagesOption = new Option<bool>("--check-images") { Description = "Also decode every image as training would, and report the files that cannot be used (slower)." };
        var maxProblemsOption = new Option<int>("--max-problems") { Description = "Print at most this many problems (0 for all); the count at the end is always complete.", DefaultValueFactory = _ => 50 };
        var shared = new DatasetOptions();
        var command = new Command("verify", "Report images per split and class, and every problem found, with the file and the fix. Exits 1 when there are problems.")
        {
            datasetOption, dataOption, checkImagesOption, maxProblemsOption,
        };
        foreach (var option in shared.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            string dataset = parse.GetValue(datasetOption)!;
            if (dataset.Trim().Equals("fashion-mnist", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException("--dataset fashion-mnist is not an image-file dataset, so 'data verify' does not check it. Use voc2007, voc2012, caltech256 or folder.");
            }

            var options = shared.Build(parse, dataset, parse.GetValue(dataOption)!);
            Func<string, string?>? check = parse.GetValue(checkImagesOption) ? ImageCheck.Describe : null;
            var report = DatasetVerifier.Verify(options, check);
            foreach (var split in report.Splits)
            {
                Logger.LogInformation("{Split}: {Examples:N0} examples from {Images:N0} images", split.Name, split.CountPerClass.Sum(), split.Images);
                var table = new Table().AddColumn("class").AddColumn(new TableColumn("examples").RightAligned());
                for (int i = 0; i < split.ClassNames.Count; i++)
                {
                    table.AddRow(Markup.Escape(split.ClassNames[i]), split.CountPerClass[i].ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(table);
                foreach (string warning in split.Warnings)
                {
                    Logger.LogWarning("{Warning}", warning);
                }
            }

            int maxProblems = parse.GetValue(maxProblemsOption);
            if (maxProblems < 0)
            {
                throw new ArgumentException($"--max-problems is {maxProblems}, but it must be 0 (all) or more.");
            }

            foreach (var problem in maxProblems == 0 ? report.Problems : report.Problems.Take(maxProblems))
            {
                Logger.LogError("{Problem}", problem.Message);
            }

            if (maxProblems > 0 && report.Problems.Count > maxProblems)
            {
                Logger.LogError("... and {More} more problem(s); --max-problems 0 prints them all.", report.Problems.Count - maxProblems);
            }

            Logger.LogInformation("{Splits} split(s) read, {Problems} problem(s) found.", report.Splits.Count, report.Problems.Count);
            return report.Problems.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
