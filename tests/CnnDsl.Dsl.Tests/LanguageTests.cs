using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>The language's features, each checked on a small model whose counts are worked out
/// by hand in the comments.</summary>
public class LanguageTests
{
    private static long Conv(long inC, long outC, long k) => outC * inC * k * k + outC;

    [Fact]
    public void Comments_are_ignored_anywhere()
    {
        var model = Model("""
            # a comment line
            model M input 1x8x8 =   # after a declaration head
              conv(4, 3)            # after a layer
              # between layers
              -> relu
            # at the end, no newline
            """);
        Assert.Equal(Conv(1, 4, 3), model.Parameters);
        Assert.Equal(2, model.Layers.Count);
    }

    [Fact]
    public void Decimals_integers_and_exponents()
    {
        var model = Model("model M input 4x8x8 = dropout(0.25) -> lrn(3, alpha: 1e-4, beta: 0.75, k: 2.0) -> batchnorm(eps: 1E-3)");
        Assert.Equal(0.25, Assert.IsType<Layers.DropoutSpec>(model.Layer("0").Spec).Probability);
        var lrn = Assert.IsType<Layers.LocalResponseNormSpec>(model.Layer("1").Spec);
        Assert.Equal(0.0001, lrn.Alpha);
        Assert.Equal(2.0, lrn.K);
        Assert.Equal(0.001, Assert.IsType<Layers.BatchNormSpec>(model.Layer("2").Spec).Epsilon);
    }

    [Fact]
    public void Named_constants_and_arithmetic()
    {
        var model = Model("""
            let base = 8
            let wide = base * 4 + 2 - 1   # 33
            let half = wide / 2           # integer division: 16
            let odd = wide % 2            # 1
            let neg = -base               # -8
            model M input 3x8x8 = conv(wide, 1) -> conv(half, 1) -> conv(odd - neg, 1)
            """);
        Assert.Equal(new long[] { 33, 16, 9 }, model.Layers.Select(l => ((Layers.Conv2dSpec)l.Spec!).OutChannels));
        Assert.Equal(Conv(3, 33, 1) + Conv(33, 16, 1) + Conv(16, 9, 1), model.Parameters);
    }

    [Fact]
    public void Operator_precedence_and_comparisons()
    {
        var model = Model("""
            let a = 2 + 3 * 4        # 14, not 20
            let b = (2 + 3) * 4      # 20
            let c = 10 - 4 - 3       # 3: left to right
            let t = a < b and not (c >= 4) or false
            model M input 1x4x4 = conv(a, 1) -> conv(b, 1) -> conv(c, 1) -> relu if t -> tanh if a == 20
            """);
        Assert.Equal(new long[] { 14, 20, 3 }, model.Layers.Take(3).Select(l => ((Layers.Conv2dSpec)l.Spec!).OutChannels));
        Assert.Equal(new[] { "Conv2d", "Conv2d", "Conv2d", "ReLU" }, model.Layers.Select(l => l.TypeName));
    }

    [Fact]
    public void Lists_indexing_concatenation_and_builtin_functions()
    {
        var model = Model("""
            let widths = [16, 32, 64]
            let more = widths + [128] * 2        # [16, 32, 64, 128, 128]
            let pair = [1, [3, 5]]
            model M input 3x16x16 =
              conv(widths[0], 3, pad: 1)               # 16
              -> conv(widths[-1], pair[1], pad: [1, 2]) # 64, kernel 3x5
              -> conv(len(more), 1)                     # 5
              -> conv(more[len(more) - 1], 1)           # 128
              -> conv(len(range(7)), 1)                 # 7
              -> relu if type(pair) == "list" and type(1) == "integer" and type(0.5) == "decimal"
              -> tanh if type(true) == "boolean" and type("M") == "string" and type(relu) == "layers"
            """);
        Assert.Equal(new long[] { 16, 64, 5, 128, 7 },
            model.Layers.Where(l => l.Spec is Layers.Conv2dSpec).Select(l => ((Layers.Conv2dSpec)l.Spec!).OutChannels));
        Assert.Equal(new Layers.Pair(3, 5), ((Layers.Conv2dSpec)model.Layer("1").Spec!).Kernel);
        Assert.Equal("ReLU", model.Layer("5").TypeName);
        Assert.Equal("Tanh", model.Layer("6").TypeName);
    }

