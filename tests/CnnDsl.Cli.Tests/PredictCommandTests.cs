using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Runtime;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Weights;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using Xunit;

namespace CnnDsl.Cli.Tests;

/// <summary><c>cnn predict</c> and <c>--weights</c> on <c>verify</c>: small models whose weights the
/// tests write, so that every figure can be checked by hand or against the model itself.</summary>
public sealed class PredictCommandTests : IDisposable
{
    private const string Source = """
        model Tiny input 3x8x8 = conv(4, 3, pad: 1) -> relu -> global_avgpool -> flatten -> fc: linear(5)
        model TinyWide input 3x8x8 = conv(6, 3, pad: 1) -> relu -> global_avgpool -> flatten -> fc: linear(5)
        model Pass input 3x8x8 = identity
        """;

    private static readonly string[] Labels = { "ant", "bee", "cat", "dog", "eel" };
    private readonly TempCnnFile file = new(Source);
    private readonly string folder;

    public PredictCommandTests()
    {
        TorchRuntime.EnsureAvailable();
        folder = Path.GetDirectoryName(file.Path)!;
    }

    public void Dispose() => file.Dispose();

    private string InFolder(string name) => Path.Combine(folder, name);

    private InterpretedModel Build(string model) => CnnInterpreter.Build(file.Path, file.Text, model);

    [Fact]
    public void A_tensor_gives_the_top_classes_with_the_weights_labels_and_the_raw_output()
    {
        torch.manual_seed(3);
        using var model = Build("Tiny");
        var weights = InFolder("tiny.safetensors");
        model.SaveWeights(weights, new Dictionary<string, string> { ["labels"] = "[\"ant\", \"bee\", \"cat\", \"dog\", \"eel\"]" });
        var input = torch.randn(2, 3, 8, 8);
        var inputPath = InFolder("x.safetensors");
        StateDictFile.WriteSafetensors(inputPath, new[] { new KeyValuePair<string, torch.Tensor>("input", input) });
        var outputPath = InFolder("y.safetensors");

        var run = CliRunner.Run("predict", file.Path, "--model", "Tiny", "--weights", weights, "--tensor", inputPath, "--top", "3", "--output", outputPath);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        model.eval();
        var expected = model.forward(input);
        using var written = StateDictFile.Read(outputPath);
        Assert.True(expected.eq(written.Entries.Single().Value).all().item<bool>());
        var best = expected.argmax(1);
        Assert.Contains("Sample 0:", run.Out);
        Assert.Contains("Sample 1:", run.Out);
        var firstRows = run.Out.Split('\n').Where(l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, firstRows.Count);
        Assert.EndsWith(Labels[best[0].item<long>()], firstRows[0]);
        Assert.EndsWith(Labels[best[1].item<long>()], firstRows[1]);
        Assert.Equal(6, run.Out.Split('\n').Count(l => l.Contains('%')));
    }

    /// <summary>A uniform image stays uniform through resizing and cropping, so each channel of the
    /// input is (value / 255 - mean) / std, computed here by hand.</summary>
    [Fact]
    public void An_image_is_resized_cropped_and_normalised_as_torchvision_does()
    {
        var image = InFolder("orange.png");
        using (var picture = new Image<Rgb24>(20, 10, new Rgb24(255, 0, 128))) picture.SaveAsPng(image);
        var weights = InFolder("pass.safetensors");
        using (var model = Build("Pass")) model.SaveWeights(weights);
        var outputPath = InFolder("pixels.safetensors");

        var run = CliRunner.Run("predict", file.Path, "--model", "Pass", "--weights", weights, "--image", image, "--output", outputPath);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("resize 9, centre crop 8x8, scale to [0, 1], mean 0.485,0.456,0.406, std 0.229,0.224,0.225 -> 3x8x8", run.Out);
        Assert.Contains("not one score per class", run.Out);
        using var written = StateDictFile.Read(outputPath);
        var pixels = written.Entries.Single().Value;
        Assert.Equal(new long[] { 1, 3, 8, 8 }, pixels.shape);
        var expected = new[] { (1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (128 / 255.0 - 0.406) / 0.225 };
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(expected[c], pixels[0, c].min().item<float>(), 5);
            Assert.Equal(expected[c], pixels[0, c].max().item<float>(), 5);
        }

        var inception = CliRunner.Run("predict", file.Path, "--model", "Pass", "--weights", weights, "--image", image, "--mean", "0.5,0.5,0.5", "--std", "0.5,0.5,0.5", "--output", outputPath);
        Assert.True(inception.ExitCode == 0, inception.Out + inception.Error);
        using var again = StateDictFile.Read(outputPath);
        Assert.Equal(1.0, again.Entries.Single().Value[0, 0].max().item<float>(), 6);
        Assert.Equal(-1.0, again.Entries.Single().Value[0, 1].max().item<float>(), 6);
    }

