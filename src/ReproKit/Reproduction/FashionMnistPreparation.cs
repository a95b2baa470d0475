using System.Globalization;
using Microsoft.Extensions.Logging;
using ReproKit.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ReproKit.Reproduction;

/// <summary>Turns Fashion-MNIST files into the normalised tensors a profile trains and tests on.</summary>
public static class FashionMnistPreparation
{
    /// <summary>
    /// Loads the data that a profile requests. With <see cref="ReproductionProfile.UseFullTrainingSplit"/> and the
    /// 60,000-image training split present (in <paramref name="dataDirectory"/>, or found by
    /// <see cref="FashionMnist.Locate"/>), it trains on that split and tests on the official test split.
    /// Otherwise it divides the embedded test split, shuffled by the profile's seed, into a training part
    /// and a held-out part. The log says which data was used.
    /// </summary>
    public static PreparedData Prepare(ReproductionProfile profile, string? dataDirectory, ILogger logger)
    {
        var testLocation = LocateTestSplit(dataDirectory, preferEmbedded: !profile.UseFullTrainingSplit);
        var trainLocation = profile.UseFullTrainingSplit ? FashionMnist.Locate(FashionMnistSplit.Train, dataDirectory) : null;
        var label = $"Fashion-MNIST ({profile.Name})";

        if (profile.UseFullTrainingSplit && trainLocation is null)
        {
            logger.LogWarning(
                "Profile {Profile} prefers the 60,000-image training split, but it is not present; using the embedded test split divided instead. Install Debian's dataset-fashion-mnist or run data-scripts/fetch-fashion-mnist.sh for the full split",
                profile.Name);
        }

        if (trainLocation is not null)
        {
            var trainData = FashionMnist.Load(trainLocation);
            var testData = FashionMnist.Load(testLocation);
            var (mean, std) = MeasureMoments(trainData.Images.Pixels);
            var description = $"Fashion-MNIST official split: {trainData.Count} training images from {trainLocation.ImagesPath} ({trainLocation.Source}), {testData.Count} test images from {testLocation.ImagesPath} ({testLocation.Source})";
            logger.LogInformation("Data: {Description}", description);
            return new PreparedData(
                ToLabeledImages("Fashion-MNIST train", trainData.Images, trainData.Labels, mean, std),
                ToLabeledImages("Fashion-MNIST test", testData.Images, testData.Labels, mean, std),
                label,
                description,
                "fashion-mnist:official-test",
                mean,
                std);
        }

        return PrepareEmbeddedDivision(profile, testLocation, label, logger);
    }

    /// <summary>
    /// Rebuilds the test set named by <paramref name="datasetKey"/> (as stored in a saved model's
    /// description) with the model's normalisation.
    /// </summary>
    public static LabeledImages LoadTestSet(string datasetKey, string? dataDirectory, double mean, double std)
    {
        var testLocation = LocateTestSplit(dataDirectory, preferEmbedded: datasetKey != "fashion-mnist:official-test");
        var testData = FashionMnist.Load(testLocation);

        if (datasetKey == "fashion-mnist:official-test")
        {
            return ToLabeledImages("Fashion-MNIST test", testData.Images, testData.Labels, mean, std);
        }

        // Keys of the embedded division read "fashion-mnist:embedded-held-out:seed=S:limit=L:fraction=F".
        var parts = datasetKey.Split(':');
        if (parts.Length != 5 || parts[1] != "embedded-held-out")
        {
            throw new ArgumentException($"Dataset key '{datasetKey}' is not one this version understands. Evaluate with a model saved by this version of ReproKit.", nameof(datasetKey));
        }

        long seed = long.Parse(parts[2]["seed=".Length..], CultureInfo.InvariantCulture);
        int limit = int.Parse(parts[3]["limit=".Length..], CultureInfo.InvariantCulture);
        double fraction = double.Parse(parts[4]["fraction=".Length..], CultureInfo.InvariantCulture);
        using var all = ToLabeledImages("Fashion-MNIST embedded", testData.Images, testData.Labels, mean, std);
        var (trainIndices, testIndices) = DivideIndices(all.Count, limit, fraction, seed);
        using (trainIndices)
        using (testIndices)
        {
            return all.Select("Fashion-MNIST embedded, held-out part", testIndices);
        }
    }