    [Fact]
    public void For_loops_over_lists_and_ranges()
    {
        var model = Model("""
            let cfg = [8, "M", 16, "M"]
            model M input 3x16x16 =
              for v in cfg {
                if v == "M" { maxpool(2) } else { conv(v, 3, pad: 1) -> relu }
              }
              -> for i in range(2) { conv(4 * (i + 1), 1) }
            """);
        // conv 3->8, relu, pool, conv 8->16, relu, pool, conv 16->4, conv 4->8
        Assert.Equal(new[] { "Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Conv2d", "Conv2d" },
            model.Layers.Select(l => l.TypeName));
        Assert.Equal(new long[] { 8, 4, 4 }, model.Output.Dimensions);
        Assert.Equal(Conv(3, 8, 3) + Conv(8, 16, 3) + Conv(16, 4, 1) + Conv(4, 8, 1), model.Parameters);
    }

    [Fact]
    public void If_else_chains_and_if_as_a_value()
    {
        var model = Model("""
            let size = "small"
            let k = if size == "big" { 7 } else { 3 }
            model M input 3x16x16 =
              conv(8, k)
              -> if size == "big" { maxpool(3) } else if size == "small" { maxpool(2) } else { relu }
              -> if false { relu }
            """);
        Assert.Equal(new[] { "Conv2d", "MaxPool2d" }, model.Layers.Select(l => l.TypeName));
        Assert.Equal(new long[] { 8, 7, 7 }, model.Output.Dimensions); // 16 - 3 + 1 = 14, pooled by 2
    }

    [Fact]
    public void Postfix_if_guards_one_step_of_a_sequence()
    {
        var source = """
            block unit(c, bn) = conv(c, 3, pad: 1, bias: not bn) -> batchnorm if bn -> relu
            model Plain input 3x8x8 = unit(8, false)
            model Norm input 3x8x8 = unit(8, true)
            """;
        var result = CompileClean(source);
        var plain = result.Models.Single(m => m.Name == "Plain");
        var norm = result.Models.Single(m => m.Name == "Norm");
        Assert.Equal(new[] { "Conv2d", "ReLU" }, plain.Layers.Select(l => l.TypeName));
        Assert.Equal(new[] { "Conv2d", "BatchNorm2d", "ReLU" }, norm.Layers.Select(l => l.TypeName));
        Assert.Equal(Conv(3, 8, 3), plain.Parameters);
        Assert.Equal(8 * 3 * 3 * 3 + 2 * 8, norm.Parameters); // no conv bias, BN weight and bias
    }

