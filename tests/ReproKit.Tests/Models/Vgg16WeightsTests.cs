using System.Buffers.Binary;
using System.Diagnostics;
using ReproKit.Models;
using static TorchSharp.torch;

namespace ReproKit.Tests.Models;

/// <summary>
/// Runs data-scripts/export-vgg16-weights.py with random weights under Debian's python3, loads the file into
/// <see cref="Vgg16"/> and compares the eval-mode penultimate features with the ones PyTorch computed.
/// </summary>
public sealed class Vgg16WeightsTests : IClassFixture<Vgg16WeightsTests.ExportedWeights>
{
    private const int BatchSize = 2;
    private const int InputElements = BatchSize * 3 * 224 * 224;
    private const int FeatureElements = BatchSize * (int)Vgg16.PenultimateSize;

    private readonly ExportedWeights _exports;

    public Vgg16WeightsTests(ExportedWeights exports)
    {
        TorchFixture.Ensure();
        _exports = exports;
    }

    [PythonTorchvisionFact]
    public void Export_Vgg16FeaturesMatchPython() => AssertFeaturesMatchPython(batchNorm: false);

    [PythonTorchvisionFact]
    public void Export_Vgg16BnFeaturesMatchPython() => AssertFeaturesMatchPython(batchNorm: true);

    [PythonTorchvisionFact]
    public void Export_TruncatedFileRejected()
    {
        ExportedWeights.Export export = _exports.Get(batchNorm: false);
        long fileLength = new FileInfo(export.WeightsFile).Length;

        // Cut points: an empty file, inside the first name, inside the data of features.0.weight, inside
        // classifier.0.weight (features.* take about 59 MB, classifier.0.weight the next 411 MB), and 100 bytes before
        // the end, inside classifier.6.bias, which TorchSharp 0.107.0 skips by seeking and would not notice.
        long[] keptLengths = [0, 5, 1_000, 300_000_000, fileLength - 100];
        Assert.True(fileLength > keptLengths[^1], $"The exported file has {fileLength} bytes, fewer than the last cut point.");

        foreach (long keptLength in keptLengths)
        {
            string truncated = _exports.Folder.Combine($"truncated-{keptLength}.tsd");
            CopyPrefix(export.WeightsFile, truncated, keptLength);

            var error = Assert.Throws<InvalidDataException>(() => new Vgg16(weightsFile: truncated));

            Assert.Contains(truncated, error.Message);
            Assert.Contains("truncated", error.Message);
            File.Delete(truncated);
        }
    }

    private void AssertFeaturesMatchPython(bool batchNorm)
    {
        ExportedWeights.Export export = _exports.Get(batchNorm);
        float[] reference = ReadLittleEndianFloats(export.ReferenceFile);
        Assert.Equal(InputElements + FeatureElements, reference.Length);
        float[] expected = reference[InputElements..];

        using var backbone = new Vgg16(batchNorm: batchNorm, weightsFile: export.WeightsFile);
        backbone.eval();
        using var input = tensor(reference[..InputElements], [BatchSize, 3, 224, 224]);
        float[] actual;
        using (no_grad())
        {
            using var features = backbone.forward(input);
            Assert.Equal(new long[] { BatchSize, Vgg16.PenultimateSize }, features.shape);
            actual = features.data<float>().ToArray();
        }

        // The features follow a ReLU, so they are at least 0. All-zero features would make any comparison pass.
        float scale = expected.Max();
        Assert.True(scale > 0, $"The Python features are all zero (maximum {scale}), so the comparison would be meaningless.");
        float maxDifference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(
            maxDifference <= 1e-4f * scale,
            $"Maximum absolute difference {maxDifference} exceeds 1e-4 of the feature scale {scale} ({(batchNorm ? "vgg16_bn" : "vgg16")}).");
    }

    private static float[] ReadLittleEndianFloats(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length % sizeof(float) == 0, $"{path} has {bytes.Length} bytes, not a whole number of float32 values.");

        var values = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float), sizeof(float)));
        }

        return values;
    }

    private static void CopyPrefix(string source, string target, long length)
    {
        using var input = File.OpenRead(source);
        using var output = File.Create(target);
        var buffer = new byte[1 << 20];
        long remaining = length;
        while (remaining > 0)
        {
            int read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            Assert.True(read > 0, $"{source} ended before byte {length}.");
            output.Write(buffer, 0, read);
            remaining -= read;
        }
    }

    /// <summary>
    /// Weights and reference files that the export script writes into a temporary folder, once per architecture
    /// and test class. The script runs on first use, so a class whose tests are all skipped never starts Python.
    /// </summary>
    public sealed class ExportedWeights : IDisposable
    {
        private const int Seed = 1;
        private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

        private readonly Dictionary<bool, Export> _exportsByBatchNorm = [];
        private readonly Lock _lock = new();

        internal TemporaryDirectory Folder { get; } = new();

        /// <summary>Returns the export for vgg16 or vgg16_bn, running the script the first time.</summary>
        internal Export Get(bool batchNorm)
        {
            lock (_lock)
            {
                if (!_exportsByBatchNorm.TryGetValue(batchNorm, out Export? export))
                {
                    export = RunScript(batchNorm);
                    _exportsByBatchNorm[batchNorm] = export;
                }

                return export;
            }
        }

        public void Dispose() => Folder.Dispose();

        private Export RunScript(bool batchNorm)
        {
            string name = batchNorm ? "vgg16_bn" : "vgg16";
            var export = new Export(Folder.Combine(name + ".tsd"), Folder.Combine(name + "-reference.bin"));
            var start = new ProcessStartInfo(PythonTorchvisionFactAttribute.Python)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepositoryPaths.Root,
                ArgumentList =
                {
                    RepositoryPaths.Combine("data-scripts", "export-vgg16-weights.py"),
                    "--random-seed", Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "--out", export.WeightsFile,
                    "--reference", export.ReferenceFile,
                },
            };
            if (batchNorm)
            {
                start.ArgumentList.Add("--bn");
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ScriptTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"export-vgg16-weights.py ({name}) did not finish within {ScriptTimeout.TotalSeconds} s.");
            }

            string log = output.Result + error.Result;
            Assert.True(process.ExitCode == 0, $"export-vgg16-weights.py ({name}) failed with exit code {process.ExitCode}.\n{log}");
            Assert.True(File.Exists(export.WeightsFile), $"export-vgg16-weights.py ({name}) did not write {export.WeightsFile}.\n{log}");
            Assert.True(File.Exists(export.ReferenceFile), $"export-vgg16-weights.py ({name}) did not write {export.ReferenceFile}.\n{log}");
            return export;
        }

        /// <summary>Paths of one architecture's TorchSharp-format weights and its reference input and features.</summary>
        internal sealed record Export(string WeightsFile, string ReferenceFile);
    }
}

/// <summary>
/// A fact that runs Debian's /usr/bin/python3 with torch and torchvision. Checking that python3-torchvision's
/// files exist is enough, because that package depends on python3-torch.
/// </summary>
internal sealed class PythonTorchvisionFactAttribute : DebianPackageFactAttribute
{
    /// <summary>Debian's Python, not one that a version manager such as pyenv puts first on PATH.</summary>
    public const string Python = "/usr/bin/python3";

    public PythonTorchvisionFactAttribute() : base("/usr/lib/python3/dist-packages/torchvision/__init__.py", "python3-torch python3-torchvision")
    {
    }
}
