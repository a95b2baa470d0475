using ReproKit.Heads;
using static TorchSharp.torch;

namespace ReproKit.Notebooks;

/// <summary>Where one loss puts the two classes' decision boundaries.</summary>
/// <param name="Name">The margin function's name.</param>
/// <param name="Class1Boundary">Direction (radians) beyond which, towards W2, class 1 no longer wins with its margin.</param>
/// <param name="Class2Boundary">Direction (radians) beyond which, towards W1, class 2 no longer wins with its margin.</param>
public sealed record LossBoundaries(string Name, double Class1Boundary, double Class2Boundary)
{
    /// <summary>The angle between the two boundaries (radians): the gap no feature may sit in. Zero for softmax.</summary>
    public double GapRadians => Class2Boundary - Class1Boundary;
}

/// <summary>
/// Two class weights W1 and W2 on the unit circle, and for each margin function the feature directions that
/// its class accepts. A feature at angle phi (between the weights) has theta1 = phi - a1 and theta2 = a2 - phi.
/// Class 1 wins with its margin where target(cos theta1) &gt; cos theta2, the non-target logit. The scale s
/// multiplies both sides, so it does not move the boundary. Each boundary is found by bisection on the library's own target-logit function.
/// </summary>
/// <param name="Class1Angle">Direction of W1 (radians).</param>
/// <param name="Class2Angle">Direction of W2 (radians), greater than <paramref name="Class1Angle"/>.</param>
/// <param name="Losses">One entry per margin function.</param>
public sealed record MarginGeometry(double Class1Angle, double Class2Angle, IReadOnlyList<LossBoundaries> Losses)
{
    /// <summary>Computes the boundaries for weights at <paramref name="class1Degrees"/> and <paramref name="class2Degrees"/>.</summary>
    public static MarginGeometry Compute(double class1Degrees, double class2Degrees, IEnumerable<IMarginFunction> functions)
    {
        if (!(class1Degrees >= 0 && class2Degrees <= 180 && class2Degrees - class1Degrees >= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(class2Degrees), $"The weights are at {class1Degrees} and {class2Degrees} degrees; they must satisfy 0 <= W1 < W2 <= 180 and be at least 1 degree apart.");
        }

        double a1 = class1Degrees * Math.PI / 180, a2 = class2Degrees * Math.PI / 180;
        var losses = functions.Select(f => new LossBoundaries(
            f.Name,
            Boundary(f, a1, a2, towardsClass2: true),
            Boundary(f, a1, a2, towardsClass2: false))).ToList();
        return new MarginGeometry(a1, a2, losses);
    }

    /// <summary>The target logit of <paramref name="function"/> at angle <paramref name="theta"/> (radians), through its tensor code.</summary>
    public static double TargetLogit(IMarginFunction function, double theta)
    {
        using var scope = NewDisposeScope();
        using var cos = tensor(new[] { Math.Cos(theta) }, dtype: ScalarType.Float64);
        return function.TargetLogit(cos).item<double>();
    }

    private static double Boundary(IMarginFunction function, double a1, double a2, bool towardsClass2)
    {
        // wins(phi) > 0 where the class owning the boundary still wins with its margin; it falls as phi moves
        // away from that class's weight.
        double Wins(double phi) => towardsClass2
            ? TargetLogit(function, phi - a1) - Math.Cos(a2 - phi)
            : TargetLogit(function, a2 - phi) - Math.Cos(phi - a1);
        double near = towardsClass2 ? a1 : a2, far = towardsClass2 ? a2 : a1;
        if (Wins(near) <= 0)
        {
            return near; // the margin is larger than the angle between the weights: the class wins nowhere.
        }

        for (int i = 0; i < 60; i++)
        {
            double middle = (near + far) / 2;
            if (Wins(middle) > 0)
            {
                near = middle;
            }
            else
            {
                far = middle;
            }
        }

        return (near + far) / 2;
    }
}
