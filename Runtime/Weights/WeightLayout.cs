using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;

namespace CnnDsl.Runtime.Weights
{
    /// <summary>One state_dict entry as the analysis computes it: key and shape in PyTorch's
    /// layout (a convolution's weight is out x in/groups x kH x kW).</summary>
    public sealed record WeightEntry(string Key, IReadOnlyList<long> Shape);

    /// <summary>What a model's state_dict holds, known before anything is built: every key with
    /// its shape in registration order, and the paths of its auxiliary heads (training-only
    /// classifiers such as GoogLeNet's <c>aux1</c>). Generated classes carry theirs as a
    /// compile-time constant; the interpreter takes it from the analysis.</summary>
    public sealed class WeightLayout
    {
        public WeightLayout(string model, IReadOnlyList<WeightEntry> entries, IReadOnlyList<string> auxiliaryHeads)
        {
            Model = model;
            Entries = entries;
            AuxiliaryHeads = auxiliaryHeads;
        }

        /// <summary>The model's name in its .cnn file.</summary>
        public string Model { get; }

        public IReadOnlyList<WeightEntry> Entries { get; }

        /// <summary>Paths of the auxiliary heads (<c>aux1</c>, <c>aux2</c>); their keys start with the path and a dot.</summary>
        public IReadOnlyList<string> AuxiliaryHeads { get; }

        /// <summary>The layout of an analysed model.</summary>
        public static WeightLayout Of(ModelInfo model) => new(
            model.Name,
            model.StateDict().Select(t => new WeightEntry(t.Key, t.Tensor.Shape.ToArray())).ToList(),
            model.Root.DescendantsAndSelf().Where(n => n.Kind == NodeKind.Auxiliary).Select(n => n.Path).ToList());

        /// <summary>Whether a set of keys and shapes is exactly this layout's.</summary>
        public bool Fits(IReadOnlyDictionary<string, IReadOnlyList<long>> tensors) =>
            tensors.Count == Entries.Count
            && Entries.All(e => tensors.TryGetValue(e.Key, out var shape) && shape.SequenceEqual(e.Shape));
    }
}
