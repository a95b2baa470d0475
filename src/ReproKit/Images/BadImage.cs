namespace ReproKit.Images;

/// <summary>A sample that <see cref="ImageBatchLoader"/> left out under <see cref="BadImagePolicy.Skip"/>.</summary>
/// <param name="Path">The sample's file path, as given in its <see cref="ImageSample"/>.</param>
/// <param name="Reason">Why decoding failed, from <see cref="ImageDecodeException.Reason"/>.</param>
public sealed record BadImage(string Path, string Reason);
