using System.Collections.Generic;

namespace CnnDsl.Runtime
{
    /// <summary>One row of a generated model's compile-time layer table.</summary>
    /// <param name="Path">The layer's name as in <c>state_dict</c>, e.g. <c>features.0</c>.</param>
    /// <param name="Type">The module type (<c>Conv2d</c>) or, for a group, the block it came from.</param>
    /// <param name="Depth">Nesting depth: 0 for the model's direct children.</param>
    /// <param name="OutputShape">The shape of one output sample.</param>
    /// <param name="Parameters">Trainable parameters, including those of children.</param>
    /// <param name="Buffers">Elements of untrained state, including those of children.</param>
    /// <param name="MultiplyAdds">Convolution and linear multiply-accumulates for one sample.</param>
    public sealed record LayerSummary(
        string Path, string Type, int Depth, IReadOnlyList<long> OutputShape, long Parameters, long Buffers, long MultiplyAdds);
}
