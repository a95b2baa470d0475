using TorchSharp;

namespace ReproKit.Training;

/// <summary>Turns a device option (<c>auto</c>, <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) into a torch device.</summary>
public static class DeviceSelection
{
    /// <summary>
    /// Returns the device: for <c>auto</c>, CUDA when libtorch detects a GPU and the CPU otherwise.
    /// Asking for CUDA where none is available is an error, never a silent fallback.
    /// </summary>
    public static torch.Device Resolve(string option)
    {
        var value = option.Trim().ToLowerInvariant();
        if (value == "auto")
        {
            return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        }

        if (value == "cpu")
        {
            return torch.CPU;
        }

        if (value == "cuda" || value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
            {
                throw new ArgumentException($"Device '{option}' was requested, but libtorch found no CUDA device: this build references the CPU libtorch, or no GPU driver is present. Use --device cpu, or build with a libtorch-cuda package (see environment.md).", nameof(option));
            }

            return torch.device(value);
        }

        throw new ArgumentException($"Device '{option}' is not valid. Use auto, cpu, cuda or cuda:N.", nameof(option));
    }
}
