namespace CnnDsl.Dsl.Merges;

/// <summary>A way the language splits the path into branches and merges them again, as the
/// summaries name it: <c>concat [...]</c>, <c>residual(...)</c>, <c>dense(...)</c>,
/// <c>gate(...)</c>, <c>split [...]</c>, <c>add [...]</c>. <see cref="Name"/> is the node's <c>kind</c> in JSON and
/// CSV summaries, <see cref="TypeName"/> its type column, <see cref="Inputs"/> what each branch
/// receives, <see cref="Merge"/> how its branches join.</summary>
public sealed record Structure(string Name, string TypeName, Merge Merge)
{
    /// <summary>What each branch reads of the structure's input: all of it, unless said otherwise.</summary>
    public BranchInputs Inputs { get; init; } = BranchInputs.Shared;

    /// <summary>For a structure that merges a body's output with the body's own input: what the
    /// body must do, said in the structure's terms, and how to fix it, for the diagnostic when the
    /// merge refuses the shapes; null to say what the merge itself says.</summary>
    public (string Rule, string Help)? BodyRule { get; init; }

    /// <summary>Branches from one input, joined along channels (Inception).</summary>
    public static Structure Concat { get; } = new("concat", "Concat", ConcatMerge.Instance);

    /// <summary>A body whose output is added to a shortcut's (ResNet).</summary>
    public static Structure Residual { get; } = new("residual", "Add", AddMerge.Instance);

    /// <summary>Branches from one input, added in the order written (RegNet's <c>proj(x) + f(x)</c>).</summary>
    public static Structure Sum { get; } = new("add", "Add", AddMerge.Instance);

    /// <summary>A body whose output is joined to its own input along channels (DenseNet).</summary>
    public static Structure Dense { get; } = new("dense", "DenseConcat", ConcatMerge.Instance)
    {
        BodyRule = ("a dense layer must keep the spatial size to join its output to its input",
            "pad the body's convolutions so height and width stay the same"),
    };

    /// <summary>The input scaled by what a body computes from it (squeeze-and-excitation).</summary>
    public static Structure Gate { get; } = new("gate", "Gate", MultiplyMerge.Instance);

    /// <summary>The input cut into equal channel chunks, one per branch, the branches' outputs
    /// joined along channels (ShuffleNetV2's <c>x.chunk(2, dim=1)</c> and <c>torch.cat</c>).</summary>
    public static Structure Split { get; } = new("split", "Split", ConcatMerge.Instance) { Inputs = BranchInputs.ChannelChunks };
}
