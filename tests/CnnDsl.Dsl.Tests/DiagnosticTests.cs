using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using CnnDsl.Dsl.Diagnostics;
using Snapshooter;
using Snapshooter.Xunit;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

public class DiagnosticTests
{
    /// <summary>One mistake each: the source, and the code, zero-based line and column of the
    /// diagnostic it must produce (counted by hand, as shown in the comments).</summary>
    public static readonly IReadOnlyDictionary<string, (string Source, string Code, int Line, int Column)> Mistakes =
        new Dictionary<string, (string, string, int, int)>
        {
            // "  conv(16, 3) -> " is 17 characters: `rleu` starts at column 17 of line 1.
            ["unknown_layer"] = ("model M input 3x32x32 =\n  conv(16, 3) -> rleu -> flatten -> linear(10)\n", "CNN0010", 1, 17),
            // "  conv(16, 3, " is 14 characters.
            ["unknown_named_argument"] = ("model M input 3x32x32 =\n  conv(16, 3, padding: 1) -> relu\n", "CNN0013", 1, 14),
            ["wrong_argument_type"] = ("model M input 3x32x32 =\n  conv(16, 3, bias: 1) -> relu\n", "CNN0014", 1, 14),
            // the call itself, after two spaces
            ["missing_argument"] = ("model M input 3x32x32 =\n  conv(16) -> relu\n", "CNN0012", 1, 2),
            // "model M input 1x8x8 = conv(4, 3) " is 33 characters: the stray `relu` is at 33.
            ["syntax_error"] = ("model M input 1x8x8 = conv(4, 3) relu\n", "CNN0001", 0, 33),
            ["linear_fed_an_image"] = ("model M input 3x32x32 =\n  conv(16, 3) -> linear(10)\n", "CNN0033", 1, 17),
            ["kernel_larger_than_input"] = ("model M input 3x4x4 =\n  conv(16, 5) -> relu\n", "CNN0031", 1, 2),
            ["groups_do_not_divide"] = ("model M input 3x32x32 =\n  conv(16, 3, groups: 2)\n", "CNN0034", 1, 2),
            // 3x3 -> maxpool(2) -> 1x1 -> maxpool(2): floor((1 - 2) / 2) + 1 = 0. "  maxpool(2) -> " is 16.
            ["non_positive_output"] = ("model M input 8x3x3 =\n  maxpool(2) -> maxpool(2)\n", "CNN0030", 1, 16),
            // the second `a`, after "let " on line 1
            ["duplicate_definition"] = ("let a = 1\nlet a = 2\nmodel M input 1x8x8 = conv(a, 3)\n", "CNN0011", 1, 4),
            // "block b(n) = conv(n, 3) -> " is 27 characters: the recursive call.
            ["block_recursion"] = ("block b(n) = conv(n, 3) -> b(n)\nmodel M input 1x8x8 = b(4)\n", "CNN0017", 0, 27),
            // "model M input 1x8x8 = conv(" is 27 characters.
            ["integer_too_big"] = ("model M input 1x8x8 = conv(99999999999999999999, 3)\n", "CNN0004", 0, 27),
            // the whole `[1, 2] + 3`, after "let a = "
            ["type_mismatch"] = ("let a = [1, 2] + 3\nmodel M input 1x8x8 = conv(4, 3)\n", "CNN0016", 0, 8),
            ["invalid_character"] = ("model M input 1x8x8 = conv(4, 3) $ relu\n", "CNN0002", 0, 33),
            // "model M input 1x8x8 = conv(4, 3, " is 33 characters.
            ["argument_given_twice"] = ("model M input 1x8x8 = conv(4, 3, out: 5)\n", "CNN0015", 0, 33),
            // the index `2`: "model M input 1x8x8 = conv(l[" is 29 characters.
            ["index_out_of_range"] = ("let l = [1, 2]\nmodel M input 1x8x8 = conv(l[2], 3)\n", "CNN0022", 1, 29),
            // the divisor: "model M input 1x8x8 = conv(4 / " is 31 characters.
            ["division_by_zero"] = ("model M input 1x8x8 = conv(4 / 0, 3)\n", "CNN0023", 0, 31),
            ["model_without_input"] = ("model M = conv(4, 3)\n", "CNN0019", 0, 6),
            // the layer that repeats the name: "model M input 1x8x8 = a: conv(4, 3) -> a: " is 42 characters.
            ["duplicate_layer_name"] = ("model M input 1x8x8 = a: conv(4, 3) -> a: relu\n", "CNN0020", 0, 42),
            // "model M input 1x8x8 = flatten -> " is 33 characters.
            ["pool_after_flatten"] = ("model M input 1x8x8 = flatten -> maxpool(2)\n", "CNN0032", 0, 33),
            // the `pad` argument: "model M input 1x8x8 = conv(4, 4, " is 33 characters.
            ["same_padding_even_kernel"] = ("model M input 1x8x8 = conv(4, 4, pad: same)\n", "CNN0035", 0, 33),
            ["out_channels_zero"] = ("model M input 1x8x8 = conv(0, 3)\n", "CNN0018", 0, 27),

            // Branches and merges: each is reported at the residual, concat or dense that fails.
            // A stride-2 body turns 64x56x56 into 128x28x28; the identity shortcut carries 64x56x56.
            ["residual_without_projection"] = ("model M input 64x56x56 =\n  residual(conv(128, 3, stride: 2, pad: 1) -> batchnorm) -> relu\n", "CNN0038", 1, 2),
            // `shortcut: identity` is the default written out: the same mistake, the same help.
            ["identity_shortcut_changes_shape"] = ("model M input 64x56x56 =\n  residual(conv(128, 3, stride: 2, pad: 1), shortcut: identity) -> relu\n", "CNN0038", 1, 2),
            // 8x8 -> 6x6 (factor 4/3): a 1x1 conv of stride s gives floor(7 / s) + 1 = 8, 4, 3, ..., never 6.
            // "  relu -> " is 10 characters.
            ["projection_non_integer_factor"] = ("model M input 16x8x8 =\n  relu -> residual(conv(32, 3) -> batchnorm, shortcut: projection)\n", "CNN0038", 1, 10),
            // 32x32 and 16x16 cannot be joined along channels. "  conv(8, 1) -> " is 16 characters.
            ["concat_branches_disagree"] = ("model M input 16x32x32 =\n  conv(8, 1) -> concat [conv(8, 1), conv(8, 3, stride: 2, pad: 1)]\n", "CNN0039", 1, 16),
            // 8x8 -> 6x6 cannot be joined to its own 8x8 input. "model M input 16x8x8 = " is 23 characters.
            ["dense_changes_size"] = ("model M input 16x8x8 = dense(conv(12, 3))\n", "CNN0039", 0, 23),
            // Both unlabeled residuals put a `downsample` into the model's one group: the second,
            // after "  -> " on line 2, is reported.
            ["two_projections_at_one_level"] = ("model M input 4x8x8 =\n  residual(conv(8, 3, stride: 2, pad: 1), shortcut: projection)\n  -> residual(conv(16, 3, stride: 2, pad: 1), shortcut: projection)\n", "CNN0020", 2, 5),
            // Inside the string: "  for i in range(2) { \"conv{" is 28 characters, so `j` is at 28.
            ["interpolated_label_unknown_name"] = ("model M input 4x8x8 =\n  for i in range(2) { \"conv{j + 1}\": conv(4, 3, pad: 1) }\n", "CNN0010", 1, 28),
            // `{i +}` ends too early: reported just after the `+` at column 30, inside the string.
            ["interpolated_label_syntax_error"] = ("model M input 4x8x8 =\n  for i in range(2) { \"conv{i +}\": conv(4, 3, pad: 1) }\n", "CNN0001", 1, 31),
            // PyTorch: output padding must be smaller than the stride (or the dilation). The layer: "model M input 4x8x8 = " is 22 characters.
            ["conv_transpose_output_pad_too_large"] = ("model M input 4x8x8 = conv_transpose(4, 3, stride: 2, output_pad: 2)\n", "CNN0018", 0, 22),
            // A 2-map input has maps 0 and 1; the table names map 2. The layer, at 22.
            ["connection_table_names_a_missing_map"] = ("model M input 2x8x8 = conv(2, 3, connections: [[0], [1, 2]])\n", "CNN0018", 0, 22),
            // "model M input 116x28x28 = " is 26 characters: the split starts there.
            ["split_channels_do_not_divide"] = ("model M input 116x28x28 = split [identity, conv(38, 1), conv(38, 1)]\n", "CNN0047", 0, 26),
            // The gate, after two spaces on the second line; its body ends at 16 channels, the input has 32.
            ["gate_cannot_scale_its_input"] = ("model M input 32x8x8 =\n  gate(global_avgpool -> conv(8, 1) -> relu -> conv(16, 1) -> sigmoid)\n", "CNN0039", 1, 2),
            // "model M input 30x8x8 = " is 23 characters.
            ["channel_shuffle_groups_do_not_divide"] = ("model M input 30x8x8 = channel_shuffle(4)\n", "CNN0034", 0, 23),
            ["channel_pad_after_flatten"] = ("model M input 3x4x4 = flatten -> channel_pad(2)\n", "CNN0032", 0, 33),
        };

