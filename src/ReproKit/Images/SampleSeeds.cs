namespace ReproKit.Images;

/// <summary>
/// Derives the seeds of <see cref="ImageBatchLoader"/>'s random generators from the loader seed, the epoch and
/// the sample index, so that no result depends on which thread handles a sample or when.
/// </summary>
internal static class SampleSeeds
{
    private const ulong ShuffleStream = 0x5348_5546_464C_4531; // ASCII "SHUFFLE1"
    private const ulong SampleStream = 0x5341_4D50_4C45_5331;  // ASCII "SAMPLES1"

    /// <summary>Seed of the generator that shuffles epoch <paramref name="epoch"/>.</summary>
    public static int ForShuffle(int seed, int epoch) => Combine(ShuffleStream, seed, epoch, 0);

    /// <summary>Seed of the generator for the random transforms of one sample in one epoch.</summary>
    public static int ForSample(int seed, int epoch, int sampleIndex) => Combine(SampleStream, seed, epoch, sampleIndex);

    private static int Combine(ulong stream, int seed, int epoch, int index)
    {
        ulong state = Mix(stream ^ (uint)seed);
        state = Mix(state ^ (uint)epoch);
        state = Mix(state ^ (uint)index);
        return (int)(state >> 33);
    }

    // The SplitMix64 finaliser (Steele, Lea and Flood, 2014): every input bit affects every output bit.
    private static ulong Mix(ulong value)
    {
        value += 0x9E37_79B9_7F4A_7C15;
        value = (value ^ (value >> 30)) * 0xBF58_476D_1CE4_E5B9;
        value = (value ^ (value >> 27)) * 0x94D0_49BB_1331_11EB;
        return value ^ (value >> 31);
    }
}
