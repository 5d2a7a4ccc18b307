namespace CnnDsl.Dsl.Layers;

/// <summary>The family a layer or merge is drawn in by <c>cnn graph</c> (one fill colour each).</summary>
public enum GraphFamily
{
    /// <summary>Convolutions, transposed convolutions, subsampling.</summary>
    Convolution,

    /// <summary>Batch, layer, group, instance and local response normalisation.</summary>
    Normalization,

    /// <summary>Element-wise functions.</summary>
    Activation,

    /// <summary>Pooling and upsampling: layers that change the resolution without weights.</summary>
    Resampling,

    /// <summary>Fully connected layers and the RBF output.</summary>
    Linear,

    /// <summary>Reshapes and pass-throughs: flatten, identity, dropout, channel shuffles.</summary>
    Plain,

    /// <summary>A residual addition.</summary>
    Addition,

    /// <summary>A join along channels.</summary>
    Concatenation,

    /// <summary>An element-wise product (gating).</summary>
    Multiplication,
}
