namespace CnnDsl.Dsl.Layers;

/// <summary>What kind of work a layer or merge does, as the counting presets select it
/// (<c>--count conv,linear,bn</c>).</summary>
public enum CostCategory
{
    /// <summary>No arithmetic worth counting: flatten, identity, dropout in eval mode.</summary>
    None,

    /// <summary>Convolutions, transposed convolutions, LeNet's trainable subsampling.</summary>
    Conv,

    /// <summary>Fully connected layers and LeNet's RBF output.</summary>
    Linear,

    /// <summary>Batch, layer, group and instance normalisation.</summary>
    Normalization,

    /// <summary>Local response normalisation.</summary>
    Lrn,

    /// <summary>Element-wise functions: ReLU, sigmoid, tanh, softmax, ...</summary>
    Activation,

    /// <summary>Max, average and adaptive average pooling.</summary>
    Pooling,

    /// <summary>Nearest and bilinear upsampling.</summary>
    Upsample,

    /// <summary>Residual additions.</summary>
    Addition,

    /// <summary>Element-wise products: gating (squeeze-and-excitation), learnable scales.</summary>
    Multiplication,

    /// <summary>Joins along channels (Inception, DenseNet) and channel rearrangements.</summary>
    Concatenation,
}
