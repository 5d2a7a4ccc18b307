using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;

namespace CnnDsl.Runtime.Training
{
    /// <summary>What happened to one tensor of the target model.</summary>
    public enum TransferOutcome
    {
        /// <summary>Same name and shape in the source: copied.</summary>
        Copied,

        /// <summary>No tensor of that name in the source: keeps its fresh initialisation.</summary>
        NotInSource,

        /// <summary>The source's tensor of that name has another shape: keeps its fresh initialisation.</summary>
        ShapeDiffers,

        /// <summary>The source's tensor of that name has another element type: keeps its fresh initialisation.</summary>
        TypeDiffers,
    }

    /// <summary>One tensor of the target and what the transfer did with it.</summary>
    public sealed record TransferEntry(string Name, long[] Shape, long[]? SourceShape, TransferOutcome Outcome)
    {
        public long Elements => Shape.Aggregate(1L, (a, b) => a * b);

        /// <summary>Why, in words: "copied", "new: not in VGG_A", "shape differs: [64, 32, 3, 3] in VGG_A".</summary>
        public string Reason(string sourceModel) => Outcome switch
        {
            TransferOutcome.Copied => "copied",
            TransferOutcome.NotInSource => $"not in {sourceModel}: freshly initialised",
            TransferOutcome.ShapeDiffers => $"shape differs ({StoredTensor.FormatShape(SourceShape!)} in {sourceModel}): freshly initialised",
            _ => $"element type differs in {sourceModel}: freshly initialised",
        };
    }

    /// <summary>The result of a transfer: every target tensor's outcome, and the source tensors no
    /// target tensor took.</summary>
    public sealed record TransferReport(IReadOnlyList<TransferEntry> Entries, IReadOnlyList<StoredTensor> UnusedSource)
    {
        public IEnumerable<TransferEntry> Copied => Entries.Where(e => e.Outcome == TransferOutcome.Copied);
        public long CopiedElements => Copied.Sum(e => e.Elements);
        public long TargetElements => Entries.Sum(e => e.Elements);
    }

    /// <summary>
    /// Initialises a model from another one's weights, the way Simonyan and Zisserman initialised
    /// the deeper VGG configurations from the trained configuration A: every tensor whose
    /// <c>state_dict</c> name and shape are the same in both is copied; every other tensor keeps
    /// the target's fresh initialisation. With the layers of a .cnn file named by stage
    /// (<c>"stage{i}"</c>), the first convolution of each stage and the classifier keep their
    /// names when a stage gets deeper, so they are the ones copied.
    /// </summary>
    public static class WeightTransfer
    {
        /// <summary>What a transfer would do, without changing anything.</summary>
        public static TransferReport Plan(Checkpoint source, torch.nn.Module target)
        {
            ArgumentNullException.ThrowIfNull(source);
            ArgumentNullException.ThrowIfNull(target);
            var entries = new List<TransferEntry>();
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, tensor) in target.state_dict())
            {
                var stored = source.Find(name);
                TransferOutcome outcome;
                if (stored is null) outcome = TransferOutcome.NotInSource;
                else if (!stored.Shape.SequenceEqual(tensor.shape)) outcome = TransferOutcome.ShapeDiffers;
                else if (stored.Type != tensor.dtype) outcome = TransferOutcome.TypeDiffers;
                else outcome = TransferOutcome.Copied;
                if (outcome == TransferOutcome.Copied) used.Add(name);
                entries.Add(new TransferEntry(name, tensor.shape, stored?.Shape, outcome));
            }

            return new TransferReport(entries, source.Tensors.Where(t => !used.Contains(t.Name)).ToList());
        }

        /// <summary>Copies the matching tensors into <paramref name="target"/> and reports every tensor.</summary>
        public static TransferReport Apply(Checkpoint source, torch.nn.Module target)
        {
            var report = Plan(source, target);
            var state = target.state_dict();
            using var noGrad = torch.no_grad();
            foreach (var entry in report.Copied)
            {
                using var value = source.Find(entry.Name)!.ToTensor();
                state[entry.Name].copy_(value);
            }

            return report;
        }
    }
}
