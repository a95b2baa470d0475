namespace ReproKit.Training;

/// <summary>Linear warm-up followed by cosine decay to zero, as a function of the step.</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// Returns the learning rate for zero-based <paramref name="step"/> of <paramref name="totalSteps"/>:
    /// rising linearly to <paramref name="peak"/> over <paramref name="warmupSteps"/> steps, then
    /// <c>peak * (1 + cos(pi t)) / 2</c> with t going from 0 to 1 over the remaining steps.
    /// </summary>
    public static double At(long step, long totalSteps, long warmupSteps, double peak)
    {
        if (step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }

        long decaySteps = Math.Max(1, totalSteps - warmupSteps);
        double progress = Math.Clamp((double)(step - warmupSteps) / decaySteps, 0.0, 1.0);
        return peak * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }
}
