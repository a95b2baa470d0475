using System.Globalization;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ReproKit.Benchmarks;

/// <summary>
/// The synthetic JPEG corpus of the pipeline and epoch suites: 400 images of about 500x375 pixels (a fifth of them
/// portrait), quality 90, generated with a fixed seed. Each image has smooth colour fields, overlapping rectangles
/// with hard edges and pixel noise, so that the files carry detail like photographs (about 65 kB on average with
/// ImageSharp 2.1's encoder) rather than flat colour, which would decode unrealistically fast.
/// </summary>
internal static class JpegCorpus
{
    public const int ImageCount = 400;
    public const int Quality = 90;

    private const int Seed = 1;
    private const int BaseWidth = 500;
    private const int BaseHeight = 375;
    private const string MarkerName = "corpus.txt";

    // Changing the generator changes this line, so an existing folder is regenerated instead of reused.
    private static readonly string Description = string.Create(
        CultureInfo.InvariantCulture,
        $"ReproKit benchmark corpus, generator version 2: {ImageCount} JPEGs around {BaseWidth}x{BaseHeight}, quality {Quality}, seed {Seed}");

    /// <summary>
    /// Returns the corpus files in <paramref name="directory"/> in ordinal order, generating them first unless the
    /// folder's marker file shows a complete corpus of this version.
    /// </summary>
    /// <exception cref="IOException">The folder cannot be created or written; the message names it.</exception>
    public static IReadOnlyList<string> Ensure(string directory)
    {
        string marker = Path.Combine(directory, MarkerName);
        var files = Enumerable.Range(0, ImageCount).Select(i => Path.Combine(directory, FileName(i))).ToList();
        if (File.Exists(marker) && File.ReadAllText(marker).Trim() == Description && files.All(File.Exists))
        {
            ProgressLog.Info($"corpus: reusing {ImageCount} JPEGs in {directory}");
            return files;
        }

        ProgressLog.Info($"corpus: generating {ImageCount} JPEGs (about {BaseWidth}x{BaseHeight}, quality {Quality}) in {directory}");
        try
        {
            Directory.CreateDirectory(directory);
            File.Delete(marker);
            var encoder = new JpegEncoder { Quality = Quality };
            for (int i = 0; i < ImageCount; i++)
            {
                using Image<Rgb24> image = Generate(new Random(Seed * 100_003 + i), portrait: i % 5 == 4);
                string temporary = files[i] + ".tmp";
                image.SaveAsJpeg(temporary, encoder);
                File.Move(temporary, files[i], overwrite: true);
            }

            File.WriteAllText(marker, Description + Environment.NewLine);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Generating the JPEG corpus in '{directory}' failed: {error.Message}. Pass --corpus with a writable folder.", error);
        }

        long bytes = files.Sum(f => new FileInfo(f).Length);
        ProgressLog.Info(string.Create(CultureInfo.InvariantCulture, $"corpus: {ImageCount} files, {bytes / ImageCount / 1024.0:F0} kB on average"));
        return files;
    }

    private static string FileName(int index) => string.Create(CultureInfo.InvariantCulture, $"image_{index:D4}.jpg");

    private static Image<Rgb24> Generate(Random random, bool portrait)
    {
        // Sizes within 10% of 500x375, like a folder of downscaled photographs.
        int width = (int)(BaseWidth * (0.9 + (0.2 * random.NextDouble())));
        int height = (int)(BaseHeight * (0.9 + (0.2 * random.NextDouble())));
        if (portrait)
        {
            (width, height) = (height, width);
        }

        float[][] columnWaves = [.. Enumerable.Range(0, 3).Select(_ => Wave(random, width))];
        float[][] rowWaves = [.. Enumerable.Range(0, 3).Select(_ => Wave(random, height))];
        var rectangles = Enumerable.Range(0, 12).Select(_ => RandomRectangle(random, width, height)).ToArray();

        var pixels = new Rgb24[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float red = 128 + columnWaves[0][x] + rowWaves[0][y];
                float green = 128 + columnWaves[1][x] + rowWaves[1][y];
                float blue = 128 + columnWaves[2][x] + rowWaves[2][y];

                foreach (var (area, colour, opacity) in rectangles)
                {
                    if (area.Contains(x, y))
                    {
                        red += opacity * (colour.R - red);
                        green += opacity * (colour.G - green);
                        blue += opacity * (colour.B - blue);
                    }
                }

                // Noise of up to +-12 levels in brightness and +-4 per channel, as fine texture and sensor noise add to a photograph.
                int noise = random.Next(-12, 13);
                pixels[(y * width) + x] = new Rgb24(
                    ToByte(red + noise + random.Next(-4, 5)),
                    ToByte(green + noise + random.Next(-4, 5)),
                    ToByte(blue + noise + random.Next(-4, 5)));
            }
        }

        return Image.LoadPixelData<Rgb24>(pixels, width, height);
    }

    /// <summary>A sum of two sinusoids along one axis, amplitude up to 60 levels, periods from 40 to 500 pixels.</summary>
    private static float[] Wave(Random random, int length)
    {
        double period1 = 40 + (460 * random.NextDouble());
        double period2 = 40 + (460 * random.NextDouble());
        double phase1 = 2 * Math.PI * random.NextDouble();
        double phase2 = 2 * Math.PI * random.NextDouble();
        double amplitude1 = 40 * random.NextDouble();
        double amplitude2 = 20 * random.NextDouble();

        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((amplitude1 * Math.Sin((2 * Math.PI * i / period1) + phase1)) + (amplitude2 * Math.Sin((2 * Math.PI * i / period2) + phase2)));
        }

        return values;
    }

    private static (Rectangle Area, Rgb24 Colour, float Opacity) RandomRectangle(Random random, int width, int height)
    {
        int rectangleWidth = random.Next(width / 10, width / 2);
        int rectangleHeight = random.Next(height / 10, height / 2);
        var area = new Rectangle(random.Next(width - rectangleWidth), random.Next(height - rectangleHeight), rectangleWidth, rectangleHeight);
        var colour = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        return (area, colour, (float)(0.3 + (0.6 * random.NextDouble())));
    }

    private static byte ToByte(float value) => (byte)Math.Clamp((int)MathF.Round(value), 0, 255);
}
