using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ReproKit.Benchmarks;

/// <summary>
/// Progress lines on standard error, so standard output carries only the report. As an
/// <see cref="ILogger"/> for the kit's components it passes on warnings and errors only, because
/// their per-epoch information lines would bury the measurements.
/// </summary>
internal sealed class ProgressLog : ILogger
{
    private static readonly Lock Gate = new();

    private ProgressLog()
    {
    }

    /// <summary>The logger to hand to the kit's components.</summary>
    public static ProgressLog Instance { get; } = new();

    public static void Info(string message) => Write("info", message);

    public static void Warning(string message) => Write("warn", message);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string message = formatter(state, exception);
        Write(logLevel == LogLevel.Warning ? "warn" : "error", exception is null ? message : $"{message}: {exception.Message}");
    }

    private static void Write(string tag, string message)
    {
        lock (Gate)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.Now:HH:mm:ss} {tag} {message}"));
        }
    }
}
