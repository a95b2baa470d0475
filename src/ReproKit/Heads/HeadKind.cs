namespace ReproKit.Heads;

/// <summary>The classification heads the kit compares.</summary>
public enum HeadKind
{
    /// <summary>Linear layer with bias and softmax cross-entropy: VGG-16's original head.</summary>
    Softmax,

    /// <summary>Large margin cosine loss (CosFace): target logit s (cos(theta) - m).</summary>
    Lmcl,

    /// <summary>Large margin angular loss (ArcFace): target logit s cos(theta + m).</summary>
    Lmal,

    /// <summary>Combined margin s (cos(m1 theta + m2) - m3), SphereFace's multiplicative margin included.</summary>
    Combined,
}
