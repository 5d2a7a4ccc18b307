namespace CnnDsl.Dsl.Merges;

/// <summary>A way the language splits the path into branches and merges them again, as the
/// summaries name it: <c>concat [...]</c>, <c>residual(...)</c>, <c>dense(...)</c>,
/// <c>gate(...)</c>. <see cref="Name"/> is the node's <c>kind</c> in JSON and CSV summaries,
/// <see cref="TypeName"/> its type column, <see cref="Merge"/> how its branches join.</summary>
public sealed record Structure(string Name, string TypeName, Merge Merge)
{
    /// <summary>Branches from one input, joined along channels (Inception).</summary>
    public static Structure Concat { get; } = new("concat", "Concat", ConcatMerge.Instance);

    /// <summary>A body whose output is added to a shortcut's (ResNet).</summary>
    public static Structure Residual { get; } = new("residual", "Add", AddMerge.Instance);

    /// <summary>A body whose output is joined to its own input along channels (DenseNet).</summary>
    public static Structure Dense { get; } = new("dense", "DenseConcat", ConcatMerge.Instance);

    /// <summary>The input scaled by what a body computes from it (squeeze-and-excitation).</summary>
    public static Structure Gate { get; } = new("gate", "Gate", MultiplyMerge.Instance);
}
