namespace ReproKit.Reporting;

/// <summary>
/// One target-logit curve: the logit that a margin head feeds to softmax for the true class,
/// before the scale factor s, sampled over the angle theta between the feature and the class weight.
/// </summary>
/// <param name="Name">Legend label and CSV column header, for example "LMAL (m = 0.5)". Must not be blank.</param>
/// <param name="ThetaDegrees">Sample angles in degrees, usually 0 to 180. Must be finite.</param>
/// <param name="Values">Target logit at each angle in <paramref name="ThetaDegrees"/>, unitless and unscaled.
/// Must be finite and have the same length as <paramref name="ThetaDegrees"/>.</param>
public sealed record Curve(string Name, IReadOnlyList<double> ThetaDegrees, IReadOnlyList<double> Values);