    public static IEnumerable<object[]> MistakeNames => Mistakes.Keys.Select(k => new object[] { k });

    private static string Snapshotted(string name)
    {
        var (source, _, _, _) = Mistakes[name];
        var result = Compile(source, $"mistakes/{name}.cnn");
        var text = new StringBuilder();
        text.Append(source.TrimEnd('\n')).Append("\n----\n").Append(Render(result.Diagnostics));
        return text.ToString();
    }

    [Theory]
    [MemberData(nameof(MistakeNames))]
    public void Diagnostic_text_matches_its_snapshot(string name) =>
        Snapshot.Match(Snapshotted(name), SnapshotNameExtension.Create(name));

    [Theory]
    [MemberData(nameof(MistakeNames))]
    public void Each_mistake_gives_exactly_one_diagnostic_where_expected(string name)
    {
        var (source, code, line, column) = Mistakes[name];
        var diagnostic = Assert.Single(Compile(source).Diagnostics);
        Assert.Equal(code, diagnostic.Code);
        Assert.Equal(line, diagnostic.Location.StartLine);
        Assert.Equal(column, diagnostic.Location.StartColumn);
        Assert.True(diagnostic.IsError);
        Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        Assert.Contains(DiagnosticCodes.All, d => d.Code == code);
    }

    [Fact]
    public void Unknown_layer_suggests_the_closest_name()
    {
        Assert.Equal("did you mean `relu`?", Single("model M input 1x8x8 = rleu").Help);
        Assert.Equal("did you mean `maxpool`?", Single("model M input 1x8x8 = maxpol(2)").Help);
        Assert.Equal("did you mean `pad`?", Single("model M input 1x8x8 = conv(4, 3, padd: 1)").Help);
        Assert.Equal("did you mean `width`?", Single("block b(width) = conv(widht, 1)\nmodel M input 1x8x8 = b(3)").Help);
        // PyTorch's longer names lead to the language's shorter ones.
        Assert.Equal("did you mean `conv`?", Single("model M input 1x8x8 = conv2d(4, 3)").Help);
        Assert.Equal("did you mean `kernel`?", Single("model M input 1x8x8 = conv(4, 3, kernel_size: 3)").Help);
        Assert.Equal("did you mean `ceil`?", Single("model M input 1x8x8 = maxpool(2, ceil_mode: true)").Help);
        // Nothing close: the help lists what there is instead.
        Assert.StartsWith("layers are conv, conv_transpose, maxpool", Single("model M input 1x8x8 = zzzz").Help);
        Assert.StartsWith("the signature is conv(out, kernel", Single("model M input 1x8x8 = conv(4, 3, zzzz: 1)").Help);
    }

