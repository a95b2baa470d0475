using System.CommandLine;
using Microsoft.Extensions.Logging;
using ReproKit.Cli;
using Spectre.Console;

var root = new RootCommand("ReproKit: VGG-16 with softmax, LMCL (CosFace) and LMAL (ArcFace) heads, reproducing Cao, Gu and Huang's Table 2 and Figure 4.")
{
    Commands.Reproduce(),
    Commands.Train(),
    Commands.Evaluate(),
    Commands.Figure4(),
    Commands.Info(),
    NotebookCommands.Create(),
    DataCommands.Create(),
};

// Log files and CI output should keep one message per line instead of wrapping at 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 4096;
}

try
{
    var parsed = root.Parse(args);

    // System.CommandLine would print the whole help and exit 1 on a value that does not parse. One line per
    // error and exit code 2, as for every other input error, are easier to read and to script against.
    if (parsed.Errors.Count > 0)
    {
        var logger = new ConsoleLogger(LogLevel.Information);
        foreach (var error in parsed.Errors)
        {
            logger.LogError("{Message}", Commands.DescribeParseError(error.Message));
        }

        logger.LogError("Run the command with --help to see its options.");
        return 2;
    }

    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception error) when (Commands.IsUserError(error))
{
    new ConsoleLogger(LogLevel.Information).LogError("{Message}", Commands.DescribeUserError(error));
    return 2;
}
