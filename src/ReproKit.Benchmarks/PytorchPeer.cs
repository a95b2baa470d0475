using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReproKit.Benchmarks;

/// <summary>Versions and settings the PyTorch peer reported when it started.</summary>
/// <param name="Python">Python version.</param>
/// <param name="Torch">PyTorch version.</param>
/// <param name="TorchPackage">Version of the installed Debian package python3-torch, or "unknown".</param>
/// <param name="Torchvision">torchvision version.</param>
/// <param name="Pillow">Pillow version.</param>
/// <param name="NumPy">NumPy version.</param>
/// <param name="Threads">PyTorch's intra-op thread count after the peer set it.</param>
/// <param name="Blas">The BLAS library mapped into the peer, in words, with its path.</param>
/// <param name="TorchConfiguration">The output of <c>torch.__config__.show()</c>.</param>
/// <param name="Preload">The peer's LD_PRELOAD, empty where none was set.</param>
internal sealed record PeerInfo(string Python, string Torch, string TorchPackage, string Torchvision, string Pillow, string NumPy, int Threads, string Blas, string TorchConfiguration, string Preload);

/// <summary>
/// The PyTorch side of the comparison: <c>pytorch_peer.py serve</c> running as a subprocess for the
/// whole benchmark run. It reads one JSON request per line on its standard input and writes one JSON
/// response line per request on its standard output. Its standard error is copied to the progress log.
/// </summary>
internal sealed class PytorchPeer : IDisposable
{
    public const string ScriptName = "pytorch_peer.py";

    // Debian's OpenBLAS (package libopenblas0-pthread, pulled in by libopenblas0) with the reference BLAS's file name.
    public const string OpenBlasLibrary = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3";

    private const string InstallCommand = "apt-get install python3-torch python3-torchvision python3-pil python3-numpy libopenblas0";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private const int KeptErrorLines = 30;

    private readonly Process _process;
    private readonly Queue<string> _recentErrorLines = new();
    private readonly Lock _errorGate = new();

    private PeerInfo? _info;

    private PytorchPeer(Process process)
    {
        _process = process;
    }

    /// <summary>What the peer reported when it started.</summary>
    public PeerInfo Info => _info ?? throw new InvalidOperationException("The PyTorch peer has not responded to its first request yet.");

