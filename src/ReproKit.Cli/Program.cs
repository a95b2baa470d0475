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
};

// Log files and CI output should keep one message per line instead of wrapping at 80 columns.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = 4096;
}

try
{
    return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception error) when (Commands.IsUserError(error))
{
    new ConsoleLogger(LogLevel.Information).LogError("{Message}", Commands.DescribeUserError(error));
    return 2;
}
