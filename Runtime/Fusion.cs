using TorchSharp;
using TorchSharp.Modules;

namespace CnnDsl.Runtime
{
    /// <summary>Inference-time folding of batch norm into the convolution before it.</summary>
    public static class Fusion
    {
        /// <summary>Rewrites <paramref name="conv"/>'s weight and bias so that it alone computes
        /// conv followed by <paramref name="norm"/> in eval mode (running statistics):
        /// w' = w * gamma / sqrt(var + eps), b' = (b - mean) * gamma / sqrt(var + eps) + beta.</summary>
        public static void FoldBatchNorm(Conv2d conv, BatchNorm2d norm)
        {
            using var noGrad = torch.no_grad();
            var (weight, bias) = torch.nn.utils.fuse_conv_bn_weights(
                conv.weight!, conv.bias, norm.running_mean!, norm.running_var!, norm.eps, norm.weight!, norm.bias!);
            conv.weight = weight;
            conv.bias = bias;
        }
    }
}
