using System.Diagnostics;
using ReproKit.Heads;
using static TorchSharp.torch;

namespace ReproKit.Benchmarks;

/// <summary>
/// The time of a head alone: forward with labels, cross-entropy and backward on a random embedding batch, without
/// the network below it. A margin head's extra cost over softmax is smaller than the run-to-run spread of whole
/// training steps, which is several percent. Timed alone over many steps, it can be measured and then compared
/// with the whole step.
/// </summary>
internal static class HeadCost
{
    /// <summary>Milliseconds per step of <paramref name="head"/> alone, over about <paramref name="seconds"/> of steps.</summary>
    public static double MillisecondsPerStep(HeadSpec head, long embeddingSize, int classes, int batchSize, double seconds)
    {
        manual_seed(1);
        using var module = head.CreateHead(embeddingSize, classes);
        using var embedding = randn([batchSize, embeddingSize]).requires_grad_();
        using var labels = randint(classes, [batchSize], dtype: ScalarType.Int64);

        void Step()
        {
            using var scope = NewDisposeScope();
            module.zero_grad();
            embedding.grad?.zero_();
            var loss = ClassificationHead.Loss(module.forward(embedding, labels), labels);
            loss.backward();
            loss.item<float>();
        }

        for (int i = 0; i < 20; i++)
        {
            Step();
        }

        long steps = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            Step();
            steps++;
        }

        return clock.Elapsed.TotalMilliseconds / steps;
    }
}
