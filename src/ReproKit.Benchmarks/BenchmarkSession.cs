namespace ReproKit.Benchmarks;

/// <summary>
/// What the suites of one run share: the options, the PyTorch peer (started on first use and stopped at
/// the end) and the JPEG corpus (generated on first use).
/// </summary>
internal sealed class BenchmarkSession(BenchmarkOptions options) : IDisposable
{
    /// <summary>
    /// Maximum wait for one response of the peer. The slowest request, five steps of the 224x224 VGG-16, took
    /// about 20 s on two idle AMD EPYC cores, so this leaves room for a heavily loaded machine.
    /// </summary>
    public static readonly TimeSpan PeerTimeout = TimeSpan.FromMinutes(15);

    private PytorchPeer? _peer;
    private IReadOnlyList<string>? _corpus;

    public BenchmarkOptions Options => options;

    /// <summary>The PyTorch peer, started on first use.</summary>
    public PytorchPeer Peer
    {
        get
        {
            if (_peer is null)
            {
                ProgressLog.Info($"Starting the PyTorch peer: {options.PythonPath} {PytorchPeer.ScriptName} serve (BLAS: {(options.Blas == PeerBlas.OpenBlas ? "OpenBLAS preloaded" : "system selection")})");
                _peer = PytorchPeer.Start(options);
                ProgressLog.Info($"PyTorch peer ready: PyTorch {_peer.Info.Torch}, {_peer.Info.Threads} threads, {_peer.Info.Blas}");
            }

            return _peer;
        }
    }

    /// <summary>What the peer reported, or null where no suite needed it.</summary>
    public PeerInfo? PeerInfo => _peer?.Info;

    /// <summary>The corpus's JPEG files in ordinal order, generated on first use.</summary>
    public IReadOnlyList<string> CorpusFiles => _corpus ??= JpegCorpus.Ensure(options.ResolvedCorpusDirectory);

    public void Dispose() => _peer?.Dispose();
}
