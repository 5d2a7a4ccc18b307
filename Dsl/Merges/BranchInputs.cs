using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Dsl.Merges;

/// <summary>What each branch of a structure receives from the structure's input: the whole
/// input (concat, residual, dense, gate), or one of equal chunks along channels (split, as
/// ShuffleNetV2's <c>x.chunk(2, dim=1)</c>). Every consumer (analysis, generator, interpreter,
/// verify, graph) asks here and none switches on the structure.</summary>
public abstract record BranchInputs
{
    /// <summary>Every branch reads the structure's whole input.</summary>
    public static BranchInputs Shared { get; } = new SharedInputs();

    /// <summary>Branch i reads the i-th of as many equal channel chunks as there are branches
    /// (<c>torch.chunk(x, n, dim=1)</c> with n dividing the channels).</summary>
    public static BranchInputs ChannelChunks { get; } = new ChunkedInputs();

    /// <summary>True where each branch reads all of the input.</summary>
    public abstract bool IsShared { get; }

    /// <summary>The shape each of <paramref name="branches"/> branches receives for an input of
    /// shape <paramref name="input"/> (C x H x W or features), or why the input cannot be shared out.</summary>
    public abstract BranchInputsOutcome Shapes(Shape input, int branches);

    /// <summary>The channel range [Start, Start + Length) each branch reads, in branch order.</summary>
    public abstract IReadOnlyList<(long Start, long Length)> Channels(Shape input, int branches);

    /// <summary>The branches' inputs as tensor operations of <paramref name="algebra"/>; an
    /// element equal to <paramref name="input"/> is the input itself, not a copy.</summary>
    public IReadOnlyList<T> Apply<T>(ITensorAlgebra<T> algebra, T input, Shape inputShape, int branches) =>
        IsShared
            ? Enumerable.Repeat(input, branches).ToList()
            : Channels(inputShape, branches).Select(c => algebra.Narrow(input, c.Start, c.Length)).ToList();

    private sealed record SharedInputs : BranchInputs
    {
        public override bool IsShared => true;

        public override BranchInputsOutcome Shapes(Shape input, int branches) =>
            BranchInputsOutcome.Ok(Enumerable.Repeat(input, branches).ToList());

        public override IReadOnlyList<(long Start, long Length)> Channels(Shape input, int branches) =>
            Enumerable.Repeat((0L, input.Channels), branches).ToList();
    }

    private sealed record ChunkedInputs : BranchInputs
    {
        public override bool IsShared => false;

        public override BranchInputsOutcome Shapes(Shape input, int branches)
        {
            if (input.IsChannelsLast)
            {
                return BranchInputsOutcome.Fail(
                    $"split cuts dimension 1 of a CxHxW tensor, its channels, but receives the channels-last {input}",
                    "insert `permute(0, 3, 1, 2)` before it to put the channels first again",
                    DiagnosticCodes.LayoutMismatch);
            }

            if (branches < 1 || input.Channels % branches != 0)
            {
                return BranchInputsOutcome.Fail(
                    $"split cuts its input's {input.Channels} channels into {branches} equal chunks, one per branch, but {input.Channels} is not a multiple of {branches}",
                    "give split as many branches as divide the channels, or change the channels before it");
            }

            var chunk = input.Channels / branches;
            var dimensions = input.Dimensions.ToArray();
            dimensions[0] = chunk;
            return BranchInputsOutcome.Ok(Enumerable.Repeat(new Shape(dimensions), branches).ToList());
        }

        public override IReadOnlyList<(long Start, long Length)> Channels(Shape input, int branches)
        {
            var chunk = input.Channels / branches;
            return Enumerable.Range(0, branches).Select(i => (i * chunk, chunk)).ToList();
        }
    }
}

/// <summary>The shapes a structure's branches receive, or why its input cannot be shared out and
/// the diagnostic that says so.</summary>
public sealed record BranchInputsOutcome(IReadOnlyList<Shape>? Inputs, string? Error, string? Help, DiagnosticDescriptor? Code)
{
    public static BranchInputsOutcome Ok(IReadOnlyList<Shape> inputs) => new(inputs, null, null, null);

    /// <summary>Refused, by default as <see cref="DiagnosticCodes.ChunksDoNotDivide"/>.</summary>
    public static BranchInputsOutcome Fail(string error, string? help = null, DiagnosticDescriptor? code = null) =>
        new(null, error, help, code ?? DiagnosticCodes.ChunksDoNotDivide);
}