    [Fact]
    public void Ranges_cover_the_offending_text()
    {
        var source = "model M input 1x8x8 =\n  conv(4, 3) -> rleu\n";
        var location = Single(source).Location;
        Assert.Equal((1, 16, 1, 20), (location.StartLine, location.StartColumn, location.EndLine, location.EndColumn));
        Assert.Equal("rleu", source.Substring(location.Range.Start, location.Range.Length));
        Assert.Equal("test.cnn(2,17)", location.ToString()); // printed one-based, as compilers do
    }

    [Fact]
    public void A_bad_declaration_does_not_hide_the_good_ones()
    {
        var result = Compile("""
            model Before input 1x8x8 = conv(4, 3) -> relu
            model Broken input 1x8x8 = conv(4, 3 -> relu
            let widths = [4, 8
            model Typo input 1x8x8 = conv(4, 3) -> rleu
            model After input 1x8x8 = conv(8, 3)
            """);
        Assert.Equal(new[] { "Before", "After" }, result.Models.Select(m => m.Name));
        // The unclosed call is found at `relu`; the unclosed list at the end of its declaration.
        Assert.Equal(new[] { ("CNN0001", 1), ("CNN0001", 2), ("CNN0010", 3) },
            result.Diagnostics.Select(d => (d.Code, d.Location.StartLine)));
        Assert.Equal(4 * 9 + 4, result.Models[0].Parameters);
        Assert.Equal(8 * 9 + 8, result.Models[1].Parameters);
    }

