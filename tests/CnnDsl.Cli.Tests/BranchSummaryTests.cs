using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary>Text summaries of models with branches and merges: concat, residual, dense and
/// auxiliary heads each get a row of their own, fold with --depth, and never count anything twice.</summary>
public class BranchSummaryTests
{
    private static string Summary(params string[] args)
    {
        var run = CliRunner.Run(new[] { "summary" }.Concat(args).ToArray());
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        return run.Out;
    }

    /// <summary>The table row whose first cell, trimmed, is <paramref name="name"/>: its cells, trimmed.</summary>
    private static string[] Row(string output, string name)
    {
        var rows = output.Split('\n')
            .Where(l => l.StartsWith('│'))
            .Select(l => l.Split('│').Skip(1).SkipLast(1).Select(c => c.Trim()).ToArray())
            .Where(cells => cells[0] == name)
            .ToList();
        Assert.True(rows.Count == 1, $"expected one row named '{name}', found {rows.Count}");
        return rows[0];
    }

    [Fact]
    public void A_residual_is_a_row_with_its_body_and_then_its_shortcut_beneath()
    {
        var output = Summary(CliRunner.Architecture("resnet.cnn"), "--model", "ResNet18");
        var lines = output.Split('\n').Select(l => (l.Split('│').ElementAtOrDefault(1) ?? "").TrimEnd()).ToList();

        var add = lines.FindIndex(l => l == "     layer2.0 (residual)");
        Assert.True(add > 0, "no indented row for layer2.0's residual");
        Assert.Equal("       layer2.0.conv1", lines[add + 1]);
        Assert.Equal(
            new[] { "       layer2.0.downsample", "         layer2.0.downsample.0", "         layer2.0.downsample.1", "     layer2.0.relu_1" },
            lines.Skip(add + 6).Take(4));

        // Expanded: its cells are left to its children; its type is the merge.
        Assert.Equal(new[] { "layer2.0 (residual)", "Add", "128x28x28", "", "" }, Row(output, "layer2.0 (residual)").Take(5));
        Assert.Equal(new[] { "Sequential (shortcut)", "128x28x28", "", "" }, Row(output, "layer2.0.downsample").Skip(1).Take(4));
        Assert.Equal(new[] { "Conv2d", "128x28x28", "8,192", "6,422,528" }, Row(output, "layer2.0.downsample.0").Skip(1).Take(4));
        // An identity shortcut has no row.
        Assert.DoesNotContain("layer2.1.downsample", output);
    }

    [Fact]
    public void Depth_folds_a_residual_into_one_row_with_its_sums_shortcut_included()
    {
        var output = Summary(CliRunner.Architecture("resnet.cnn"), "--model", "ResNet18", "--depth", "3");

        // 73,728 + 256 + 147,456 + 256 (body) + 8,192 + 256 (downsample) = 230,144.
        Assert.Equal(new[] { "layer2.0 (residual)", "Add", "128x28x28", "230,144", "179,830,784" }, Row(output, "layer2.0 (residual)").Take(5));
        Assert.Equal(new[] { "layer2.0.relu_1", "ReLU", "128x28x28", "-", "-" }, Row(output, "layer2.0.relu_1").Take(5));
        Assert.DoesNotContain("layer2.0.conv1", output);
        Assert.DoesNotContain("downsample", output);
    }

