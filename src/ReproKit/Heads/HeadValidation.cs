using System.Globalization;

namespace ReproKit.Heads;

/// <summary>Guard clauses shared by the heads, with messages that name the setting, the value and the allowed range.</summary>
internal static class HeadValidation
{
    public static void RequireInRange(double value, double min, double max, string parameterName, string description)
    {
        if (double.IsNaN(value) || value < min || value > max)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                value,
                string.Create(CultureInfo.InvariantCulture, $"The {description} is {value}, but it must be in [{min}, {max}]."));
        }
    }

    public static void RequirePositiveFinite(double value, string parameterName, string description)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                value,
                string.Create(CultureInfo.InvariantCulture, $"The {description} is {value}, but it must be a finite number greater than 0."));
        }
    }

    public static void RequireAtLeast(long value, long min, string parameterName, string description)
    {
        if (value < min)
        {
            throw new ArgumentOutOfRangeException(
                parameterName,
                value,
                string.Create(CultureInfo.InvariantCulture, $"The {description} is {value}, but it must be at least {min}."));
        }
    }
}