    [Fact]
    public void Weights_of_another_model_exit_3_naming_the_key_and_the_model_they_fit()
    {
        var weights = InFolder("wide.pth");
        using (var wide = Build("TinyWide")) wide.SaveWeights(weights);
        var input = InFolder("x.safetensors");
        StateDictFile.WriteSafetensors(input, new[] { new KeyValuePair<string, torch.Tensor>("x", torch.zeros(3, 8, 8)) });

        var run = CliRunner.Run("predict", file.Path, "--model", "Tiny", "--weights", weights, "--tensor", input);

        Assert.Equal(3, run.ExitCode);
        var error = Flat(run.Error);
        Assert.Contains("does not fit Tiny: `conv.weight` is 6x3x3x3 in the file but 4x3x3x3 in Tiny", error);
        Assert.Contains("It fits TinyWide", error);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Exactly_one_input_is_required(bool image, bool tensor)
    {
        var args = new List<string> { "predict", file.Path, "--model", "Tiny", "--weights", "w.pth" };
        if (image) args.AddRange(new[] { "--image", "a.png" });
        if (tensor) args.AddRange(new[] { "--tensor", "t.safetensors" });
        var run = CliRunner.Run(args.ToArray());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("exactly one of --image PATH and --tensor", run.Error);
    }

    [Fact]
    public void A_labels_file_is_read_a_name_a_line_and_only_up_to_its_limit()
    {
        torch.manual_seed(5);
        using var model = Build("Tiny");
        var weights = InFolder("labelled.safetensors");
        model.SaveWeights(weights);
        var input = torch.randn(1, 3, 8, 8);
        var inputPath = InFolder("one.safetensors");
        StateDictFile.WriteSafetensors(inputPath, new[] { new KeyValuePair<string, torch.Tensor>("input", input) });
        var labels = InFolder("labels.txt");
        File.WriteAllText(labels, "\uFEFF" + string.Join("\r\n", Labels) + "\r\n\r\n");

        var run = CliRunner.Run("predict", file.Path, "--model", "Tiny", "--weights", weights, "--tensor", inputPath, "--top", "1", "--labels", labels);

        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        model.eval();
        var best = model.forward(input).argmax(1)[0].item<long>();
        Assert.EndsWith(" " + Labels[best], run.Out.Split('\n').Single(l => l.TrimStart().StartsWith("1 ", StringComparison.Ordinal)));

        // /dev/zero never ends: read up to the limit, then refused with the file's name (exit 3).
        var endless = CliRunner.Run("predict", file.Path, "--model", "Tiny", "--weights", weights, "--tensor", inputPath, "--labels", "/dev/zero");
        Assert.Equal(3, endless.ExitCode);
        Assert.Contains("/dev/zero: longer than the 4,194,304 bytes a labels file may have", endless.Error);
    }

    [Fact]
    public void A_file_that_is_no_image_is_a_file_error()
    {
        var weights = InFolder("pass.safetensors");
        using (var model = Build("Pass")) model.SaveWeights(weights);
        var notImage = InFolder("notes.png");
        File.WriteAllText(notImage, "not a picture");
        var run = CliRunner.Run("predict", file.Path, "--model", "Pass", "--weights", weights, "--image", notImage);
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("notes.png", run.Error);
    }

    [Fact]
    public void Verify_with_weights_checks_that_they_fit()
    {
        var weights = InFolder("tiny.pth");
        using (var model = Build("Tiny")) model.SaveWeights(weights);

        var fits = CliRunner.Run("verify", file.Path, "--model", "Tiny", "--weights", weights);
        Assert.True(fits.ExitCode == 0, fits.Out + fits.Error);
        Assert.Contains("fit (4 tensors)", fits.Out);

        var wrong = CliRunner.Run("verify", file.Path, "--model", "TinyWide", "--weights", weights);
        Assert.Equal(5, wrong.ExitCode);
        Assert.Contains("FAILED", wrong.Out);
        Assert.Contains("It fits Tiny of the same .cnn file", Flat(wrong.Out));
    }

    [Fact]
    public void A_directory_as_the_weights_is_named_as_one()
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(file.Path)!, "weights-dir")).FullName;

        var run = CliRunner.Run("predict", file.Path, "--model", "Tiny", "--weights", directory, "--tensor", Path.Combine(directory, "x.safetensors"));

        Assert.Equal(ExitCodes.FileError, run.ExitCode);
        Assert.Contains($"{directory}: is a directory, not a weights file", Flat(run.Error));
    }

    [Fact]
    public void A_model_larger_than_memory_is_refused_before_it_is_built()
    {
        // 64 x 10^12 weights: 256 TB of float32, more than any machine this runs on.
        using var huge = new TempCnnFile("model Huge input 1x8x8 = flatten -> linear(1000000000000, bias: false)");
        var folder = Path.GetDirectoryName(huge.Path)!;

        var run = CliRunner.Run("predict", huge.Path, "--weights", Path.Combine(folder, "w.pth"), "--tensor", Path.Combine(folder, "x.pth"));

        Assert.Equal(ExitCodes.ExternalFailure, run.ExitCode);
        Assert.Contains("of memory to build and run it (parameters 256 TB", Flat(run.Error));
    }

    /// <summary>Output with every run of white space as one space: long messages wrap at the console's width.</summary>
    private static string Flat(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");
}
