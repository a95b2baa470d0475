using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging;
using ReproKit.Notebooks.Export;

namespace ReproKit.Cli;

/// <summary>The <c>notebooks</c> command: run the notebook sequence headless and export the reports.</summary>
public static class NotebookCommands
{
    private static readonly ILogger Logger = new ConsoleLogger(LogLevel.Information);

    /// <summary>Builds <c>notebooks run</c> and <c>notebooks export</c>.</summary>
    public static Command Create()
    {
        var command = new Command("notebooks", "Run the teaching notebooks headless and export them as HTML reports.");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Export());
        return command;
    }

    private static Command Run()
    {
        var notebooksOption = new Option<string>("--notebooks") { Description = "Folder with the numbered notebooks.", DefaultValueFactory = _ => "notebooks" };
        var outOption = new Option<string>("--out") { Description = "New or empty folder for the executed notebooks, logs, HTML reports and runs. Default: runs/notebook-reports/TIMESTAMP." };
        var profileOption = new Option<string>("--profile") { Description = "Run profile for every notebook: tiny (about 1 minute on two cores), quick (about 10 minutes) or full; 'settings' keeps notebooks/settings.json.", DefaultValueFactory = _ => "tiny" };
        var onlyOption = new Option<string>("--only") { Description = "Comma-separated notebook numbers to run, for example 1,4. Default: all." };
        var timeoutOption = new Option<int>("--timeout-minutes") { Description = "Longest time one notebook may take, in minutes (1 or more).", DefaultValueFactory = _ => 30 };
        var command = new Command("run", "Run every notebook in order, each in a fresh kernel, and export each as a self-contained HTML report. Stops at the first failing cell and names it.")
        {
            notebooksOption, outOption, profileOption, onlyOption, timeoutOption,
        };
        command.SetAction(parse =>
        {
            int timeout = parse.GetValue(timeoutOption);
            if (timeout < 1)
            {
                throw new ArgumentException($"--timeout-minutes is {timeout}, but it must be 1 or more.");
            }

            string profile = parse.GetValue(profileOption)!;
            string[] notebookProfiles = ["tiny", "quick", "full", "settings"];
            if (!notebookProfiles.Contains(profile))
            {
                throw new ArgumentException($"--profile is '{profile}', but the notebooks run with one of: {string.Join(", ", notebookProfiles)} (the paper profile's VGG-16 needs an image dataset and a GPU).");
            }

            string output = parse.GetValue(outOption) ?? Path.Combine("runs", "notebook-reports", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            var options = new NotebookRunOptions(
                parse.GetValue(notebooksOption)!,
                output,
                profile == "settings" ? null : profile,
                ParseNumbers(parse.GetValue(onlyOption)),
                TimeSpan.FromMinutes(timeout));
            try
            {
                var results = NotebookRunner.RunAll(options, line => Logger.LogInformation("{Line}", line));
                Logger.LogInformation("All {Count} notebook(s) ran in {Seconds:F0} s. Reports: {Folder}", results.Count, results.Sum(r => r.Duration.TotalSeconds), Path.GetFullPath(output));
                return 0;
            }
            catch (NotebookFailedException failure)
            {
                Logger.LogError("{Message}", failure.Message);
                return 1;
            }
        });
        return command;
    }

    private static Command Export()
    {
        var inputArgument = new Argument<string[]>("notebooks") { Description = "Executed .ipynb files, or folders whose .ipynb files are all exported." };
        var outOption = new Option<string?>("--out") { Description = "Folder for the HTML reports. Default: beside each notebook." };
        var overwriteOption = new Option<bool>("--overwrite") { Description = "Replace reports that already exist." };
        var command = new Command("export", "Export executed notebooks (for example saved from VS Code with their outputs) as self-contained HTML reports that render offline.")
        {
            inputArgument, outOption, overwriteOption,
        };
        command.SetAction(parse =>
        {
            var inputs = parse.GetValue(inputArgument) ?? [];
            if (inputs.Length == 0)
            {
                throw new ArgumentException("Name at least one executed .ipynb file or a folder of them.");
            }

            var files = new List<string>();
            foreach (string input in inputs)
            {
                if (Directory.Exists(input))
                {
                    files.AddRange(Directory.GetFiles(input, "*.ipynb").Order(StringComparer.Ordinal));
                }
                else if (File.Exists(input))
                {
                    files.Add(input);
                }
                else
                {
                    throw new FileNotFoundException($"'{input}' is neither a notebook file nor a folder. Check the path.");
                }
            }

            if (files.Count == 0)
            {
                throw new FileNotFoundException($"No .ipynb files were found in {string.Join(", ", inputs)}. Pass executed notebooks, or a folder that contains them.");
            }

            string? outFolder = parse.GetValue(outOption);
            foreach (string file in files)
            {
                if (!NotebookExporter.HasOutputs(file))
                {
                    Logger.LogWarning("{File} has no outputs, so its report shows only the text and code. Run it first (notebooks run, or Run All in VS Code and save).", file);
                }

                string report = Path.Combine(outFolder ?? Path.GetDirectoryName(Path.GetFullPath(file))!, Path.GetFileNameWithoutExtension(file) + ".html");
                NotebookExporter.Export(file, report, parse.GetValue(overwriteOption));
                Logger.LogInformation("Wrote {Report}", Path.GetFullPath(report));
            }

            return 0;
        });
        return command;
    }

    private static List<int> ParseNumbers(string? text)
    {
        var numbers = new List<int>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return numbers;
        }

        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            numbers.Add(int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
                ? n
                : throw new ArgumentException($"--only has '{part}', which is not a notebook number. Give numbers such as 1,4."));
        }

        return numbers;
    }
}
