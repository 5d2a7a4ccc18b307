using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Linq;
using CnnDsl.Cli.Analysis;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Dsl.Layers;

namespace CnnDsl.Cli.Input;

/// <summary>Options several commands share, each parsed so that a bad value is a usage error
/// (exit code 2) with a message that says what is expected, never an exception.</summary>
public static class CommonOptions
{
    public static Option<string?> Model(string description) => new("--model", "-m")
    {
        Description = description,
        HelpName = "NAME",
    };

    /// <summary><c>--input CxHxW</c>: analyse at another input than the declared one.</summary>
    public static Option<Shape?> Input() => new("--input", "-i")
    {
        Description = "Analyse at this input instead of the declared one: channels x height x width of one sample, e.g. 3x32x32.",
        HelpName = "CxHxW",
        CustomParser = ParseInput,
    };

    public static Option<long> Batch() => new("--batch", "-b")
    {
        Description = "Batch size: multiply-adds, FLOPs and the input and activation sizes are for a batch of this many samples.",
        HelpName = "B",
        DefaultValueFactory = _ => 1,
        CustomParser = ParseBatch,
    };

    public static Option<DataType> DataType() => new("--dtype")
    {
        Description = "Element type of every byte figure: float32 (4 bytes), float16 or bfloat16 (2 bytes).",
        HelpName = "float32|float16|bfloat16",
        DefaultValueFactory = _ => Analysis.DataType.Float32,
        CustomParser = ParseDataType,
    };

    public static Option<Counting> Count() => new("--count")
    {
        Description = "What the multiply-adds count: a preset (torchvision: conv and linear; fvcore; ptflops; torchinfo; all) "
            + "or a comma-separated list of conv, linear, bn, lrn, act, pool, upsample, add, concat.",
        HelpName = "PRESET|LIST",
        DefaultValueFactory = _ => Counting.Torchvision,
        CustomParser = ParseCount,
    };

    /// <summary>A whole number of 1 or more for <c>--depth</c>.</summary>
    public static Option<int?> Depth(string description) => new("--depth", "-d")
    {
        Description = description,
        HelpName = "N",
        CustomParser = ParseDepth,
    };

    /// <summary>A format option accepting only the given names; the first is the default.</summary>
    public static Option<string> Format(string description, params string[] formats)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = description,
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    /// <summary>"3x224x224" (also with capital X or ×) to a shape; null and a message otherwise.</summary>
    public static Shape? TryParseShape(string text, out string error)
    {
        error = "";
        var parts = text.Trim().Split('x', 'X', '\u00d7');
        var dims = new long[parts.Length];
        var ok = parts.Length == 3;
        for (var i = 0; ok && i < parts.Length; i++)
        {
            ok = long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out dims[i]) && dims[i] >= 1 && dims[i] <= int.MaxValue;
        }

        if (ok) return new Shape(dims);
        error = $"--input takes channels x height x width, every size at least 1 (e.g. 3x224x224), not '{text}'";
        return null;
    }

    private static Shape? ParseInput(ArgumentResult result)
    {
        var token = Single(result);
        var shape = TryParseShape(token, out var error);
        if (shape is null) result.AddError(error + ".");
        return shape;
    }

    private static long ParseBatch(ArgumentResult result)
    {
        var token = Single(result);
        if (long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var batch) && batch >= 1 && batch <= 1_000_000) return batch;
        result.AddError($"--batch takes a whole number from 1 to 1,000,000, not '{token}'.");
        return 1;
    }

    private static DataType ParseDataType(ArgumentResult result)
    {
        var token = Single(result);
        var type = Analysis.DataType.All.FirstOrDefault(t => string.Equals(t.Name, token, StringComparison.OrdinalIgnoreCase));
        if (type is not null) return type;
        result.AddError($"--dtype takes float32, float16 or bfloat16, not '{token}'.");
        return Analysis.DataType.Float32;
    }

    private static Counting ParseCount(ArgumentResult result)
    {
        var token = Single(result);
        if (Counting.TryParse(token, out var counting, out var error)) return counting;
        result.AddError(error + ".");
        return Counting.Torchvision;
    }

    private static int? ParseDepth(ArgumentResult result)
    {
        var token = Single(result);
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var depth) && depth >= 1) return depth;
        result.AddError($"--depth takes a whole number of 1 or more, not '{token}'.");
        return null;
    }

    private static string Single(ArgumentResult result) => result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
}
