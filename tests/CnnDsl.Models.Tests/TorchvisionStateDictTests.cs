using System.Linq;
using CnnDsl.Architectures;
using Xunit;

namespace CnnDsl.Models.Tests;

/// <summary>The generated modules' state_dict keys equal torchvision's, in torchvision's order, so
/// weights exported from PyTorch load without a mapping table. The expected lists are
/// torchvision's keys written out (features/avgpool/classifier, Sequential indices counting
/// every module, ReLU and pooling included).</summary>
public sealed class TorchvisionStateDictTests : IClassFixture<TorchFixture>
{
    // torchvision.models.vgg16().state_dict().keys()
    private static readonly string[] vgg16 =
    {
        "features.0.weight", "features.0.bias", "features.2.weight", "features.2.bias", "features.5.weight",
        "features.5.bias", "features.7.weight", "features.7.bias", "features.10.weight", "features.10.bias",
        "features.12.weight", "features.12.bias", "features.14.weight", "features.14.bias",
        "features.17.weight", "features.17.bias", "features.19.weight", "features.19.bias",
        "features.21.weight", "features.21.bias", "features.24.weight", "features.24.bias",
        "features.26.weight", "features.26.bias", "features.28.weight", "features.28.bias",
        "classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias",
        "classifier.6.weight", "classifier.6.bias",
    };

    // torchvision.models.vgg16_bn().state_dict().keys()
    private static readonly string[] vgg16_bn =
    {
        "features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
        "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
        "features.3.weight", "features.3.bias", "features.4.weight", "features.4.bias",
        "features.4.running_mean", "features.4.running_var", "features.4.num_batches_tracked",
        "features.7.weight", "features.7.bias", "features.8.weight", "features.8.bias",
        "features.8.running_mean", "features.8.running_var", "features.8.num_batches_tracked",
        "features.10.weight", "features.10.bias", "features.11.weight", "features.11.bias",
        "features.11.running_mean", "features.11.running_var", "features.11.num_batches_tracked",
        "features.14.weight", "features.14.bias", "features.15.weight", "features.15.bias",
        "features.15.running_mean", "features.15.running_var", "features.15.num_batches_tracked",
        "features.17.weight", "features.17.bias", "features.18.weight", "features.18.bias",
        "features.18.running_mean", "features.18.running_var", "features.18.num_batches_tracked",
        "features.20.weight", "features.20.bias", "features.21.weight", "features.21.bias",
        "features.21.running_mean", "features.21.running_var", "features.21.num_batches_tracked",
        "features.24.weight", "features.24.bias", "features.25.weight", "features.25.bias",
        "features.25.running_mean", "features.25.running_var", "features.25.num_batches_tracked",
        "features.27.weight", "features.27.bias", "features.28.weight", "features.28.bias",
        "features.28.running_mean", "features.28.running_var", "features.28.num_batches_tracked",
        "features.30.weight", "features.30.bias", "features.31.weight", "features.31.bias",
        "features.31.running_mean", "features.31.running_var", "features.31.num_batches_tracked",
        "features.34.weight", "features.34.bias", "features.35.weight", "features.35.bias",
        "features.35.running_mean", "features.35.running_var", "features.35.num_batches_tracked",
        "features.37.weight", "features.37.bias", "features.38.weight", "features.38.bias",
        "features.38.running_mean", "features.38.running_var", "features.38.num_batches_tracked",
        "features.40.weight", "features.40.bias", "features.41.weight", "features.41.bias",
        "features.41.running_mean", "features.41.running_var", "features.41.num_batches_tracked",
        "classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias",
        "classifier.6.weight", "classifier.6.bias",
    };

    // torchvision.models.alexnet().state_dict().keys()
    private static readonly string[] alexnet =
    {
        "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "features.6.weight",
        "features.6.bias", "features.8.weight", "features.8.bias", "features.10.weight", "features.10.bias",
        "classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias",
        "classifier.6.weight", "classifier.6.bias",
    };

    [Fact]
    public void Vgg16_keys_equal_torchvision()
    {
        using var model = new VGG16();
        AssertKeys(vgg16, model);
    }

    [Fact]
    public void Vgg16_bn_keys_equal_torchvision_including_buffers()
    {
        using var model = new VGG16_BN();
        AssertKeys(vgg16_bn, model);
    }

    [Fact]
    public void AlexNet_keys_equal_torchvision()
    {
        using var model = new AlexNet();
        AssertKeys(alexnet, model);
    }

    /// <summary>TorchSharp's state_dict lists all parameters, then all buffers (PyTorch interleaves
    /// them per module); loading goes by key, so the same set of keys is what matters, and the
    /// parameters and buffers each keep torchvision's order.</summary>
    private static void AssertKeys(string[] torchvision, TorchSharp.torch.nn.Module model)
    {
        var bufferNames = new[] { ".running_mean", ".running_var", ".num_batches_tracked" };
        bool IsBuffer(string key) => bufferNames.Any(key.EndsWith);

        Assert.Equal(torchvision.OrderBy(k => k, System.StringComparer.Ordinal),
            model.state_dict().Keys.OrderBy(k => k, System.StringComparer.Ordinal));
        Assert.Equal(torchvision.Where(k => !IsBuffer(k)), model.named_parameters().Select(p => p.name));
        Assert.Equal(torchvision.Where(IsBuffer), model.named_buffers().Select(b => b.name));
    }

    [Fact]
    public void Tensor_shapes_follow_pytorch_layout()
    {
        using var model = new VGG16_BN();
        var state = model.state_dict();
        Assert.Equal(new long[] { 64, 3, 3, 3 }, state["features.0.weight"].shape);
        Assert.Equal(new long[] { 64 }, state["features.1.running_var"].shape);
        Assert.Equal(new long[] { 4096, 25088 }, state["classifier.0.weight"].shape);
        Assert.Equal(new long[] { 1000 }, state["classifier.6.bias"].shape);
    }
}
