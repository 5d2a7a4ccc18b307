using TorchSharp;

namespace CnnDsl.Runtime
{
    /// <summary>Frees intermediate tensors in a straight-line forward pass.</summary>
    public static class Activations
    {
        /// <summary>Returns <paramref name="next"/> after disposing <paramref name="previous"/>, unless
        /// previous is the caller's input or the very tensor the layer returned (layers such as
        /// dropout in eval mode may hand their input back).</summary>
        public static torch.Tensor Advance(torch.Tensor next, torch.Tensor previous, torch.Tensor input)
        {
            if (!ReferenceEquals(previous, input) && !ReferenceEquals(previous, next))
            {
                previous.Dispose();
            }

            return next;
        }
    }
}
