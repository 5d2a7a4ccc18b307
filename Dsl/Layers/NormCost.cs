namespace CnnDsl.Dsl.Layers;

/// <summary>The cost of layer, group and instance normalisation, which compute their statistics
/// at inference too (batch norm folds into a scale and shift; these cannot).</summary>
internal static class NormCost
{
    /// <summary>Per input element: 4 to normalise (the mean's and the variance's sums, the
    /// subtraction, the scaling), plus 1 multiply-add with the affine transform. This is fvcore's
    /// rule for <c>aten::layer_norm</c>, <c>group_norm</c> and <c>instance_norm</c>
    /// (<c>norm_flop_counter</c>: 5 per input element with the affine weight, 4 without), so CnnDsl
    /// and fvcore agree.</summary>
    public static long PerElement(Shape input, bool affine) => checked(input.Elements * (affine ? 5 : 4));
}
