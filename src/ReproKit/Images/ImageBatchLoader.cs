using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ReproKit.Images;

/// <summary>
/// Decodes and transforms samples into <see cref="ImageBatch"/>es on background threads, keeping a few batches
/// ready ahead of the consumer so the model does not wait for JPEG decoding.
/// </summary>
/// <remarks>
/// <para>
/// Batches are deterministic: with shuffling, the order of epoch e depends only on (seed, e), and each sample's
/// random transforms draw from a generator seeded by (seed, epoch, sample index). The batches are therefore the
/// same for any number of workers and any thread timing. Without shuffling, samples come in list order.
/// </para>
/// <para>
/// Each epoch runs one producer thread that decodes a batch with up to <see cref="Workers"/> threads at once
/// (the producer among them) and writes it to a bounded channel of <see cref="Prefetch"/> batches. Leaving an
/// epoch's enumeration, by finishing, breaking out or an exception, stops its producer and waits for it, so no
/// decoding continues afterwards. An enumeration that is abandoned without being disposed keeps its producer
/// blocked until the loader is disposed.
/// </para>
/// <para>
/// With <c>cacheDirectory</c>, decoded and box-cropped images are stored at
/// <see cref="ImagePipeline.CacheShorterSide"/> and read back in later epochs. File names are keyed by the
/// source's path, length and last-write time, the box and the cache size, so a changed source is decoded again.
/// The folder can be deleted at any time.
/// </para>
/// </remarks>
public sealed class ImageBatchLoader : IDisposable
{
    private readonly ImageSample[] _samples;
    private readonly int _seed;
    private readonly bool _shuffle;
    private readonly DecodedImageCache? _cache;
    private readonly ILogger _logger;

    // Cancelled by Dispose and never disposed itself, because an epoch that starts during Dispose may still read
    // its token. A source without a timer or linked tokens owns no unmanaged resources.
    private readonly CancellationTokenSource _disposal = new();

    private readonly Lock _gate = new();
    private readonly List<BadImage> _badImages = [];
    private readonly HashSet<BadImage> _badImageSet = [];
    private readonly HashSet<int> _badSampleIndices = [];
    private readonly HashSet<Task> _runningEpochs = [];
    private bool _disposed;

