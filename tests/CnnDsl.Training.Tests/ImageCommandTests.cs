using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using CnnDsl.Runtime.Training;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary><c>cnn train</c> and <c>cnn test</c> on image folders, end to end.</summary>
public sealed class ImageCommandTests : IClassFixture<TorchFixture>, IDisposable
{
    private readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    private static (int Exit, string Out, string Error) Run(params string[] args) => TestData.Run(args);

    [Fact]
    public void Training_from_the_png_folder_repeats_training_from_the_idx_files_bit_for_bit()
    {
        using var idx = TestData.Slice(400, 100);
        using var png = TestData.PngSlice(400, 100);
        var common = new[] { "--model", "LeNet5", "--epochs", "2", "--batch", "20", "--seed", "3", "--threads", "1", "--no-plots" };

        var fromIdx = Run(new[] { "train", TestData.Architecture("lenet5.cnn"), "--data", idx.Path, "--out", work.File("idx.ckpt") }.Concat(common).ToArray());
        var fromPng = Run(new[] { "train", TestData.Architecture("lenet5.cnn"), "--data", png.Path, "--out", work.File("png.ckpt"), "--mean", "0.1307", "--std", "0.3081", "--shift", "1" }.Concat(common).ToArray());

        Assert.True(fromIdx.Exit == 0, fromIdx.Error);
        Assert.True(fromPng.Exit == 0, fromPng.Error);
        Assert.Contains("400 images of 10 classes: 360 to train, 40 held out to validate (stratified); 28x28 as they are (grey, 1x28x28)", fromPng.Out);
        var a = Checkpoint.Load(work.File("idx.last.ckpt"));
        var b = Checkpoint.Load(work.File("png.last.ckpt"));
        Assert.Equal(a.Info.History, b.Info.History);
        Assert.Equal(a.Tensors.Select(t => t.Data), b.Tensors.Select(t => t.Data));

        // The test images through either path score the same.
        var testIdx = Run("test", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--checkpoint", work.File("idx.ckpt"), "--data", idx.Path, "--no-plots");
        var testPng = Run("test", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--checkpoint", work.File("png.ckpt"), "--data", png.Path, "--no-plots");
        string Accuracy(string text) => text.Split('\n').Single(l => l.StartsWith("Accuracy ", StringComparison.Ordinal));
        Assert.Equal(Accuracy(testIdx.Out), Accuracy(testPng.Out));
    }

    [Fact]
    public void An_rgb_resnet_trains_on_coloured_shapes_with_augmentation_and_is_tested()
    {
        var shapes = work.File("shapes");
        var data = Run("data", "shapes", "--out", shapes, "--count", "24", "--size", "32", "--seed", "2");
        Assert.True(data.Exit == 0, data.Error);
        Assert.StartsWith($"Wrote {shapes}: 72 training, 18 validation and 18 test images of 32x32 (circle, square, triangle).", data.Out);

        var train = Run("train", TestData.ShapesModels, "--model", "ResNet20", "--data", shapes, "--epochs", "3", "--batch", "12", "--lr", "0.005",
            "--random-resized-crop", "--crop-scale", "0.5", "--hflip", "--rotation", "10", "--jitter", "0.2,0.2,0.2,0.05",
            "--out", work.File("resnet.ckpt"), "--log", work.File("resnet.jsonl"));

        Assert.True(train.Exit == 0, train.Error);
        Assert.Equal("", train.Error);
        Assert.Contains($"Data: {Path.Combine(shapes, "train")}: 72 images of 3 classes: 72 to train, 18 in {Path.Combine(shapes, "val")} to validate; 32x32 as they are (RGB, 3x32x32)", train.Out);
        Assert.Contains("Augmentation: random resized crop (scale 0.5-1), horizontal flip 0.5, rotation ±10°, colour jitter 0.2,0.2,0.2,0.05; normalised with mean ", train.Out);
        var last = Checkpoint.Load(work.File("resnet.last.ckpt"));
        Assert.Equal(new[] { "circle", "square", "triangle" }, last.Info.ClassNames);
        Assert.Equal(3, last.Info.History.Count);
        Assert.True(last.Info.History[2].TrainLoss < last.Info.History[0].TrainLoss, string.Join(", ", last.Info.History.Select(h => h.TrainLoss)));
        Assert.True(last.Info.Data!.Augmentation.RandomResizedCrop);
        Assert.Equal(3, last.Info.Data.Normalization.Mean.Length);
        var rows = File.ReadAllLines(work.File("resnet.jsonl"));
        Assert.Equal(3, rows.Length);
        using (var row = JsonDocument.Parse(rows[2]))
        {
            Assert.Equal(3, row.RootElement.GetProperty("epoch").GetInt32());
            Assert.InRange(row.RootElement.GetProperty("data_wait_fraction").GetDouble(), 0, 1);
        }

        AssertPng(work.File("resnet.curves.png"));
        Assert.Contains($"Curves: {work.File("resnet.curves.png")}; log: {work.File("resnet.jsonl")}", train.Out);

        var test = Run("test", TestData.ShapesModels, "--model", "ResNet20", "--checkpoint", work.File("resnet.ckpt"), "--data", shapes);
        Assert.True(test.Exit == 0, test.Error);
        Assert.Contains($"Test images: {Path.Combine(shapes, "test")}: 18 images of 3 classes", test.Out);
        Assert.Matches(@"Accuracy \d+\.\d\d% \(\d+ of 18\), top-5 100\.00%, mean loss", test.Out);
        Assert.Matches(@"│ +true +│ +circle +│ +square +│ +triangle +│ +total +│ +accuracy +│", test.Out);
        AssertPng(work.File("resnet.confusion.png"));

        var json = Run("test", TestData.ShapesModels, "--model", "ResNet20", "--checkpoint", work.File("resnet.ckpt"), "--data", shapes, "--format", "json", "--no-plots");
        using var document = JsonDocument.Parse(json.Out);
        var root = document.RootElement;
        Assert.Equal(18, root.GetProperty("count").GetInt32());
        Assert.Equal(new[] { "circle", "square", "triangle" }, root.GetProperty("classes").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(18, root.GetProperty("confusion").EnumerateArray().Sum(r => r.EnumerateArray().Sum(v => v.GetInt32())));
        var correct = root.GetProperty("correct").GetInt32();
        Assert.Equal(correct, Enumerable.Range(0, 3).Sum(i => root.GetProperty("confusion")[i][i].GetInt32()));

        var csv = Run("test", TestData.ShapesModels, "--model", "ResNet20", "--checkpoint", work.File("resnet.ckpt"), "--data", shapes, "--format", "csv", "--no-plots");
        var lines = csv.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("class,samples,correct,accuracy,predicted:circle,predicted:square,predicted:triangle", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.Equal("6", l.Split(',')[1]));
    }

    [Fact]
    public void Corrupt_files_are_skipped_with_warnings_and_training_goes_on()
    {
        using var png = TestData.PngSlice(200, 50);
        File.WriteAllBytes(Path.Combine(png.Path, "train", "3", "zz-broken.png"), new byte[] { 137, 80, 78, 71, 1, 2, 3 });
        File.WriteAllText(Path.Combine(png.Path, "train", "5", "zz-text.jpg"), "not a jpeg");

        var run = Run("train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", png.Path, "--epochs", "1", "--out", work.File("c.ckpt"), "--no-plots");

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains($"warning: {Path.Combine(png.Path, "train", "3", "zz-broken.png")}: skipped: ", run.Error);
        Assert.Contains($"warning: {Path.Combine(png.Path, "train", "5", "zz-text.jpg")}: skipped: ", run.Error);
        Assert.Contains($"warning: {Path.Combine(png.Path, "train")}: 2 of 202 image files could not be read and were left out.", run.Error);
        Assert.Contains(": 200 images of 10 classes:", run.Out);
    }

    [Fact]
    public void Folder_problems_are_clear_errors_with_exit_code_3()
    {
        var empty = work.File("empty");
        ImageFolderTests.WritePng(Path.Combine(empty, "a", "1.png"), 28, 28, 1, 10);
        Directory.CreateDirectory(Path.Combine(empty, "b"));
        var emptyRun = Run("train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", empty, "--out", work.File("x.ckpt"));
        Assert.Equal(3, emptyRun.Exit);
        Assert.Equal($"error: {Path.Combine(empty, "b")}: class folder with no images (.png, .jpg, .jpeg, .bmp, .gif, .webp); add images of class `b` or remove the folder\n", emptyRun.Error);

        var single = work.File("single");
        ImageFolderTests.WritePng(Path.Combine(single, "a", "1.png"), 28, 28, 1, 10);
        var singleRun = Run("train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", single, "--out", work.File("x.ckpt"));
        Assert.Equal(3, singleRun.Exit);
        Assert.Contains("has one class folder (a); a classifier needs images of at least two classes", singleRun.Error);

        var small = work.File("small");
        ImageFolderTests.WritePng(Path.Combine(small, "a", "1.png"), 28, 28, 1, 10);
        ImageFolderTests.WritePng(Path.Combine(small, "b", "1.png"), 28, 28, 1, 10);
        var smallRun = Run("train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5_1998", "--data", small, "--out", work.File("x.ckpt"));
        Assert.Equal(3, smallRun.Exit);
        Assert.Contains("28x28 is smaller than the model's input 32x32 (2 of 2 images are): images are centre-cropped to the input, never enlarged silently. Scale them with --resize 32 (the shorter side, in pixels), or pad them with --pad 2.", smallRun.Error);
        Assert.False(File.Exists(work.File("x.ckpt")));

        var options = Run("train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", TestData.MnistFolder, "--hflip", "--out", work.File("x.ckpt"));
        Assert.Equal(2, options.Exit);
        Assert.Contains("holds MNIST IDX files; --resize, --pad, --mean, --std, --random-resized-crop", options.Error);
    }

    private static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), path);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 2_000, $"{path}: {bytes.Length} bytes");
        Assert.Equal(new byte[] { 137, 80, 78, 71 }, bytes.Take(4));
        var info = SixLabors.ImageSharp.Image.Identify(path);
        Assert.True(info.Width >= 600 && info.Height >= 400, $"{info.Width}x{info.Height}");
    }
}