    [Fact]
    public void Repeat_copies_its_body()
    {
        var model = Model("""
            let n = 3
            model M input 4x8x8 = repeat n { conv(4, 3, pad: 1) -> relu } -> repeat 0 { tanh }
            """);
        Assert.Equal(6, model.Layers.Count);
        Assert.Equal(3 * Conv(4, 4, 3), model.Parameters);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => i.ToString()), model.Layers.Select(l => l.Path));
    }

    [Fact]
    public void Blocks_with_defaults_named_arguments_and_parameterless_blocks()
    {
        var model = Model("""
            block unit(c, k = 3, stride = 1, act = true) = conv(c, k, stride: stride, pad: k / 2) -> relu if act
            block stem = conv(8, 1)
            model M input 3x32x32 =
              stem                          # no parentheses needed
              -> stem()
              -> unit(16)                   # k 3, stride 1, relu
              -> unit(16, 5, act: false)    # k 5, no relu
              -> unit(stride: 2, c: 32)     # named arguments in any order
            """);
        Assert.Equal(new[] { "Conv2d", "Conv2d", "Conv2d", "ReLU", "Conv2d", "Conv2d", "ReLU" }, model.Layers.Select(l => l.TypeName));
        Assert.Equal(Conv(3, 8, 1) + Conv(8, 8, 1) + Conv(8, 16, 3) + Conv(16, 16, 5) + Conv(16, 32, 3), model.Parameters);
        Assert.Equal(new long[] { 32, 16, 16 }, model.Output.Dimensions); // (32 + 2 - 3) / 2 + 1
    }

    [Fact]
    public void A_default_may_use_earlier_parameters()
    {
        var model = Model("""
            block bottleneck(c, mid = c / 4) = conv(mid, 1) -> conv(c, 1)
            model M input 16x4x4 = bottleneck(16)
            """);
        Assert.Equal(Conv(16, 4, 1) + Conv(4, 16, 1), model.Parameters);
    }

    [Fact]
    public void Labels_name_layers_and_groups()
    {
        var model = Model("""
            model M input 3x8x8 =
              stem: conv(4, 3, pad: 1)
              -> relu
              -> body: (conv(4, 3, pad: 1) -> relu -> conv(4, 3, pad: 1))
              -> relu
              -> head: (flatten -> fc: linear(10))
            """);
        // Siblings of a labeled layer without a label of their own are named after their kind.
        Assert.Equal(new[]
        {
            "stem", "relu", "body", "body.0", "body.1", "body.2", "relu_1", "head", "head.flatten", "head.fc",
        }, model.Root.DescendantsAndSelf().Skip(1).Select(l => l.Path));
        Assert.Equal(new[] { "stem.weight", "stem.bias", "body.0.weight", "body.0.bias", "body.2.weight", "body.2.bias", "head.fc.weight", "head.fc.bias" },
            model.Keys());
    }

    [Fact]
    public void A_block_with_labeled_layers_is_a_module_of_its_own_otherwise_it_splices()
    {
        var model = Model("""
            block basic(c) = conv1: conv(c, 3, pad: 1) -> relu -> conv2: conv(c, 3, pad: 1)
            block plain(c) = conv(c, 3, pad: 1) -> relu
            model M input 4x8x8 =
              stem: plain(4)
              -> layer1: (basic(4) -> basic(4))
              -> plain(4)
            """);
        Assert.Equal(new[]
        {
            "stem.0.weight", "stem.0.bias",
            "layer1.0.conv1.weight", "layer1.0.conv1.bias", "layer1.0.conv2.weight", "layer1.0.conv2.bias",
            "layer1.1.conv1.weight", "layer1.1.conv1.bias", "layer1.1.conv2.weight", "layer1.1.conv2.bias",
            "conv.weight", "conv.bias",
        }, model.Keys());
        Assert.Equal("basic", model.Layer("layer1.0").TypeName);
        Assert.Equal(6 * Conv(4, 4, 3), model.Parameters); // stem 1 + layer1 2 x 2 + plain 1
    }

    [Fact]
    public void Without_any_label_layers_are_numbered_like_nn_Sequential()
    {
        var model = Model("""
            block plain(c) = conv(c, 3, pad: 1) -> relu
            model M input 4x8x8 = plain(4) -> maxpool(2) -> plain(8)
            """);
        Assert.Equal(new[] { "0.weight", "0.bias", "3.weight", "3.bias" }, model.Keys());
    }

    [Fact]
    public void Several_models_per_file_and_a_namespace()
    {
        var result = CompileClean("""
            namespace My.Models
            model A input 1x8x8 = conv(2, 3)
            model B input 1x8x8 = conv(3, 3)
            model C input 2x4x4 = flatten -> linear(5)
            """);
        Assert.Equal("My.Models", result.Namespace);
        Assert.Equal(new[] { "A", "B", "C" }, result.Models.Select(m => m.Name));
        Assert.Equal(new[] { Conv(1, 2, 3), Conv(1, 3, 3), 32 * 5 + 5 }, result.Models.Select(m => m.Parameters));
        Assert.Null(Compile("model A input 1x8x8 = relu").Namespace);
    }

    [Fact]
    public void Networks_declare_an_input_that_a_model_may_override()
    {
        var result = CompileClean("""
            network net(classes = 10, width = 8) input 3x16x16 =
              features: (conv(width, 3, pad: 1) -> relu -> maxpool(2))
              -> flatten
              -> classifier: linear(classes)
            model Small = net()
            model Wide = net(width: 16, classes: 5)
            model Big input 3x32x32 = net(2)
            """);
        var small = result.Models.Single(m => m.Name == "Small");
        var wide = result.Models.Single(m => m.Name == "Wide");
        var big = result.Models.Single(m => m.Name == "Big");
        Assert.Equal(new long[] { 3, 16, 16 }, small.Input.Dimensions);
        Assert.Equal(Conv(3, 8, 3) + (8 * 8 * 8) * 10 + 10, small.Parameters);
        Assert.Equal(Conv(3, 16, 3) + (16 * 8 * 8) * 5 + 5, wide.Parameters);
        Assert.Equal(new long[] { 3, 32, 32 }, big.Input.Dimensions);
        Assert.Equal(Conv(3, 8, 3) + (8 * 16 * 16) * 2 + 2, big.Parameters);
        // The network's layers sit at the top of the model: no extra level in the names.
        Assert.Equal(new[] { "features.0.weight", "features.0.bias", "classifier.weight", "classifier.bias" }, small.Keys());
    }

    [Fact]
    public void A_network_can_be_used_inside_a_larger_model()
    {
        var model = Model("""
            network trunk input 3x8x8 = conv(4, 3, pad: 1) -> relu
            model M input 3x8x8 = trunk -> flatten -> linear(2)
            """);
        Assert.Equal(Conv(3, 4, 3) + 256 * 2 + 2, model.Parameters);
    }

    [Fact]
    public void Constants_can_hold_layers()
    {
        var result = CompileClean("""
            let stem = conv(4, 3) -> relu
            model A input 1x8x8 = stem -> flatten -> linear(2)
            model B input 1x8x8 = s: stem
            """);
        Assert.Equal(Conv(1, 4, 3) + 144 * 2 + 2, result.Models[0].Parameters);
        Assert.Equal(new[] { "s.0.weight", "s.0.bias" }, result.Models[1].Keys());
    }

    [Fact]
    public void A_block_may_call_itself_under_a_condition_that_stops_it()
    {
        var model = Model("""
            block stack(n, c = 4) = conv(c, 3, pad: 1) -> relu -> stack(n - 1, c * 2) if n > 1
            model M input 3x8x8 = stack(3)
            """);
        // conv 3->4, 4->8, 8->16
        Assert.Equal(Conv(3, 4, 3) + Conv(4, 8, 3) + Conv(8, 16, 3), model.Parameters);
        Assert.Equal(new long[] { 16, 8, 8 }, model.Output.Dimensions);
    }

    [Fact]
    public void Declarations_can_be_used_before_they_are_written()
    {
        var model = Model("""
            model M input 3x8x8 = unit(width)
            block unit(c) = conv(c, 1)
            let width = 6
            """);
        Assert.Equal(Conv(3, 6, 1), model.Parameters);
    }

    public static IEnumerable<object[]> ArchitectureFiles =>
        Directory.GetFiles(Path.Combine(RepositoryRoot, "architectures"), "*.cnn")
            .Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { f! });

    [Fact]
    public void Every_shipped_family_is_there()
    {
        Assert.Equal(new[] { "alexnet.cnn", "convnext.cnn", "densenet.cnn", "efficientnet.cnn", "googlenet.cnn", "inception_v3.cnn", "lenet5.cnn", "mnasnet.cnn", "mobilenetv2.cnn", "mobilenetv3.cnn", "nin.cnn", "regnet.cnn", "resnet.cnn", "shufflenetv2.cnn", "squeezenet.cnn", "vgg.cnn", "vgg_mnist.cnn" },
            ArchitectureFiles.Select(f => (string)f[0]));
    }

    [Theory]
    [MemberData(nameof(ArchitectureFiles))]
    public void Every_architecture_file_compiles_without_diagnostics(string file)
    {
        // Read from the repository, so a file added there is checked even before the test
        // project copies it.
        var path = Path.Combine(RepositoryRoot, "architectures", file);
        var result = CnnCompiler.Compile("architectures/" + file, File.ReadAllText(path));
        Assert.True(result.Diagnostics.Count == 0, file + ":\n" + Render(result.Diagnostics));
        Assert.Equal("CnnDsl.Architectures", result.Namespace);
        Assert.NotEmpty(result.Models);
        Assert.All(result.Models, m => Assert.True(m.Parameters > 0, m.Name));
    }

    [Fact]
    public void Shipped_architectures_hold_the_expected_models()
    {
        Assert.Equal(10, CompileArchitecture("vgg.cnn").Models.Count);
        Assert.Equal(new[] { "ResNet18", "ResNet34", "ResNet50", "ResNet101", "ResNet152", "ResNeXt50_32x4d", "ResNeXt101_32x8d", "ResNeXt101_64x4d", "WideResNet50_2", "WideResNet101_2" },
            CompileArchitecture("resnet.cnn").Models.Select(m => m.Name));
        Assert.Equal(new[] { "SqueezeNet1_0", "SqueezeNet1_1" }, CompileArchitecture("squeezenet.cnn").Models.Select(m => m.Name));
        Assert.Equal(new[] { "InceptionV3", "InceptionV3Aux", "InceptionV3Pretrained" }, CompileArchitecture("inception_v3.cnn").Models.Select(m => m.Name));
        Assert.Equal(new[] { "DenseNet121", "DenseNet161", "DenseNet169", "DenseNet201" }, CompileArchitecture("densenet.cnn").Models.Select(m => m.Name));
        Assert.Equal(new[] { "GoogLeNet", "GoogLeNetAux", "GoogLeNetPretrained", "GoogLeNetPaper", "GoogLeNetPaperAux" }, CompileArchitecture("googlenet.cnn").Models.Select(m => m.Name));
        Assert.Equal(new[] { "AlexNet", "AlexNetPaper", "AlexNetPaperUngrouped" }, CompileArchitecture("alexnet.cnn").Models.Select(m => m.Name));
        Assert.Equal(new[] { "LeNet5", "LeNet5_1998" }, CompileArchitecture("lenet5.cnn").Models.Select(m => m.Name));
        Assert.Equal(new[] { "NiN" }, CompileArchitecture("nin.cnn").Models.Select(m => m.Name));
    }

    // ---- Blocks as values, if as a value ----------------------------------------------------

    [Fact]
    public void A_block_with_required_parameters_is_a_value_that_can_be_passed_and_called()
    {
        var result = CompileClean("""
            block unit(c) = conv(c, 3, pad: 1) -> relu
            block wide(c) = conv(c * 2, 1)
            network net(u, widths) input 3x8x8 = for w in widths { u(w) }
            let chosen = wide
            model A = net(unit, [4, 8])
            model B = net(chosen, [2])
            model C input 1x1x1 = relu if type(unit) == "block"
            """);
        var a = result.Models.Single(m => m.Name == "A");
        Assert.Equal(Conv(3, 4, 3) + Conv(4, 8, 3), a.Parameters);
        Assert.Equal(new[] { "0.weight", "0.bias", "2.weight", "2.bias" }, a.Keys()); // unit splices: conv, relu, conv, relu
        Assert.Equal(Conv(3, 4, 1), result.Models.Single(m => m.Name == "B").Parameters);
        Assert.Single(result.Models.Single(m => m.Name == "C").Layers);
    }

    [Fact]
    public void A_block_value_is_not_layers_until_it_is_called()
    {
        var diagnostic = Assert.Single(Compile("block unit(c) = conv(c, 1)\nmodel M input 1x4x4 = unit").Diagnostics);
        Assert.Equal("CNN0016", diagnostic.Code);
        Assert.Equal("expected layers here, but this is the block unit", diagnostic.Message);
        var notCallable = Assert.Single(Compile("block b(n) = n(4)\nmodel M input 1x4x4 = b(3)").Diagnostics);
        Assert.Equal("`n` is the integer 3, not a layer or block, so it cannot be called", notCallable.Message);
    }

    [Fact]
    public void If_is_a_value_expression_in_arguments()
    {
        var model = Model("""
            block stage(blocks, stride) = for i in range(blocks) { conv(4, 3, stride: if i == 0 { stride } else { 1 }, pad: 1) }
            model M input 4x16x16 = stage(3, 2)
            """);
        Assert.Equal(new long[] { 2, 1, 1 }, model.Layers.Select(l => ((Layers.Conv2dSpec)l.Spec!).Stride.H));
        Assert.Equal(new long[] { 4, 8, 8 }, model.Output.Dimensions);
    }

    // ---- Strings with {expression} parts -----------------------------------------------------

    [Fact]
    public void Interpolated_labels_name_layers_from_loop_variables()
    {
        var model = Model("""
            let widths = [4, 6]
            model M input 1x4x4 = for i in range(2) { "layer{i + 1}_{widths[i]}": conv(widths[i], 1) }
            """);
        Assert.Equal(new[] { "layer1_4.weight", "layer1_4.bias", "layer2_6.weight", "layer2_6.bias" }, model.Keys());
    }

    [Fact]
    public void Any_string_has_its_parts_filled_in()
    {
        var model = Model("""
            let n = 3
            let name = "conv{n * 2}x{n}"
            model M input 1x4x4 = relu if name == "conv6x3" -> tanh if "{true}" == "true"
            """);
        Assert.Equal(new[] { "ReLU", "Tanh" }, model.Layers.Select(l => l.TypeName));
    }

    [Fact]
    public void A_label_must_still_be_a_name_after_filling_in()
    {
        var diagnostic = Assert.Single(Compile("model M input 1x4x4 = \"a.{1}\": relu").Diagnostics);
        Assert.Equal(("CNN0018", 0, 22), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("a layer name is letters, digits, '_' and '-', but this one is \"a.1\"", diagnostic.Message);
    }

    // ---- Names through branches and merges ---------------------------------------------------

    [Fact]
    public void An_unlabeled_residual_adds_no_name_segment_inside_a_labeled_block()
    {
        var model = Model("""
            block basic(c) = residual(conv1: conv(c, 3, pad: 1) -> relu -> conv2: conv(c, 3, pad: 1)) -> relu
            model M input 4x8x8 = layer1: (basic(4) -> basic(4))
            """);
        Assert.Equal(new[]
        {
            "layer1.0.conv1.weight", "layer1.0.conv1.bias", "layer1.0.conv2.weight", "layer1.0.conv2.bias",
            "layer1.1.conv1.weight", "layer1.1.conv1.bias", "layer1.1.conv2.weight", "layer1.1.conv2.bias",
        }, model.Keys());
        // The relus inside and after the residual are siblings at one level: relu, relu_1.
        Assert.Equal("ReLU", model.Layer("layer1.0.relu_1").TypeName);
        Assert.Equal(2 * 2 * Conv(4, 4, 3), model.Parameters);
    }

    [Fact]
    public void A_projection_makes_a_block_a_module_of_its_own_even_without_labels()
    {
        var model = Model("""
            block down(c) = residual(conv(c, 3, stride: 2, pad: 1, bias: false) -> batchnorm, shortcut: projection) -> relu
            block plain(c) = residual(conv(c, 3, pad: 1)) -> relu
            model M input 4x8x8 = down(8) -> plain(8)
            """);
        // down(8) is a module (its `downsample` is named), numbered 0 at the top; plain splices:
        // its conv and relu are members 1 and 2.
        Assert.Equal(new[]
        {
            "0.conv.weight",
            "0.batchnorm.weight", "0.batchnorm.bias", "0.batchnorm.running_mean", "0.batchnorm.running_var", "0.batchnorm.num_batches_tracked",
            "0.downsample.0.weight",
            "0.downsample.1.weight", "0.downsample.1.bias", "0.downsample.1.running_mean", "0.downsample.1.running_var", "0.downsample.1.num_batches_tracked",
            "1.weight", "1.bias",
        }, model.Keys());
    }

    [Fact]
    public void Inception_branches_are_named_like_torchvision()
    {
        var model = Model("""
            block basic_conv(out, kernel, pad = 0) = conv: conv(out, kernel, pad: pad, bias: false) -> bn: batchnorm(eps: 0.001) -> relu
            block inception(c1, c3r, c3, pool) = concat [
              branch1: basic_conv(c1, 1),
              branch2: (basic_conv(c3r, 1) -> basic_conv(c3, 3, pad: 1)),
              branch4: (maxpool(3, stride: 1, pad: 1, ceil: true) -> basic_conv(pool, 1)),
            ]
            model M input 8x8x8 = inception3a: inception(4, 2, 4, 2)
            """);
        var weights = model.Keys().Where(k => k.EndsWith(".weight", System.StringComparison.Ordinal)).ToArray();
        Assert.Equal(new[]
        {
            "inception3a.branch1.conv.weight", "inception3a.branch1.bn.weight",
            "inception3a.branch2.0.conv.weight", "inception3a.branch2.0.bn.weight",
            "inception3a.branch2.1.conv.weight", "inception3a.branch2.1.bn.weight",
            "inception3a.branch4.1.conv.weight", "inception3a.branch4.1.bn.weight",
        }, weights);
        Assert.Equal(new long[] { 4 + 4 + 2, 8, 8 }, model.Output.Dimensions);
    }

    [Fact]
    public void A_body_made_by_one_module_like_block_is_unwrapped_under_its_label()
    {
        var model = Model("""
            block head(n) = flatten -> fc1: linear(16) -> relu -> fc2: linear(n)
            block plain(n) = flatten -> linear(n)
            block layer(g) = norm1: batchnorm -> conv1: conv(g, 3, pad: 1)
            model M input 4x4x4 =
              "denselayer{1}": dense(layer(2))
              -> aux1: aux(head(10))
              -> aux2: aux(plain(3))
              -> flatten -> fc: linear(2)
            """);
        Assert.Equal(new[]
        {
            "denselayer1.norm1.weight", "denselayer1.norm1.bias", "denselayer1.norm1.running_mean",
            "denselayer1.norm1.running_var", "denselayer1.norm1.num_batches_tracked",
            "denselayer1.conv1.weight", "denselayer1.conv1.bias",
            "aux1.fc1.weight", "aux1.fc1.bias", "aux1.fc2.weight", "aux1.fc2.bias",
            "aux2.1.weight", "aux2.1.bias", // plain splices: numbered inside the label
            "fc.weight", "fc.bias",
        }, model.Keys());
    }

    [Fact]
    public void A_custom_shortcut_is_named_downsample_unless_labeled()
    {
        var unlabeled = Model("model M input 4x8x8 = residual(conv(8, 3, stride: 2, pad: 1), shortcut: conv(8, 1, stride: 2) -> batchnorm)");
        Assert.Equal(new[] { "conv.weight", "conv.bias", "downsample.0.weight", "downsample.0.bias" },
            unlabeled.Keys().Take(4));
        var labeled = Model("model M input 4x8x8 = residual(c: conv(8, 3, stride: 2, pad: 1), shortcut: proj: conv(8, 1, stride: 2))");
        Assert.Equal(new[] { "c.weight", "c.bias", "proj.weight", "proj.bias" }, labeled.Keys());
        Assert.Equal(Conv(4, 8, 3) + Conv(4, 8, 1), labeled.Parameters);
    }

    [Fact]
    public void Aux_heads_are_counted_apart_from_the_model()
    {
        var model = Model("""
            model M input 8x4x4 =
              conv(8, 1)
              -> aux1: aux(flatten -> linear(10))
              -> aux2: aux(global_avgpool -> flatten -> linear(3))
              -> flatten -> fc: linear(2)
            """);
        // Main path: conv 8*8 + 8 = 72, fc 128*2 + 2 = 258. Heads: 128*10 + 10 = 1,290 and 8*3 + 3 = 27.
        Assert.Equal(72 + 258, model.Parameters);
        Assert.Equal(1_290 + 27, model.AuxiliaryParameters);
        Assert.Equal(16L * 8 * 8 + 128 * 2, model.MultiplyAdds);
        Assert.Equal(new long[] { 2 }, model.Output.Dimensions);
        Assert.Equal(4 * 2, model.Keys().Length); // conv, aux1's linear, aux2's linear, fc: weight and bias each
    }
}
