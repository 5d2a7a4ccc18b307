using TorchSharp;

namespace CnnDsl.Runtime.Layers
{
    /// <summary>
    /// The squashing function of LeCun et al. 1998: <c>f(a) = A * tanh(S * a)</c>, with
    /// A = 1.7159 and S = 2/3 by default (so that f(1) = 1 and f(-1) = -1, approximately).
    /// It has no tensors.
    /// </summary>
    public sealed class ScaledTanh : torch.nn.Module<torch.Tensor, torch.Tensor>
    {
        /// <summary>Creates the function.</summary>
        /// <param name="amplitude">A, the output's asymptote.</param>
        /// <param name="slope">S, the slope at the origin divided by A.</param>
        public ScaledTanh(double amplitude = 1.7159, double slope = 2.0 / 3.0)
            : base(nameof(ScaledTanh))
        {
            Amplitude = amplitude;
            Slope = slope;
        }

        /// <summary>A in <c>A * tanh(S * a)</c>.</summary>
        public double Amplitude { get; }

        /// <summary>S in <c>A * tanh(S * a)</c>.</summary>
        public double Slope { get; }

        /// <inheritdoc/>
        public override torch.Tensor forward(torch.Tensor input)
        {
            using var scaled = input.mul(Slope);
            using var squashed = scaled.tanh();
            return squashed.mul(Amplitude);
        }
    }
}