    /// <summary>Starts the peer and requests its versions. When it cannot start, the exception message names what to install or pass.</summary>
    /// <exception cref="InvalidOperationException">Python, the script, PyTorch or OpenBLAS is missing, or the peer sent no valid response.</exception>
    public static PytorchPeer Start(BenchmarkOptions options)
    {
        string script = Path.Combine(AppContext.BaseDirectory, ScriptName);
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"The PyTorch peer script '{script}' was not found. Rebuild the benchmark project, which copies {ScriptName} into its output folder.");
        }

        var startInfo = new ProcessStartInfo(options.PythonPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add("serve");

        string threads = options.Threads.ToString(CultureInfo.InvariantCulture);
        startInfo.Environment["OMP_NUM_THREADS"] = threads;
        startInfo.Environment["OPENBLAS_NUM_THREADS"] = threads;
        startInfo.Environment["PYTHONUNBUFFERED"] = "1";
        if (options.Blas == PeerBlas.OpenBlas)
        {
            if (!File.Exists(OpenBlasLibrary))
            {
                throw new InvalidOperationException(
                    $"OpenBLAS was not found at {OpenBlasLibrary}, so PyTorch would run on the reference BLAS, about ten times slower on VGG-16's fully connected layers. " +
                    "Install it with 'apt-get install libopenblas0', or pass --peer-blas system to measure with the BLAS that update-alternatives selects.");
            }

            // Only the peer gets the preload; the .NET process loads its own libtorch and never Debian's.
            startInfo.Environment["LD_PRELOAD"] = OpenBlasLibrary;
        }

        Process process;
        try
        {
            process = Process.Start(startInfo)
                ?? throw new InvalidOperationException($"Starting '{options.PythonPath}' returned no process.");
        }
        catch (Win32Exception error)
        {
            throw new InvalidOperationException(
                $"Starting the PyTorch peer with '{options.PythonPath}' failed: {error.Message} Install Debian's Python and PyTorch with '{InstallCommand}', or pass --python with an interpreter that has PyTorch.",
                error);
        }

        var peer = new PytorchPeer(process);
        process.ErrorDataReceived += (_, line) => peer.OnErrorLine(line.Data);
        process.BeginErrorReadLine();

        try
        {
            var request = new JsonObject { ["command"] = "hello", ["threads"] = options.Threads };
            JsonObject hello = peer.Send(request, StartTimeout);
            peer._info = new PeerInfo(
                ReadString(hello, "python"),
                ReadString(hello, "torch"),
                ReadString(hello, "torch_package"),
                ReadString(hello, "torchvision"),
                ReadString(hello, "pillow"),
                ReadString(hello, "numpy"),
                (int)ReadNumber(hello, "threads"),
                ReadString(hello, "blas"),
                ReadString(hello, "config"),
                ReadString(hello, "preload"));
            return peer;
        }
        catch (InvalidOperationException error) when (!error.Message.Contains(InstallCommand, StringComparison.Ordinal))
        {
            peer.Dispose();
            throw new InvalidOperationException($"{error.Message} If PyTorch is missing or broken, install Debian's with '{InstallCommand}'.", error);
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Builds the configuration's network and head in PyTorch, runs <paramref name="warmupSteps"/>
    /// untimed steps and returns the images per second of <paramref name="timedSteps"/> timed steps. With
    /// <paramref name="channelsLast"/>, the model and batch are in <c>torch.channels_last</c>; otherwise PyTorch's default layout.
    /// </summary>
    public double MeasureTraining(TrainingConfiguration configuration, int warmupSteps, int timedSteps, TimeSpan timeout, bool channelsLast = false)
    {
        var request = new JsonObject
        {
            ["command"] = "train",
            ["model"] = configuration.Network == TrainingNetwork.Compact ? "compact" : "vgg16",
            ["width"] = configuration.Width,
            ["image_size"] = configuration.ImageSize,
            ["head"] = configuration.Head.Kind.ToString().ToLowerInvariant(),
            ["scale"] = configuration.Head.Scale,
            ["margin"] = configuration.Head.Kind == ReproKit.Heads.HeadKind.Lmal ? configuration.Head.AngularMarginRadians : configuration.Head.CosineMargin,
            ["classes"] = configuration.Classes,
            ["batch"] = configuration.BatchSize,
            ["warmup_steps"] = warmupSteps,
            ["steps"] = timedSteps,
            ["learning_rate"] = TrainingConfiguration.LearningRate,
            ["seed"] = 1,
            ["channels_last"] = channelsLast,
        };
        return ReadNumber(Send(request, timeout), "images_per_second");
    }

    /// <summary>
    /// Runs a torch DataLoader with persistent workers (Pillow, RandomResizedCrop, flip, ToTensor, Normalize) over
    /// <paramref name="files"/>: one untimed epoch, which starts the workers, then <paramref name="epochs"/> timed
    /// epochs. Returns the images per second of each timed epoch.
    /// </summary>
    public IReadOnlyList<double> MeasurePipeline(IReadOnlyList<string> files, int imageSize, int batchSize, int workers, int epochs, TimeSpan timeout)
    {
        var request = new JsonObject
        {
            ["command"] = "pipeline",
            ["files"] = new JsonArray([.. files.Select(f => JsonValue.Create(f))]),
            ["image_size"] = imageSize,
            ["batch"] = batchSize,
            ["workers"] = workers,
            ["warmup_epochs"] = 1,
            ["epochs"] = epochs,
            ["seed"] = 1,
        };
        JsonObject response = Send(request, timeout);
        if (response["images_per_second"] is not JsonArray rates || rates.Count != epochs)
        {
            throw new InvalidOperationException($"The PyTorch peer's response to the pipeline request lacks {epochs} 'images_per_second' values: {response.ToJsonString()}");
        }

        return [.. rates.Select(rate => rate!.GetValue<double>())];
    }

    /// <summary>Asks the peer to quit, and stops it if it does not within a few seconds.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.WriteLine("""{"command": "quit"}""");
                _process.StandardInput.Flush();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    ProgressLog.Warning("The PyTorch peer did not quit within 10 s; stopping it.");
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (Exception error) when (error is IOException or InvalidOperationException)
        {
            // The peer has already exited and closed its pipe; there is nothing left to stop.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private JsonObject Send(JsonObject request, TimeSpan timeout)
    {
        string command = request["command"]!.GetValue<string>();
        if (_process.HasExited)
        {
            throw PeerExited(command);
        }

        try
        {
            _process.StandardInput.WriteLine(request.ToJsonString());
            _process.StandardInput.Flush();
        }
        catch (IOException error)
        {
            throw new InvalidOperationException($"Sending '{command}' to the PyTorch peer failed: {error.Message}. {DescribeExit()}", error);
        }

        string? line;
        using (var timer = new CancellationTokenSource(timeout))
        {
            try
            {
                line = _process.StandardOutput.ReadLineAsync(timer.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The PyTorch peer did not respond to '{command}' within {timeout.TotalSeconds:F0} s, so it was stopped. The machine may be overloaded; rerun with fewer other processes or with --quick.");
            }
        }

        if (line is null)
        {
            throw PeerExited(command);
        }

        JsonObject response;
        try
        {
            response = JsonNode.Parse(line) as JsonObject
                ?? throw new InvalidOperationException($"The PyTorch peer's response to '{command}' is '{line}', which is not a JSON object.");
        }
        catch (JsonException error)
        {
            throw new InvalidOperationException($"The PyTorch peer's response to '{command}' is '{line}', which is not valid JSON: {error.Message}", error);
        }

        if (response["ok"]?.GetValue<bool>() != true)
        {
            string message = response["error"]?.GetValue<string>() ?? line;
            string hint = message.Contains("Importing a module failed", StringComparison.Ordinal) ? "" : $" The peer's last log lines: {RecentErrorText()}";
            throw new InvalidOperationException($"The PyTorch peer failed '{command}': {message}.{hint}");
        }

        return response;
    }

    private InvalidOperationException PeerExited(string command) =>
        new($"The PyTorch peer exited before responding to '{command}'. {DescribeExit()}");

    private string DescribeExit()
    {
        _process.WaitForExit(TimeSpan.FromSeconds(5));
        string exit = _process.HasExited ? $"Exit code {_process.ExitCode}." : "It is still running.";
        return $"{exit} Its last log lines: {RecentErrorText()}.";
    }

    private string RecentErrorText()
    {
        lock (_errorGate)
        {
            return _recentErrorLines.Count == 0 ? "(none)" : string.Join(" | ", _recentErrorLines);
        }
    }

    private void OnErrorLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_errorGate)
        {
            _recentErrorLines.Enqueue(line);
            while (_recentErrorLines.Count > KeptErrorLines)
            {
                _recentErrorLines.Dequeue();
            }
        }

        ProgressLog.Info($"[pytorch peer] {line}");
    }

    private static string ReadString(JsonObject response, string name) =>
        response[name]?.GetValue<string>() ?? throw new InvalidOperationException($"The PyTorch peer's response lacks '{name}': {response.ToJsonString()}");

    private static double ReadNumber(JsonObject response, string name) =>
        response[name]?.GetValue<double>() ?? throw new InvalidOperationException($"The PyTorch peer's response lacks '{name}': {response.ToJsonString()}");
}