    /// <summary>Creates a loader. No thread starts until an epoch is enumerated.</summary>
    /// <param name="samples">The samples of one epoch. The list is copied.</param>
    /// <param name="pipeline">Decodes and transforms each sample.</param>
    /// <param name="batchSize">Samples per batch. The last batch of an epoch may be smaller.</param>
    /// <param name="shuffle">Whether each epoch visits the samples in a new order derived from (seed, epoch).</param>
    /// <param name="seed">Seed of the shuffle and of every random transform.</param>
    /// <param name="workers">Maximum threads decoding at once, or 0 for <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="prefetch">Finished batches kept ready ahead of the consumer, at least 1.</param>
    /// <param name="policy">What to do with a sample that cannot be decoded.</param>
    /// <param name="cacheDirectory">Folder for decoded images, created when first written, or null for no cache.</param>
    /// <param name="logger">Receives the settings, a summary per epoch and a warning per bad image, or null to log nothing.</param>
    public ImageBatchLoader(
        IReadOnlyList<ImageSample> samples,
        ImagePipeline pipeline,
        int batchSize,
        bool shuffle,
        int seed,
        int workers = 0,
        int prefetch = 2,
        BadImagePolicy policy = BadImagePolicy.Error,
        string? cacheDirectory = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(prefetch);
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "Use BadImagePolicy.Error or BadImagePolicy.Skip.");
        }

        _samples = [.. samples];
        for (int i = 0; i < _samples.Length; i++)
        {
            if (_samples[i] is null || string.IsNullOrWhiteSpace(_samples[i].Path))
            {
                throw new ArgumentException($"Sample {i} is null or has a blank path. Every sample needs an image file path.", nameof(samples));
            }
        }

        _logger = logger ?? NullLogger.Instance;
        _seed = seed;
        _shuffle = shuffle;
        Pipeline = pipeline;
        BatchSize = batchSize;
        Workers = workers == 0 ? Environment.ProcessorCount : workers;
        Prefetch = prefetch;
        Policy = policy;
        _cache = cacheDirectory is null ? null : new DecodedImageCache(cacheDirectory, _logger);

        _logger.LogInformation(
            "Image loader: {Samples} samples, batches of {BatchSize}, {Workers} workers, {Prefetch} batches prefetched, "
            + "shuffle {Shuffle}, seed {Seed}, bad images: {Policy}, cache: {Cache} (shorter side {CacheShorterSide})",
            _samples.Length,
            BatchSize,
            Workers,
            Prefetch,
            shuffle,
            seed,
            policy,
            _cache?.DirectoryPath ?? "off",
            pipeline.CacheShorterSide?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "full resolution");
    }

    /// <summary>Number of samples per epoch, including any that turn out to be bad.</summary>
    public int Count => _samples.Length;

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Batches per epoch before bad samples are left out: <see cref="Count"/> / <see cref="BatchSize"/>, rounded up.</summary>
    public int BatchesPerEpoch => (_samples.Length + BatchSize - 1) / BatchSize;

    /// <summary>Maximum threads decoding at once.</summary>
    public int Workers { get; }

    /// <summary>Finished batches kept ready ahead of the consumer.</summary>
    public int Prefetch { get; }

    /// <summary>What happens to a sample that cannot be decoded.</summary>
    public BadImagePolicy Policy { get; }

    /// <summary>The pipeline that processes each sample.</summary>
    public ImagePipeline Pipeline { get; }

    /// <summary>Full path of the decode cache folder, or null without a cache.</summary>
    public string? CacheDirectory => _cache?.DirectoryPath;

    /// <summary>
    /// The distinct (path, reason) pairs of samples left out under <see cref="BadImagePolicy.Skip"/> so far, in
    /// the order they were found. Later epochs skip those samples without decoding them again.
    /// </summary>
    public IReadOnlyList<BadImage> BadImages
    {
        get
        {
            lock (_gate)
            {
                return [.. _badImages];
            }
        }
    }

    internal DecodedImageCache? Cache => _cache;

    /// <summary>Epochs whose producer thread has not finished yet.</summary>
    internal int RunningEpochCount
    {
        get
        {
            lock (_gate)
            {
                return _runningEpochs.Count(producer => !producer.IsCompleted);
            }
        }
    }

    /// <summary>
    /// Returns the batches of epoch <paramref name="epoch"/>. Decoding starts at the first
    /// <c>MoveNext</c> and stops when the enumeration is disposed.
    /// </summary>
    /// <exception cref="ImageDecodeException">Under <see cref="BadImagePolicy.Error"/>, thrown by the enumeration for the first bad sample of the failing batch.</exception>
    /// <exception cref="OperationCanceledException">Thrown by the enumeration when <paramref name="cancellationToken"/> is cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The loader is disposed, or was disposed during the enumeration.</exception>
    public IEnumerable<ImageBatch> Epoch(int epoch, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return EnumerateEpoch(epoch, cancellationToken);
    }

    /// <summary>Stops every running epoch, waits for its threads to finish and makes later calls fail.</summary>
    public void Dispose()
    {
        Task[] running;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            running = [.. _runningEpochs];
        }

        _disposal.Cancel();

        // Producers never fault, because they pass every failure to their channel.
        Task.WaitAll(running);
        _logger.LogDebug("Image loader disposed after stopping {Epochs} running epoch(s)", running.Length);
    }

    /// <summary>Returns the sample indices of <paramref name="epoch"/> in the order they are batched.</summary>
    internal int[] GetSampleOrder(int epoch)
    {
        int[] order = Enumerable.Range(0, _samples.Length).ToArray();
        if (_shuffle)
        {
            new Random(SampleSeeds.ForShuffle(_seed, epoch)).Shuffle(order);
        }

        return order;
    }

    private IEnumerable<ImageBatch> EnumerateEpoch(int epoch, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposal.Token);
        Channel<ImageBatch> channel = Channel.CreateBounded<ImageBatch>(new BoundedChannelOptions(Prefetch)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        Task producer;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            producer = Task.Factory.StartNew(
                () => Produce(epoch, channel.Writer, stop.Token),
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
            _runningEpochs.Add(producer);
        }

        try
        {
            while (ReadNext(channel.Reader, epoch, stop.Token, cancellationToken) is { } batch)
            {
                yield return batch;
            }
        }
        finally
        {
            stop.Cancel();
            producer.Wait();
            lock (_gate)
            {
                _runningEpochs.Remove(producer);
            }
        }
    }

    /// <summary>Blocks until the next batch is ready, or returns null at the end of the epoch.</summary>
    private ImageBatch? ReadNext(ChannelReader<ImageBatch> reader, int epoch, CancellationToken stopToken, CancellationToken callerToken)
    {
        try
        {
            while (true)
            {
                stopToken.ThrowIfCancellationRequested();
                if (reader.TryRead(out ImageBatch? batch))
                {
                    return batch;
                }

                // A producer failure completes the channel with its exception, which this rethrows.
                if (!reader.WaitToReadAsync(stopToken).AsTask().GetAwaiter().GetResult())
                {
                    return null;
                }
            }
        }
        catch (OperationCanceledException) when (_disposal.IsCancellationRequested && !callerToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(ImageBatchLoader), $"The image loader was disposed during epoch {epoch}.");
        }
    }

    private void Produce(int epoch, ChannelWriter<ImageBatch> writer, CancellationToken token)
    {
        Exception? failure = null;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            long cacheHits = _cache?.Hits ?? 0;
            long cacheMisses = _cache?.Misses ?? 0;
            int[] order = GetSampleOrder(epoch);
            int images = 0;
            int batches = 0;
            int skipped = 0;

            for (int start = 0; start < order.Length; start += BatchSize)
            {
                token.ThrowIfCancellationRequested();
                int[] indices = order[start..Math.Min(start + BatchSize, order.Length)];
                ImageBatch? batch = BuildBatch(epoch, indices, token, ref skipped);
                if (batch is null)
                {
                    continue;
                }

                writer.WriteAsync(batch, token).AsTask().GetAwaiter().GetResult();
                images += batch.Count;
                batches++;
            }

            double seconds = stopwatch.Elapsed.TotalSeconds;
            _logger.LogInformation(
                "Epoch {Epoch} loaded: {Images} images in {Batches} batches, {Skipped} bad samples skipped, {Seconds:F1} s ({Rate:F0} images/s), cache hits {Hits} and misses {Misses}",
                epoch,
                images,
                batches,
                skipped,
                seconds,
                images / Math.Max(seconds, 1e-9),
                (_cache?.Hits ?? 0) - cacheHits,
                (_cache?.Misses ?? 0) - cacheMisses);
        }
        catch (Exception exception)
        {
            // Cancellation is passed on too, and the consumer turns it into OperationCanceledException or ObjectDisposedException.
            failure = exception;
        }
        finally
        {
            writer.TryComplete(failure);
        }
    }

    /// <summary>
    /// Processes the samples at <paramref name="indices"/> in parallel, or returns null when every one of them is
    /// bad and skipped. Failures are examined in batch order, so the exception thrown does not depend on timing.
    /// </summary>
    private ImageBatch? BuildBatch(int epoch, int[] indices, CancellationToken token, ref int skipped)
    {
        int sampleLength = Pipeline.SampleLength;
        var pixels = new float[indices.Length * sampleLength];
        var failures = new Exception?[indices.Length];
        var knownBad = new bool[indices.Length];
        if (Policy == BadImagePolicy.Skip)
        {
            lock (_gate)
            {
                for (int slot = 0; slot < indices.Length; slot++)
                {
                    knownBad[slot] = _badSampleIndices.Contains(indices[slot]);
                }
            }
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = Workers, CancellationToken = token };
        Parallel.For(0, indices.Length, options, slot =>
        {
            if (knownBad[slot])
            {
                return;
            }

            int sampleIndex = indices[slot];
            var random = new Random(SampleSeeds.ForSample(_seed, epoch, sampleIndex));
            try
            {
                Pipeline.Process(_samples[sampleIndex], random, pixels, slot * sampleLength, _cache);
            }
            catch (Exception exception)
            {
                failures[slot] = exception;
            }
        });

        var keptSlots = new List<int>(indices.Length);
        for (int slot = 0; slot < indices.Length; slot++)
        {
            if (knownBad[slot])
            {
                skipped++;
            }
            else if (failures[slot] is null)
            {
                keptSlots.Add(slot);
            }
            else if (failures[slot] is ImageDecodeException bad && Policy == BadImagePolicy.Skip)
            {
                RecordBadSample(indices[slot], bad);
                skipped++;
            }
            else
            {
                ExceptionDispatchInfo.Throw(failures[slot]!);
            }
        }

        if (keptSlots.Count == 0)
        {
            return null;
        }

        var labels = new long[keptSlots.Count];
        if (keptSlots.Count < indices.Length)
        {
            var compacted = new float[keptSlots.Count * sampleLength];
            for (int i = 0; i < keptSlots.Count; i++)
            {
                Array.Copy(pixels, keptSlots[i] * sampleLength, compacted, i * sampleLength, sampleLength);
            }

            pixels = compacted;
        }

        for (int i = 0; i < keptSlots.Count; i++)
        {
            labels[i] = _samples[indices[keptSlots[i]]].Label;
        }

        return new ImageBatch(pixels, labels, keptSlots.Count, ImagePipeline.Channels, Pipeline.OutputHeight, Pipeline.OutputWidth);
    }

    private void RecordBadSample(int sampleIndex, ImageDecodeException exception)
    {
        var badImage = new BadImage(_samples[sampleIndex].Path, exception.Reason);
        lock (_gate)
        {
            _badSampleIndices.Add(sampleIndex);
            if (!_badImageSet.Add(badImage))
            {
                return;
            }

            _badImages.Add(badImage);
        }

        _logger.LogWarning("Skipping bad image {Path}: {Reason}", badImage.Path, badImage.Reason);
    }
}
