using System.Collections.Generic;
using System.Linq;
using CnnDsl.Dsl.Merges;
using TorchSharp;

namespace CnnDsl.Runtime.Merges
{
    /// <summary>A merge's tensor operations on TorchSharp tensors (batch first, channels are
    /// dimension 1): what the interpreter and <c>cnn verify</c> run, the same operations the
    /// generated forward prints.</summary>
    public sealed class TorchTensorAlgebra : ITensorAlgebra<torch.Tensor>
    {
        public static TorchTensorAlgebra Instance { get; } = new TorchTensorAlgebra();

        public torch.Tensor Concatenate(IReadOnlyList<torch.Tensor> parts) => torch.cat(parts.ToArray(), 1);

        public torch.Tensor Add(torch.Tensor left, torch.Tensor right) => left.add(right);

        public torch.Tensor Multiply(torch.Tensor left, torch.Tensor right) => left.mul(right);

        public torch.Tensor Narrow(torch.Tensor input, long start, long length) => input.narrow(1, start, length);
    }
}
