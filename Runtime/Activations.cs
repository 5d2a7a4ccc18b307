using TorchSharp;

namespace CnnDsl.Runtime
{
    /// <summary>Frees intermediate tensors in a straight-line forward pass.</summary>
    public static class Activations
    {
        /// <summary>Returns <paramref name="next"/> after disposing <paramref name="previous"/>,
        /// unless the layer handed previous back as its result.</summary>
        public static torch.Tensor Advance(torch.Tensor next, torch.Tensor previous)
        {
            if (!ReferenceEquals(previous, next))
            {
                previous.Dispose();
            }

            return next;
        }
    }
}