    [Fact]
    public void Every_error_in_a_file_is_reported_once()
    {
        var result = Compile("""
            let a = 1
            let a = 2
            block b(c) = conv(c, 3) -> rleu
            model M input 1x8x8 = b(4) -> conv(4, 3, padding: 1)
            model N input 3x8x8 = conv(4, 3, groups: 2)
            """);
        Assert.Equal(new[] { "CNN0011", "CNN0010", "CNN0013", "CNN0034" }, result.Diagnostics.Select(d => d.Code));
        Assert.Empty(result.Models);
    }

    [Fact]
    public void Declarations_named_like_builtins_are_reported_not_evaluated()
    {
        foreach (var (source, line, column) in new[]
                 {
                     ("let conv = 6\nmodel M input 1x8x8 = relu", 0, 4),
                     ("let len = [1]\nmodel M input 1x8x8 = relu", 0, 4),
                     ("block relu = tanh\nmodel M input 1x8x8 = relu", 0, 6),
                     ("model M input 1x8x8 = relu\nmodel flatten input 1x8x8 = relu", 1, 6),
                 })
        {
            var result = CompileOnSmallStack(source);
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal(("CNN0011", line, column), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
            Assert.Equal("ReLU", Assert.Single(Assert.Single(result.Models).Layers).TypeName);
        }
    }

    [Fact]
    public void An_empty_file_is_one_warning_at_its_start()
    {
        foreach (var text in new[] { "", "  # only a comment\n\n", "namespace A.B\n" })
        {
            var result = CompileOnSmallStack(text);
            var warning = Assert.Single(result.Diagnostics);
            Assert.Equal(("CNN0041", Severity.Warning, 0, 0), (warning.Code, warning.Severity, warning.Location.StartLine, warning.Location.StartColumn));
            Assert.False(result.HasErrors);
            Assert.Empty(result.Models);
        }
    }

    [Fact]
    public void Nothing_throws_on_binary_garbage()
    {
        var bytes = Enumerable.Range(0, 4096).Select(i => (char)((i * 7919 + 13) % 256));
        var result = CompileOnSmallStack(new string(bytes.ToArray()));
        Assert.Contains(result.Diagnostics, d => d.Code == "CNN0002");
        Assert.Empty(result.Models);
        Assert.NotEmpty(CompileOnSmallStack("\uFFFF\uD800 model").Diagnostics);
    }

    [Fact]
    public void Ten_thousand_nested_brackets_are_reported_not_overflowed()
    {
        foreach (var (open, close) in new[] { ("(", ")"), ("[", "]"), ("{", "}") })
        {
            var source = "model M input 1x8x8 = " + string.Concat(Enumerable.Repeat(open, 10_000)) + "relu"
                + string.Concat(Enumerable.Repeat(close, 10_000));
            var result = CompileOnSmallStack(source);
            Assert.Contains(result.Diagnostics, d => d.Code == "CNN0003");
            Assert.Empty(result.Models);
        }
    }

    [Fact]
    public void Long_operator_index_and_else_if_chains_are_reported_not_overflowed()
    {
        var sources = new[]
        {
            "let x = " + string.Join(" + ", Enumerable.Repeat("1", 20_000)),
            "let l = [1]\nlet x = l" + string.Concat(Enumerable.Repeat("[0]", 20_000)),
            "let x = " + string.Join(" else ", Enumerable.Repeat("if true { relu }", 5_000)),
            "let x = " + new string('-', 10_000) + "1",
            "let x = " + string.Concat(Enumerable.Repeat("not ", 10_000)) + "true",
        };
        foreach (var source in sources)
        {
            var result = CompileOnSmallStack(source + "\nmodel M input 1x8x8 = relu\n");
            Assert.Equal("CNN0003", Assert.Single(result.Diagnostics).Code);
            Assert.Equal("M", Assert.Single(result.Models).Name);
        }
    }

    [Fact]
    public void Nesting_up_to_the_limit_is_accepted()
    {
        var depth = Syntax.CnnParser.MaxNestingDepth;
        var parens = "model M input 1x8x8 = " + new string('(', depth) + "relu" + new string(')', depth);
        Assert.Empty(CompileOnSmallStack(parens).Diagnostics);
        var sum = "model M input 1x8x8 = conv(" + string.Join(" + ", Enumerable.Repeat("1", depth)) + ", 1)";
        Assert.Equal(depth, ((Layers.Conv2dSpec)Assert.Single(CompileOnSmallStack(sum).Models).Layers[0].Spec!).OutChannels);
        // A long dispatch: conditions end at their body's brace, so only the `else if`s add up.
        var letters = Enumerable.Range(0, 20).Select(i => ((char)('a' + i)).ToString()).ToList();
        var dispatch = "model M input 1x8x8 = for k in [" + string.Join(", ", letters.Select(l => $"\"{l}\"")) + "] { "
            + string.Join(" else ", letters.Select(l => $"if k == \"{l}\" and not (k == \"z\" or k == \"y\") {{ relu }}"))
            + " else { tanh } }";
        Assert.Equal(20, Assert.Single(CompileOnSmallStack(dispatch).Models).Layers.Count);
        var tooDeep = "model M input 1x8x8 = " + new string('(', depth + 1) + "relu" + new string(')', depth + 1);
        Assert.Equal("CNN0003", Assert.Single(CompileOnSmallStack(tooDeep).Diagnostics).Code);
    }

    [Fact]
    public void Blocks_that_call_themselves_are_reported_not_overflowed()
    {
        foreach (var source in new[]
                 {
                     "block b = b\nmodel M input 1x8x8 = b",
                     "block b(n) = b(n + 1)\nmodel M input 1x8x8 = b(0)",
                     "block a = relu -> c\nblock c = a\nmodel M input 1x8x8 = a",
                     "let x = y\nlet y = x\nmodel M input 1x8x8 = conv(x, 1)",
                 })
        {
            var result = CompileOnSmallStack(source);
            Assert.Equal("CNN0017", Assert.Single(result.Diagnostics).Code);
            Assert.Empty(result.Models);
        }
    }

    [Fact]
    public void Deep_block_calls_with_deep_expressions_do_not_overflow()
    {
        var depth = Syntax.CnnParser.MaxNestingDepth - 1;
        var lines = Enumerable.Range(0, 64).Select(i =>
            $"block b{i} = {new string('(', depth)}{(i < 63 ? $"b{i + 1}" : "relu")}{new string(')', depth)}");
        var result = CompileOnSmallStack(string.Join("\n", lines) + "\nmodel M input 1x8x8 = b0");
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Deep_block_calls_inside_labeled_groups_are_reported_not_overflowed()
    {
        // 64 blocks, each nesting the next inside 30 labeled groups: about 3,800 levels deep.
        var lines = Enumerable.Range(0, 64).Select(i =>
        {
            var inner = i < 63 ? $"b{i + 1}" : "relu";
            for (var j = 0; j < 30; j++) inner = $"l{j}: ({inner} -> relu)";
            return $"block b{i} = {inner}";
        });
        var result = CompileOnSmallStack(string.Join("\n", lines) + "\nmodel M input 1x8x8 = b0");
        Assert.Equal("CNN0017", Assert.Single(result.Diagnostics).Code);
        Assert.Empty(result.Models);

        // Six of them (about 360 levels) are fine: 6 * 30 labeled groups, each with a relu, and the last relu.
        var six = Enumerable.Range(0, 6).Select(i =>
        {
            var inner = i < 5 ? $"b{i + 1}" : "relu";
            for (var j = 0; j < 30; j++) inner = $"l{j}: ({inner} -> relu)";
            return $"block b{i} = {inner}";
        });
        var model = Assert.Single(CompileOnSmallStack(string.Join("\n", six) + "\nmodel M input 1x8x8 = b0").Models);
        Assert.Equal(6 * 30 + 1, model.Layers.Count);
    }

    [Fact]
    public void Huge_models_are_reported_not_built()
    {
        var many = CompileOnSmallStack("model M input 1x8x8 = repeat 1000000 { relu }");
        Assert.Equal("CNN0018", Assert.Single(many.Diagnostics).Code);
        var nested = CompileOnSmallStack("let L = repeat 100000 { relu }\nmodel M input 1x8x8 = repeat 100000 { L }");
        Assert.Equal("CNN0018", Assert.Single(nested.Diagnostics).Code);
        var overflow = CompileOnSmallStack("model M input 1x4000000000x4000000000 = conv(4000000000, 3)");
        Assert.Equal("CNN0037", Assert.Single(overflow.Diagnostics).Code);
    }

    [Fact]
    public void Mangled_architecture_files_never_throw()
    {
        // Deterministic fuzzing: delete, duplicate or replace a few characters of the shipped files.
        var random = new Random(20240601);
        var alphabet = "()[]{},:.->=+*/%<!#\"x0123456789 \n abcfilmnoprstuvw_";
        foreach (var file in new[] { "vgg.cnn", "alexnet.cnn", "lenet5.cnn" })
        {
            var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "architectures", file));
            for (var round = 0; round < 150; round++)
            {
                var text = new StringBuilder(original);
                for (var edit = random.Next(1, 4); edit > 0; edit--)
                {
                    var at = random.Next(text.Length);
                    switch (random.Next(3))
                    {
                        case 0: text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at)); break;
                        case 1: text.Insert(at, text.ToString(at, Math.Min(random.Next(1, 20), text.Length - at))); break;
                        default: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                    }
                }

                var result = CompileOnSmallStack(text.ToString());
                Assert.All(result.Diagnostics, d => Assert.InRange(d.Location.Range.Start, 0, text.Length));
            }
        }
    }

    [Fact]
    public void An_identity_shortcut_on_a_shape_changing_body_suggests_a_projection()
    {
        var diagnostic = Single(Mistakes["identity_shortcut_changes_shape"].Source);
        Assert.Equal("in `(model)`: the residual body produces 128x28x28 but the shortcut carries 64x56x56", diagnostic.Message);
        Assert.Equal("add `shortcut: projection` (a 1x1 convolution and batch norm where the shape changes), or make the body keep its shape",
            diagnostic.Help);
        // The same body with the projection compiles: 128x28x28 out, `downsample` inserted.
        var model = Model("model M input 64x56x56 = residual(conv(128, 3, stride: 2, pad: 1), shortcut: projection) -> relu");
        Assert.Equal(new long[] { 128, 28, 28 }, model.Output.Dimensions);
    }

    [Fact]
    public void A_custom_shortcut_that_does_not_fit_is_told_to_match_the_body()
    {
        // Body: 8x8 -> 4x4 (stride 2); shortcut: 1x1 conv with stride 1 keeps 8x8.
        var diagnostic = Single("model M input 4x8x8 = residual(conv(8, 3, stride: 2, pad: 1), shortcut: conv(8, 1))");
        Assert.Equal("CNN0038", diagnostic.Code);
        Assert.Equal("in `(model)`: the residual body produces 8x4x4 but the shortcut carries 8x8x8", diagnostic.Message);
        Assert.Equal("make the shortcut produce the body's shape", diagnostic.Help);
    }

    [Fact]
    public void Two_projections_at_one_level_name_the_clash_and_labels_resolve_it()
    {
        var diagnostic = Single(Mistakes["two_projections_at_one_level"].Source);
        Assert.Equal("two layers in the same group are named `downsample`", diagnostic.Message);
        Assert.Equal("two residuals at one level both name their shortcut `downsample`; give each residual a label of its own", diagnostic.Help);

        // Labeled, each residual is a namespace of its own: a.downsample and b.downsample.
        var model = Model("""
            model M input 4x8x8 =
              a: residual(conv(8, 3, stride: 2, pad: 1), shortcut: projection)
              -> b: residual(conv(16, 3, stride: 2, pad: 1), shortcut: projection)
            """);
        Assert.Equal(new[]
        {
            "a.conv.weight", "a.conv.bias", "a.downsample.0.weight",
            "a.downsample.1.weight", "a.downsample.1.bias", "a.downsample.1.running_mean", "a.downsample.1.running_var", "a.downsample.1.num_batches_tracked",
            "b.conv.weight", "b.conv.bias", "b.downsample.0.weight",
            "b.downsample.1.weight", "b.downsample.1.bias", "b.downsample.1.running_mean", "b.downsample.1.running_var", "b.downsample.1.num_batches_tracked",
        }, model.Keys());
    }

    [Fact]
    public void An_unclosed_brace_in_a_string_is_reported_once_inside_the_string()
    {
        // The string starts at column 22 ("  for i in range(2) { " is 22 characters); its `{` is at 27.
        var diagnostic = Single("model M input 4x8x8 =\n  for i in range(2) { \"conv{i + 1\": conv(4, 1) }\n");
        Assert.Equal(("CNN0001", 1, 27), (diagnostic.Code, diagnostic.Location.StartLine, diagnostic.Location.StartColumn));
        Assert.Equal("`{` in a string is not closed", diagnostic.Message);

        // Empty braces: reported at the `}`, column 28.
        var empty = Single("model M input 4x8x8 =\n  for i in range(2) { \"conv{}\": conv(4, 1) }\n");
        Assert.Equal(("CNN0001", 1, 28), (empty.Code, empty.Location.StartLine, empty.Location.StartColumn));
        Assert.Equal("`{}` in a string is not an expression", empty.Message);
    }

    [Fact]
    public void Mangled_branching_architecture_files_never_throw()
    {
        // A smaller slice of the fuzzing above, with its own seed, over the files with branches,
        // merges, blocks as values and interpolated labels.
        var random = new Random(20250301);
        var alphabet = "()[]{},:.->=+*/%<!#\"x0123456789 \n abcdefilmnoprstuvw_";
        foreach (var file in new[] { "resnet.cnn", "densenet.cnn", "googlenet.cnn", "nin.cnn" })
        {
            var original = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "architectures", file));
            for (var round = 0; round < 40; round++)
            {
                var text = new StringBuilder(original);
                for (var edit = random.Next(1, 4); edit > 0; edit--)
                {
                    var at = random.Next(text.Length);
                    switch (random.Next(3))
                    {
                        case 0: text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at)); break;
                        case 1: text.Insert(at, text.ToString(at, Math.Min(random.Next(1, 20), text.Length - at))); break;
                        default: text[at] = alphabet[random.Next(alphabet.Length)]; break;
                    }
                }

                var result = CompileOnSmallStack(text.ToString());
                Assert.All(result.Diagnostics, d => Assert.InRange(d.Location.Range.Start, 0, text.Length));
            }
        }
    }

    private static Diagnostic Single(string source) => Assert.Single(Compile(source).Diagnostics);

    /// <summary>Compiles on a thread with a 1 MiB stack (Windows' default, smaller than Linux's),
    /// so a recursion the compiler does not bound fails this test instead of passing by luck.</summary>
    private static CompilationResult CompileOnSmallStack(string source)
    {
        CompilationResult? result = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = Compile(source); }
            catch (Exception e) { error = e; }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error is not null) throw new Xunit.Sdk.XunitException("the compiler threw: " + error);
        return result!;
    }
}