    /// <summary>
    /// Finds the test split: in <paramref name="dataDirectory"/> when given; else, when
    /// <paramref name="preferEmbedded"/>, the copy embedded in the repository, so that a profile built on it
    /// reads the very same files on every machine; else the usual search order.
    /// </summary>
    private static FashionMnistLocation LocateTestSplit(string? dataDirectory, bool preferEmbedded)
    {
        if (dataDirectory is null && preferEmbedded && FashionMnist.FindEmbeddedDirectory() is string embedded)
        {
            return FashionMnist.LocateIn(FashionMnistSplit.Test, [(embedded, FashionMnistSource.Embedded)])!;
        }

        return FashionMnist.Locate(FashionMnistSplit.Test, dataDirectory)!;
    }

    private static PreparedData PrepareEmbeddedDivision(ReproductionProfile profile, FashionMnistLocation testLocation, string label, ILogger logger)
    {
        var data = FashionMnist.Load(testLocation);
        int limit = Math.Min(profile.ImageLimit ?? data.Count, data.Count);
        var (trainIndices, testIndices) = DivideIndices(data.Count, limit, profile.HeldOutFraction, profile.Training.Seed);

        // Normalise with the moments of the training part only, so the held-out part stays unseen.
        using var raw = ToLabeledImages("Fashion-MNIST embedded", data.Images, data.Labels, 0.0, 1.0);
        using var trainRaw = raw.Select("train", trainIndices);
        using var meanTensor = trainRaw.Images.mean();
        using var stdTensor = trainRaw.Images.std();
        double mean = meanTensor.item<float>();
        double std = stdTensor.item<float>();
        using var normalised = ToLabeledImages("Fashion-MNIST embedded", data.Images, data.Labels, mean, std);

        var train = normalised.Select("Fashion-MNIST embedded, training part", trainIndices);
        var test = normalised.Select("Fashion-MNIST embedded, held-out part", testIndices);
        var description = string.Create(
            CultureInfo.InvariantCulture,
            $"Fashion-MNIST test split ({testLocation.ImagesPath}, source {testLocation.Source}) divided: {limit} of {data.Count} images shuffled with seed {profile.Training.Seed}, {train.Count} for training and {test.Count} held out for testing");
        logger.LogInformation("Data: {Description}", description);
        var key = string.Create(CultureInfo.InvariantCulture, $"fashion-mnist:embedded-held-out:seed={profile.Training.Seed}:limit={limit}:fraction={profile.HeldOutFraction}");

        trainIndices.Dispose();
        testIndices.Dispose();
        return new PreparedData(train, test, label, description, key, mean, std);
    }

    /// <summary>Shuffles 0..count-1 with <paramref name="seed"/>, keeps the first <paramref name="limit"/>, and splits off the last <paramref name="heldOutFraction"/> of those.</summary>
    internal static (Tensor Train, Tensor Test) DivideIndices(long count, int limit, double heldOutFraction, long seed)
    {
        if (!(heldOutFraction > 0 && heldOutFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "The held-out fraction must be in (0, 1).");
        }

        using var generator = new Generator((ulong)seed);
        using var order = randperm(count, generator: generator);
        long testCount = Math.Max(1, (long)Math.Round(limit * heldOutFraction));
        long trainCount = limit - testCount;
        if (trainCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The image limit leaves no training images; raise it.");
        }

        return (order.narrow(0, 0, trainCount).clone(), order.narrow(0, trainCount, testCount).clone());
    }

    private static (double Mean, double Std) MeasureMoments(byte[] pixels)
    {
        double sum = 0;
        double sumOfSquares = 0;
        foreach (var p in pixels)
        {
            double v = p / 255.0;
            sum += v;
            sumOfSquares += v * v;
        }

        double mean = sum / pixels.Length;
        return (mean, Math.Sqrt(Math.Max(sumOfSquares / pixels.Length - mean * mean, 1e-12)));
    }

    private static LabeledImages ToLabeledImages(string name, IdxImages images, byte[] labels, double mean, double std)
    {
        using var pixels = tensor(images.Pixels, new long[] { images.Count, 1, images.Rows, images.Columns });
        using var rawLabels = tensor(labels);
        var normalised = pixels.to(float32).div_(255f).sub_(mean).div_(std);
        return new LabeledImages(name, normalised, rawLabels.to(int64), FashionMnist.ClassNames);
    }
}
