using System.IO;
using System.Linq;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Text;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>A model built for another number of classes (<c>--classes</c>): the expected counts are
/// the file's own minus the old classifier plus the new one, worked out by hand, and equal
/// torchvision's <c>num_classes=10</c> models (counted with torchvision 0.14.1:
/// <c>sum(p.numel() for p in vgg11(num_classes=10).parameters())</c>).</summary>
public class ClassifierResizeTests
{
    private static ModelInfo Resized(string file, string model, long classes)
    {
        var path = Path.Combine(System.AppContext.BaseDirectory, "architectures", file);
        var (result, problem) = CnnCompiler.Compile(new SourceFile("architectures/" + file, File.ReadAllText(path)), null, null, model, classes);
        Assert.Null(problem);
        Assert.Empty(result!.Diagnostics);
        return Assert.Single(result.Models, m => m.Name == model);
    }

    [Theory]
    // VGG11: 132,863,336 - (4096 x 1000 + 1000) + (4096 x 10 + 10) = 128,807,306
    [InlineData("vgg.cnn", "VGG11", 128_807_306)]
    // ResNet-18: 11,689,512 - (512 x 1000 + 1000) + (512 x 10 + 10) = 11,181,642
    [InlineData("resnet.cnn", "ResNet18", 11_181_642)]
    // SqueezeNet 1.1, whose classifier is a 1x1 conv: 1,235,496 - (512 x 1000 + 1000) + (512 x 10 + 10) = 727,626
    [InlineData("squeezenet.cnn", "SqueezeNet1_1", 727_626)]
    public void A_network_with_a_classes_parameter_is_built_for_ten_classes(string file, string model, long parameters)
    {
        var resized = Resized(file, model, 10);

        Assert.Equal(parameters, resized.Parameters);
        Assert.Equal(new long[] { 10 }, resized.Output.Dimensions);
        Assert.Equal(ArchitectureModel(file, model).StateDict().Select(t => t.Key), resized.StateDict().Select(t => t.Key));
    }

    [Theory]
    [InlineData("model M = net(3)")]            // positional: replaced
    [InlineData("model M = net(classes: 3)")]   // named: replaced
    [InlineData("model M = net()")]             // absent: added
    public void The_classes_argument_is_replaced_or_added(string model)
    {
        var text = "network net(classes = 5) input 1x4x4 = flatten -> linear(classes)\n" + model + "\n";
        var (result, problem) = CnnCompiler.Compile(new SourceFile("test.cnn", text), null, null, "M", 7);

        Assert.Null(problem);
        Assert.Empty(result!.Diagnostics);
        Assert.Equal(new long[] { 7 }, result.Models.Single().Output.Dimensions);
        Assert.Equal(16 * 7 + 7, result.Models.Single().Parameters);   // 16 inputs x 7 + 7 biases
    }

    [Theory]
    [InlineData("model M input 1x4x4 = flatten -> linear(5)", "M is not a call of a network")]
    [InlineData("network net(width = 5) input 1x4x4 = flatten -> linear(width)\nmodel M = net()", "M calls `net`, which has no `classes` parameter")]
    [InlineData("model N input 1x4x4 = flatten -> linear(5)", "this file has no model `M`")]
    public void A_model_whose_class_count_is_not_a_parameter_says_why(string text, string expected)
    {
        var (result, problem) = CnnCompiler.Compile(new SourceFile("test.cnn", text), null, null, "M", 7);

        Assert.Null(result);
        Assert.StartsWith(expected, problem);
    }
}
