using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace ReproKit.Cli;

/// <summary>
/// Writes log lines through Spectre.Console, so that they appear above a live progress bar instead of
/// tearing it, and plainly when the output is redirected to a file.
/// </summary>
internal sealed class ConsoleLogger : ILogger
{
    private readonly LogLevel _minimum;

    public ConsoleLogger(LogLevel minimum)
    {
        _minimum = minimum;
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var (tag, colour) = logLevel switch
        {
            LogLevel.Warning => ("warn", "yellow"),
            LogLevel.Error or LogLevel.Critical => ("error", "red"),
            LogLevel.Debug or LogLevel.Trace => ("debug", "grey"),
            _ => ("info", "green"),
        };
        var message = formatter(state, exception);
        AnsiConsole.MarkupLine($"[grey]{DateTime.Now:HH:mm:ss}[/] [{colour}]{tag}[/] {Markup.Escape(message)}");
    }
}