    [Fact]
    public void A_concat_is_a_row_under_its_inception_block_with_its_branches_beneath()
    {
        var output = Summary(CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNet", "--depth", "3");

        Assert.Equal(new[] { "inception3a", "inception", "256x28x28", "", "" }, Row(output, "inception3a").Take(5));
        Assert.Equal(new[] { "inception3a (concat)", "Concat", "256x28x28", "", "" }, Row(output, "inception3a (concat)").Take(5));
        Assert.Equal(new[] { "inception3a.branch1", "basic_conv", "64x28x28", "12,416" }, Row(output, "inception3a.branch1").Take(4));
        Assert.Equal(new[] { "inception3a.branch4", "Sequential", "32x28x28", "6,208" }, Row(output, "inception3a.branch4").Take(4));
        Assert.Contains("\n│   inception3a (concat) ", output);
        Assert.Contains("\n│     inception3a.branch1 ", output);
    }

    [Fact]
    public void An_unlabeled_concat_at_the_top_level_shows_its_kind_alone()
    {
        var output = Summary(CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetPaper", "--depth", "1");

        Assert.Contains("\n│ (concat) ", output);
        Assert.Matches(@"│ \(concat\)\s+│ Concat\s+│ 256x28x28\s+│\s+163,696 │", output);
    }

    [Fact]
    public void A_dense_layer_is_a_row_with_its_layers_beneath()
    {
        var output = Summary(CliRunner.Architecture("densenet.cnn"), "--model", "DenseNet121", "--depth", "4");

        Assert.Equal(new[] { "features.denseblock1.denselayer1", "DenseConcat", "96x56x56", "", "" }, Row(output, "features.denseblock1.denselayer1").Take(5));
        Assert.Equal(new[] { "Conv2d", "32x56x56", "36,864" }, Row(output, "features.denseblock1.denselayer1.conv2").Skip(1).Take(3));

        var folded = Summary(CliRunner.Architecture("densenet.cnn"), "--model", "DenseNet121", "--depth", "3");
        Assert.Equal(new[] { "DenseConcat", "96x56x56", "45,440" }, Row(folded, "features.denseblock1.denselayer1").Skip(1).Take(3));
    }

    [Fact]
    public void Auxiliary_heads_are_marked_and_left_out_of_the_totals()
    {
        var output = Summary(CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetAux", "--depth", "2");

        Assert.Equal(new[] { "aux1 (training only)", "AuxiliaryHead", "1000", "", "" }, Row(output, "aux1 (training only)").Take(5));
        // Inside a head every count is in parentheses: not part of the Total row.
        Assert.Equal(new[] { "Linear", "1024", "(2,098,176)", "(2,097,152)" }, Row(output, "aux1.fc1").Skip(1).Take(4));
        Assert.Equal(new[] { "Total", "", "", "6,624,904", "1,498,376,192", "", "" }, Row(output, "Total"));
        Assert.Equal("6,624,904", CliRunner.Footer(output, "Total parameters"));
        Assert.Equal("6,379,984 parameters (training only, not in the total)", CliRunner.Footer(output, "Auxiliary heads"));

        var folded = Summary(CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetAux", "--depth", "1");
        Assert.Equal(new[] { "AuxiliaryHead", "1000", "(3,188,968)" }, Row(folded, "aux1 (training only)").Skip(1).Take(3));
        Assert.DoesNotContain("aux1.fc1", folded);
    }

    [Fact]
    public void A_model_without_auxiliary_heads_has_no_auxiliary_line()
    {
        var output = Summary(CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNet");

        Assert.DoesNotContain("Auxiliary heads", output);
        Assert.DoesNotContain("training only", output);
    }

    public static TheoryData<string, int> FilesAndDepths()
    {
        var data = new TheoryData<string, int>();
        var files = System.IO.Directory.GetFiles(System.IO.Path.Combine(CliRunner.BaseDirectory, "architectures"), "*.cnn")
            .Select(f => System.IO.Path.GetFileName(f)!).OrderBy(f => f, StringComparer.Ordinal);
        foreach (var file in files)
        {
            // 0 stands for no --depth: every level.
            for (var depth = 0; depth <= 6; depth++) data.Add(file, depth);
        }

        return data;
    }

    /// <summary>For every model of every shipped file, at every depth: the counts shown in the
    /// Parameters and Multiply-adds columns (those in parentheses, auxiliary heads', aside) add up
    /// to the Total row, which is the model's own figure. So no container repeats its children.</summary>
    [Theory]
    [MemberData(nameof(FilesAndDepths))]
    public void Shown_counts_add_up_to_the_totals_at_every_depth(string fileName, int depth)
    {
        var args = new List<string> { CliRunner.Architecture(fileName), "--format", "json" };
        if (depth > 0) args.AddRange(new[] { "--depth", depth.ToString(CultureInfo.InvariantCulture) });
        var json = Summary(args.ToArray());
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var models = document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array
            ? document.RootElement.EnumerateArray().ToList()
            : new List<System.Text.Json.JsonElement> { document.RootElement };

        args[1] = "--format";
        args[2] = "text";
        var text = Summary(args.ToArray());
        var tables = Regex.Split(text, @"\n\n(?=\S+ \(architectures/)");
        Assert.Equal(models.Count, tables.Length);
        for (var i = 0; i < tables.Length; i++)
        {
            var lines = tables[i].Split('\n').Where(l => l.StartsWith('│')).Select(l => l.Split('│').Select(c => c.Trim()).ToArray()).ToList();
            var header = lines[0];
            var parameters = Array.FindIndex(header, c => c is "Parameters" or "Params");
            var macs = Array.FindIndex(header, c => c is "Multiply-adds" or "MACs");
            Assert.True(parameters > 0, "no parameters column");
            var body = lines.SkipWhile(l => l[1] != "input").TakeWhile(l => l[1] != "Total").ToList();
            var total = lines.Single(l => l[1] == "Total");

            var expected = models[i].GetProperty("parameters").GetInt64();
            Assert.Equal(expected, Count(total[parameters]));
            Assert.Equal(expected, body.Sum(l => Count(l[parameters])));
            if (macs > 0)
            {
                var expectedMacs = models[i].GetProperty("macs").GetInt64();
                Assert.Equal(expectedMacs, Count(total[macs]));
                Assert.Equal(expectedMacs, body.Sum(l => Count(l[macs])));
            }
        }
    }

    /// <summary>A count as the table prints it; empty, <c>-</c> and parenthesised (not in the total) count as 0.</summary>
    private static long Count(string cell) =>
        cell.Length == 0 || cell == "-" || cell.StartsWith('(') ? 0 : long.Parse(cell, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    [Fact]
    public void A_terminal_narrower_than_the_table_gets_short_headers_before_losing_a_column()
    {
        var args = new[] { "summary", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetAux", "--depth", "2", "--columns", "type,output,params,macs,rf" };

        var wide = CliRunner.RunOnTerminal(120, args).Out;
        Assert.Matches(@"│\s+Parameters │\s+Multiply-adds │ Receptive field │", wide);
        Assert.Contains("Receptive field", wide);

        var narrow = CliRunner.RunOnTerminal(100, args).Out;
        Assert.All(narrow.Split('\n'), line => Assert.True(line.Length <= 100, $"line longer than 100: {line}"));
        Assert.Matches(@"│\s+Params │\s+MACs │\s+RF │", narrow);
        Assert.Matches(@"│   aux1\.fc1\s+│ Linear\s+│ 1024\s+│ \(2,098,176\) │\s+\(2,097,152\) │\s+global │", narrow);
        Assert.Matches(@"│ maxpool3\s+│ MaxPool2d\s+│ 480x14x14\s+│\s+- │\s+- │\s+75/16 │", narrow);
        Assert.DoesNotContain("left out", narrow);

        var tiny = CliRunner.RunOnTerminal(80, args).Out;
        var table = tiny.Split('\n').Where(l => l.StartsWith('│') || l.StartsWith('╭') || l.StartsWith('╰')).ToList();
        Assert.All(table, line => Assert.True(line.Length <= 80, $"line longer than 80: {line}"));
        Assert.Contains("(left out to fit 80 columns: receptive field, multiply-adds)", tiny);
        Assert.Matches(@"│   aux1\.fc1\s+│ Linear\s+│ 1024\s+│ \(2,098,176\) │\n", tiny);
        Assert.Contains("1.50 G = 1,498,376,192 multiply-accumulates", tiny);
    }

    [Fact]
    public void The_trainable_column_goes_first_when_even_short_headers_are_too_wide()
    {
        var args = new[] { "summary", CliRunner.Architecture("googlenet.cnn"), "--model", "GoogLeNetAux", "--depth", "2" };

        var wide = CliRunner.RunOnTerminal(140, args).Out;
        Assert.Matches(@"│\s+Parameters │\s+Multiply-adds │ Receptive field │ Trainable │", wide);
        Assert.Matches(@"│   aux1\.fc1\s+│ Linear\s+│ 1024\s+│ \(2,098,176\) │\s+\(2,097,152\) │\s+global │ yes\s+│", wide);

        var narrow = CliRunner.RunOnTerminal(100, args).Out;
        Assert.Contains("(left out to fit 100 columns: trainable)", narrow);
        Assert.Matches(@"│\s+Params │\s+MACs │\s+RF │\n", narrow);
    }
}
