namespace CnnDsl.Dsl.Layers;

/// <summary>What a forward pass may overwrite around one layer, as torchvision's
/// <c>ReLU(inplace=True)</c> does. <see cref="OutputNeededByBackward"/>: the layer's backward pass
/// reads its own output, so nothing may change that output in place afterwards (a ReLU's does; a
/// convolution's, batch norm's and linear layer's do not). <see cref="Method"/>: the TorchSharp
/// method that applies the layer in place (<c>relu_</c>), or null where there is none that
/// autograd allows.</summary>
public sealed record InPlaceRule(bool OutputNeededByBackward, string? Method)
{
    /// <summary>Nothing in place, and the output must be kept as it is: the safe default.</summary>
    public static InPlaceRule Never { get; } = new(true, null);

    /// <summary>Not in place itself, but its output may be overwritten by the next layer.</summary>
    public static InPlaceRule OutputFree { get; } = new(false, null);
}
