using System.Globalization;

namespace ReproKit.Benchmarks;

/// <summary>The suites that can be run; <see cref="All"/> runs the other four in order.</summary>
internal enum BenchmarkSuite
{
    Training,
    Pipeline,
    Epoch,
    Memory,
    All,
}

/// <summary>Which BLAS the PyTorch peer uses.</summary>
internal enum PeerBlas
{
    /// <summary>Preload Debian's OpenBLAS into the peer, whatever update-alternatives selects.</summary>
    OpenBlas,

    /// <summary>Use the BLAS that update-alternatives selects for libblas.so.3.</summary>
    System,
}

/// <summary>Command-line settings of a benchmark run, and the measurement sizes derived from them.</summary>
/// <param name="Suite">The suite to run.</param>
/// <param name="Arguments">The arguments as received, for the report.</param>
/// <param name="Quick">Fewer repeats and shorter measurements: a smoke run of a few minutes, not a result.</param>
/// <param name="RepeatsOverride">Measurements per configuration and side, or null for the default (3, or 1 with --quick).</param>
/// <param name="SkipVgg224">Leave out the 224x224 VGG-16 from the training suite.</param>
/// <param name="ReportPath">Markdown report file, or null to print the report to standard output.</param>
/// <param name="CorpusDirectory">Folder of the generated JPEG corpus; created and filled when it lacks the corpus.</param>
/// <param name="PythonPath">The Python interpreter that runs the PyTorch peer (Debian's, where python3-torch is installed).</param>
/// <param name="Blas">Which BLAS the PyTorch peer uses.</param>
/// <param name="Threads">Intra-op threads of libtorch on both sides.</param>
internal sealed record BenchmarkOptions(
    BenchmarkSuite Suite,
    IReadOnlyList<string> Arguments,
    bool Quick = false,
    int? RepeatsOverride = null,
    bool SkipVgg224 = false,
    string? ReportPath = null,
    string? CorpusDirectory = null,
    string PythonPath = BenchmarkOptions.DefaultPythonPath,
    PeerBlas Blas = PeerBlas.OpenBlas,
    int Threads = BenchmarkOptions.DefaultThreads)
{
    public const string DefaultPythonPath = "/usr/bin/python3";
    public const int DefaultThreads = 2;

    public const string HelpText = """
        ReproKit benchmarks: the kit against PyTorch, measured alternately in one run.

        Usage: dotnet run --project src/ReproKit.Benchmarks -c Release -- <suite> [options]

        Suites:
          training   Training-step throughput (images/s) of the compact VGG-16 at widths 0.25, 0.5 and 1
                     on 32x32 RGB (batch 128) and of the 224x224 VGG-16 (batch 8), with the softmax, LMCL
                     and LMAL heads, against the same networks and heads in PyTorch.
          pipeline   JPEG decoding, RandomResizedCrop 224, flip and normalisation (batch 32, 2 workers)
                     against Pillow and torchvision in a torch DataLoader, without and with the decode cache.
          epoch      An epoch of the compact VGG-16 (width 0.25, 64x64, batch 64) fed by the image loader,
                     against the same batches from memory.
          memory     Resident memory at the end of each of ten epochs of quick-profile training.
          all        Every suite, then the Markdown report.

        Options:
          --quick            Fewer repeats and shorter measurements, for a smoke run of a few minutes.
          --repeats N        Measurements per configuration and side (default 3, or 1 with --quick).
          --skip-vgg224      Leave out the 224x224 VGG-16 (about 6 of the training suite's 13 minutes on two
                             idle cores).
          --report FILE      Write the Markdown report to FILE instead of standard output.
          --corpus DIR       Folder of the generated JPEG corpus (default: reprokit-benchmark-corpus in the
                             temporary folder). It is generated once and reused.
          --python PATH      Python interpreter for the PyTorch peer (default /usr/bin/python3).
          --peer-blas KIND   openblas (default): preload Debian's OpenBLAS into the peer; system: use the
                             BLAS that update-alternatives selects for libblas.so.3.
          --threads N        Intra-op threads on both sides (default 2).
          --help             Show this text.

        Progress goes to standard error. Speeds are compared only as ratios between the two sides measured
        alternately in the same run, because other processes on the machine change absolute numbers.
        """;

    /// <summary>Measurements per configuration and side.</summary>
    public int Repeats => RepeatsOverride ?? (Quick ? 1 : 3);

    /// <summary>Seconds that one timed compact-network measurement should take; the step count is calibrated to it.</summary>
    public double CompactMeasurementSeconds => Quick ? 1.5 : 6.0;

    /// <summary>Untimed steps before each compact-network measurement.</summary>
    public int CompactWarmupSteps => Quick ? 2 : 3;

    /// <summary>Untimed steps before each 224x224 VGG-16 measurement.</summary>
    public int Vgg224WarmupSteps => Quick ? 1 : 2;

    /// <summary>Timed steps of each 224x224 VGG-16 measurement.</summary>
    public int Vgg224TimedSteps => Quick ? 1 : 3;

    /// <summary>Images of the embedded Fashion-MNIST split that the memory suite uses, or null for the quick profile's 10,000.</summary>
    public int? MemoryImageLimit => Quick ? 2500 : null;

    /// <summary>The corpus folder to use.</summary>
    public string ResolvedCorpusDirectory => CorpusDirectory ?? Path.Combine(Path.GetTempPath(), "reprokit-benchmark-corpus");

    /// <summary>Parses the command line; returns null when help was requested.</summary>
    /// <exception cref="ArgumentException">An argument is unknown, missing its value or invalid; the message names it.</exception>
    public static BenchmarkOptions? Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args.Any(a => a is "--help" or "-h"))
        {
            return null;
        }

        var options = new BenchmarkOptions(ParseSuite(args[0]), args);
        for (int i = 1; i < args.Count; i++)
        {
            string name = args[i];
            options = name switch
            {
                "--quick" => options with { Quick = true },
                "--skip-vgg224" => options with { SkipVgg224 = true },
                "--repeats" => options with { RepeatsOverride = ParsePositive(name, ValueOf(args, ref i)) },
                "--threads" => options with { Threads = ParsePositive(name, ValueOf(args, ref i)) },
                "--report" => options with { ReportPath = ValueOf(args, ref i) },
                "--corpus" => options with { CorpusDirectory = ValueOf(args, ref i) },
                "--python" => options with { PythonPath = ValueOf(args, ref i) },
                "--peer-blas" => options with { Blas = ParseBlas(ValueOf(args, ref i)) },
                _ => throw new ArgumentException($"Unknown option '{name}'. Run with --help for the list of options."),
            };
        }

        return options;
    }

    private static BenchmarkSuite ParseSuite(string text) => text switch
    {
        "training" => BenchmarkSuite.Training,
        "pipeline" => BenchmarkSuite.Pipeline,
        "epoch" => BenchmarkSuite.Epoch,
        "memory" => BenchmarkSuite.Memory,
        "all" => BenchmarkSuite.All,
        _ => throw new ArgumentException($"Unknown suite '{text}'. Choose training, pipeline, epoch, memory or all, for example: dotnet run --project src/ReproKit.Benchmarks -c Release -- all --quick"),
    };

    private static PeerBlas ParseBlas(string text) => text switch
    {
        "openblas" => PeerBlas.OpenBlas,
        "system" => PeerBlas.System,
        _ => throw new ArgumentException($"--peer-blas is '{text}', but it must be openblas or system."),
    };

    private static string ValueOf(IReadOnlyList<string> args, ref int index)
    {
        string name = args[index];
        if (index + 1 >= args.Count || args[index + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Option {name} needs a value. Run with --help for the list of options.");
        }

        index++;
        return args[index];
    }

    private static int ParsePositive(string name, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
        {
            throw new ArgumentException($"{name} is '{text}', but it must be a whole number of at least 1.");
        }

        return value;
    }
}
