using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Runtime.Merges;
using TorchSharp;

namespace CnnDsl.Runtime.Interpreter
{
    /// <summary>A TorchSharp module built at run time from an analysed .cnn model, without
    /// compiling C#. Its modules are registered under the same names as the generated class's,
    /// so a state_dict saved from one loads into the other.</summary>
    public sealed class InterpretedModel : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        private readonly Dictionary<string, torch.nn.Module<torch.Tensor, torch.Tensor>> _layers = new(StringComparer.Ordinal);

        /// <summary>Batch norms folded into their convolution by <see cref="FuseForInference"/>.</summary>
        private readonly HashSet<string> _folded = new(StringComparer.Ordinal);

        public InterpretedModel(ModelInfo model)
            : base(model.Name)
        {
            // Once per process: makes libtorch's float32 convolutions right before any layer
            // exists (docs/convolution-fault.md).
            TorchRuntime.EnsureAvailable();
            Model = model;
            foreach (var member in model.Root.Members())
            {
                ModuleGroup.Register(this, member.Name, Build(member));
            }
        }

        /// <summary>The analysis the module was built from: shapes, counts, names.</summary>
        public ModelInfo Model { get; }

        /// <summary>Prepares the model for inference as the generated class's method of the same
        /// name does: eval mode, and each batch norm that directly follows a convolution
        /// (<see cref="BatchNormFolding"/>) folded into it and skipped from then on. Irreversible.</summary>
        public void FuseForInference()
        {
            if (_folded.Count > 0) return;
            eval();
            foreach (var (conv, norm) in BatchNormFolding.Pairs(Model.Root))
            {
                Fusion.FoldBatchNorm((TorchSharp.Modules.Conv2d)_layers[conv.Path], (TorchSharp.Modules.BatchNorm2d)_layers[norm.Path]);
                _folded.Add(norm.Path);
            }
        }

        /// <summary>The module of the layer at a path, such as <c>features.0</c>.</summary>
        public torch.nn.Module<torch.Tensor, torch.Tensor> Layer(string path) => _layers[path];

        public override torch.Tensor forward(torch.Tensor input)
        {
            using var scope = torch.NewDisposeScope();
            return Run(Model.Root, input, null).MoveToOuterDisposeScope();
        }

        /// <summary>The main output and each auxiliary head's, in forward order.</summary>
        /// <exception cref="InvalidOperationException">The model was folded by <see cref="FuseForInference"/>.</exception>
        public (torch.Tensor Output, IReadOnlyList<torch.Tensor> Auxiliary) ForwardWithAuxiliary(torch.Tensor input)
        {
            if (_folded.Count > 0) throw new InvalidOperationException("the auxiliary heads train; this instance was folded for inference by FuseForInference");
            using var scope = torch.NewDisposeScope();
            var heads = new List<torch.Tensor>();
            var output = Run(Model.Root, input, heads).MoveToOuterDisposeScope();
            return (output, heads.Select(h => h.MoveToOuterDisposeScope()).ToList());
        }

        private torch.nn.Module Build(LayerInfo node)
        {
            if (!node.IsGroup)
            {
                var module = RecipeInvoker.Create(node.Spec!.Recipe(node.Input));
                _layers[node.Path] = module;
                return module;
            }

            return new ModuleGroup(node.Name, node.Members().Select(m => (m.Name, Build(m))).ToArray());
        }

        // Every tensor a node makes is freed as soon as nothing further reads it, as the generated
        // forward does: holding a whole pass's intermediates until the end makes the allocator map
        // fresh memory for each of them (1.1-1.8 times slower, benchmarks/RESULTS.md). A node
        // never frees its own input: the caller (a branch, a shortcut) may still read it.
        private torch.Tensor Run(LayerInfo node, torch.Tensor x, List<torch.Tensor>? heads)
        {
            switch (node.Kind)
            {
                case NodeKind.Layer:
                    return _folded.Contains(node.Path) ? x : _layers[node.Path].forward(x);
                case NodeKind.Group:
                    return Sequence(node.Children, x, heads);
                case NodeKind.Merge:
                    var inputs = node.Structure!.Inputs.Apply(TorchTensorAlgebra.Instance, x, node.Input, node.Branches.Count);
                    var parts = node.Branches.Select((branch, i) => Sequence(branch, inputs[i], heads)).ToArray();
                    return Consume(node.Structure.Merge.Apply(TorchTensorAlgebra.Instance, parts), x, parts.Concat(inputs).ToArray());
                case NodeKind.Auxiliary:
                    heads?.Add(Sequence(node.Children, x, heads));
                    return x;
                default:
                    throw new InvalidOperationException($"cannot run a node of kind {node.Kind}");
            }
        }

        private torch.Tensor Sequence(IEnumerable<LayerInfo> nodes, torch.Tensor input, List<torch.Tensor>? heads)
        {
            var x = input;
            // The node that made x inside this sequence, while the next node is x's only reader
            // (null for the sequence's own input, and after an auxiliary head has read x).
            LayerInfo? producer = null;
            foreach (var node in nodes)
            {
                if (producer is not null && InPlace.MethodOf(node) is not null && InPlace.MayOverwriteOutputOf(producer))
                {
                    // As the generated forward does: no fresh copy of a large activation.
                    InPlaceMethods.Apply(InPlace.MethodOf(node)!, x);
                    producer = node;
                    continue;
                }

                var previous = x;
                x = Run(node, previous, heads);
                if (!ReferenceEquals(previous, input) && !ReferenceEquals(previous, x)) previous.Dispose();
                producer = node.Kind == NodeKind.Auxiliary || ReferenceEquals(x, input) ? null : Producer(node);
            }

            return x;
        }

        /// <summary>The node that makes a node's output: a group's is its last member's.</summary>
        private static LayerInfo? Producer(LayerInfo node) =>
            node.Kind != NodeKind.Group ? node : node.Children.Count == 0 ? null : Producer(node.Children[node.Children.Count - 1]);

        /// <summary>Frees the parts a merge was made of and its branches' inputs (not the merge's own
        /// input), returns the merge.</summary>
        private static torch.Tensor Consume(torch.Tensor merged, torch.Tensor input, params torch.Tensor[] parts)
        {
            foreach (var part in parts.Distinct())
            {
                if (!ReferenceEquals(part, input) && !ReferenceEquals(part, merged)) part.Dispose();
            }

            return merged;
        }
    }
}
