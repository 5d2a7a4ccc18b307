using System.Linq;
using CnnDsl.Dsl.Diagnostics;
using Xunit;
using static CnnDsl.Dsl.Tests.TestSupport;

namespace CnnDsl.Dsl.Tests;

/// <summary>Warnings point at something worth a look, never block a model, and never fire on the
/// shipped files.</summary>
public class WarningTests
{
    [Fact]
    public void Declarations_no_model_reaches_are_unused()
    {
        var result = Compile("""
            let widths = [16, 32]
            let depth = 2
            block unit(c) = conv(c, 3, pad: 1) -> relu
            block orphan = unit(8) -> unit(8)
            network small input 3x32x32 = unit(widths[0])
            model M input 3x32x32 = for c in widths { unit(c) }
            """);
        Assert.Equal(new[] { ("CNN0040", "constant `depth` is never used by a model of this file"),
                             ("CNN0040", "block `orphan` is never used by a model of this file"),
                             ("CNN0040", "network `small` is never used by a model of this file") },
            result.Diagnostics.Select(d => (d.Code, d.Message)));
        Assert.All(result.Diagnostics, d => Assert.Equal(Severity.Warning, d.Severity));
        Assert.False(result.HasErrors);
        Assert.Equal("M", Assert.Single(result.Models).Name);
    }

    [Fact]
    public void Uses_in_conditions_defaults_labels_and_blocks_passed_as_values_count()
    {
        Assert.Empty(Compile("""
            let wide = 64
            let prefix = 1
            block a = relu
            block b(unit = a) = unit
            block c = tanh
            block d(n) = conv(n, 1)
            model M input 3x8x8 = b -> if false { c } else { relu } -> for i in range(2) { "layer{i + prefix}": d(wide) }
            """).Diagnostics);
    }

    [Fact]
    public void A_library_without_models_and_a_file_with_errors_get_no_unused_warnings()
    {
        Assert.Empty(Compile("block a = relu\nblock b = tanh").Diagnostics);
        var broken = Compile("block a = relu\nmodel M input 1x8x8 = rleu");
        Assert.Equal("CNN0010", Assert.Single(broken.Diagnostics).Code);
    }

    [Fact]
    public void A_parameter_or_loop_variable_that_hides_a_constant_is_not_a_use_of_it()
    {
        var result = Compile("let c = 8\nmodel M input 3x8x8 = for c in [4] { conv(c, 1) }");
        Assert.Equal("constant `c` is never used by a model of this file", Assert.Single(result.Diagnostics).Message);
    }

    [Fact]
    public void The_shipped_architectures_have_no_warnings()
    {
        foreach (var file in System.IO.Directory.GetFiles(System.IO.Path.Combine(System.AppContext.BaseDirectory, "architectures"), "*.cnn"))
        {
            Assert.Empty(CompileArchitecture(System.IO.Path.GetFileName(file)).Diagnostics);
        }
    }
}
