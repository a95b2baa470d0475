namespace ReproKit.Images;

/// <summary>What <see cref="ImageBatchLoader"/> does with a sample that cannot be decoded.</summary>
public enum BadImagePolicy
{
    /// <summary>Stop the epoch with the sample's <see cref="ImageDecodeException"/>.</summary>
    Error,

    /// <summary>Leave the sample out of its batch, record it in <see cref="ImageBatchLoader.BadImages"/> and log a warning once.</summary>
    Skip,
}
