using System;
using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;
using CnnDsl.Runtime.Interpreter;
using TorchSharp;
using DeviceType = TorchSharp.DeviceType;

namespace CnnDsl.Runtime.Training
{
    /// <summary>What a model's output means.</summary>
    public enum OutputKind
    {
        /// <summary>One score per class, the larger the likelier: used as logits.</summary>
        Logits,

        /// <summary>One distance per class, the smaller the likelier (LeNet-5 1998's RBF output):
        /// <c>-distances</c> are used as logits.</summary>
        Distances,
    }

    /// <summary>
    /// A model seen as a classifier: the TorchSharp module (a generated class or an
    /// <see cref="InterpretedModel"/>: training treats both the same), its declared input and how
    /// to read its output as logits.
    /// </summary>
    public sealed class Classifier
    {
        public Classifier(torch.nn.Module<torch.Tensor, torch.Tensor> module, string name, IReadOnlyList<long> input, int classes, OutputKind output)
        {
            ArgumentNullException.ThrowIfNull(module);
            if (input.Count != 3) throw new ArgumentException($"{name} declares an input of {input.Count} dimensions; a classifier of images needs channels x height x width", nameof(input));
            if (classes < 2) throw new ArgumentException($"{name} has {classes} output; a classifier needs one per class", nameof(classes));
            Module = module;
            Name = name;
            Input = input.ToArray();
            Classes = classes;
            Output = output;
        }

        public torch.nn.Module<torch.Tensor, torch.Tensor> Module { get; }
        public string Name { get; }

        /// <summary>The declared input of one sample: channels, height, width.</summary>
        public long[] Input { get; }

        /// <summary>How many outputs, one per class.</summary>
        public int Classes { get; }

        public OutputKind Output { get; }

        /// <summary>Where the module's tensors are (the CPU unless <see cref="MoveTo"/> moved them).</summary>
        public torch.Device Device { get; private set; } = torch.CPU;

        /// <summary>Moves the module to a device (CUDA, where a CUDA build of libtorch is installed).</summary>
        public void MoveTo(torch.Device device)
        {
            ArgumentNullException.ThrowIfNull(device);
            Module.to(device);
            Device = device;
        }

        /// <summary>A tensor on the module's device (the same tensor on the CPU).</summary>
        public torch.Tensor ToDevice(torch.Tensor tensor) => Device.type == DeviceType.CPU ? tensor : tensor.to(Device);

        /// <summary>A classifier for a module built from, or generated from, an analysed model.</summary>
        /// <exception cref="ArgumentException">The model does not map an image to one score per class.</exception>
        public static Classifier For(torch.nn.Module<torch.Tensor, torch.Tensor> module, ModelInfo model)
        {
            ArgumentNullException.ThrowIfNull(model);
            if (!model.Input.IsImage)
            {
                throw new ArgumentException($"{model.Name} takes a {model.Input} input, not an image (channels x height x width)");
            }

            if (model.Output.Rank != 1)
            {
                throw new ArgumentException($"{model.Name} outputs {model.Output} per sample; a classifier outputs one score per class (end it with flatten and linear)");
            }

            return new Classifier(module, model.Name, model.Input.Dimensions.ToArray(), checked((int)model.Output.Channels), KindOf(model));
        }

        /// <summary>A classifier for an interpreted model.</summary>
        public static Classifier For(InterpretedModel model) => For(model, model.Model);

        /// <summary><see cref="OutputKind.Distances"/> when the last layer of the forward path is
        /// an RBF output; logits otherwise.</summary>
        public static OutputKind KindOf(ModelInfo model)
        {
            var node = model.Root;
            while (node.IsGroup)
            {
                var last = node.Kind == NodeKind.Group
                    ? node.Children.LastOrDefault(c => c.Kind != NodeKind.Auxiliary)
                    : null;
                if (last is null) return OutputKind.Logits;
                node = last;
            }

            return node.Spec is RbfSpec ? OutputKind.Distances : OutputKind.Logits;
        }

        /// <summary>The logits for a batch [N, C, H, W]: the module's output, negated for distances.</summary>
        public torch.Tensor Logits(torch.Tensor batch)
        {
            var output = Module.forward(batch);
            if (Output == OutputKind.Logits) return output;
            using (output)
            {
                return output.neg();
            }
        }

        /// <summary>"1x32x32".</summary>
        public string InputText => string.Join("x", Input);
    }
}
