using System;
using System.IO;
using System.Linq;
using CnnDsl.Architectures;
using CnnDsl.Runtime.Training;
using TorchSharp;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary>Checkpoints: written atomically, checked when read, and loaded into a model only when
/// every tensor fits.</summary>
public sealed class CheckpointTests : IClassFixture<TorchFixture>, IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static CheckpointInfo Info(string model, int epoch) => new() { Model = model, Source = "lenet5.cnn", Input = new long[] { 1, 28, 28 }, Epoch = epoch };

    [Fact]
    public void A_checkpoint_round_trips_every_tensor_and_its_metadata()
    {
        torch.manual_seed(1);
        using var saved = new LeNet5();
        var checkpoint = Checkpoint.Capture(saved, Info("LeNet5", 3) with
        {
            History = new[] { new EpochRecord(1, 0.5, 0.8, 0.4, 0.85), new EpochRecord(2, 0.25, 0.9, null, null) },
            BestEpoch = 1,
            Options = new TrainingOptions { Seed = 7, LearningRate = 0.0025, Shift = 2, Schedule = LearningRateSchedule.Cosine },
        });
        checkpoint.Save(folder.File("a.ckpt"));

        var read = Checkpoint.Load(folder.File("a.ckpt"));
        torch.manual_seed(2);
        using var loaded = new LeNet5();
        read.LoadInto(loaded);

        Tensors.AssertIdentical(Tensors.Snapshot(saved), Tensors.Snapshot(loaded));
        Assert.Equal(checkpoint.Info.ToJson(), read.Info.ToJson());
        Assert.Equal(3, read.Info.Epoch);
        Assert.Equal(0.85, read.Info.Best!.ValidationAccuracy);
        Assert.Equal(LearningRateSchedule.Cosine, read.Info.Options!.Schedule);
        Assert.Equal(new[] { "c1.weight", "c1.bias", "c3.weight", "c3.bias", "f5.weight", "f5.bias", "f6.weight", "f6.bias", "output.weight", "output.bias" },
            read.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void A_failure_in_the_middle_of_a_write_leaves_the_previous_checkpoint_intact()
    {
        var path = folder.File("model.ckpt");
        torch.manual_seed(1);
        using var first = new LeNet5();
        Checkpoint.Capture(first, Info("LeNet5", 1)).Save(path);
        var before = File.ReadAllBytes(path);

        torch.manual_seed(2);
        using var second = new LeNet5();
        var next = Checkpoint.Capture(second, Info("LeNet5", 2));
        // The disk "fails" after 100,000 bytes of the new checkpoint (about 40% of it).
        var e = Assert.Throws<IOException>(() => next.Save(path, stream => new FailingStream(stream, 100_000)));
        Assert.Contains("simulated", e.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { "model.ckpt" }, folder.Names());
        var survivor = Checkpoint.Load(path);
        Assert.Equal(1, survivor.Info.Epoch);
        using var check = new LeNet5();
        survivor.LoadInto(check);
        Tensors.AssertIdentical(Tensors.Snapshot(first), Tensors.Snapshot(check));
    }

    [Fact]
    public void A_write_cut_short_is_recognised_as_truncated()
    {
        // What a kill between write and rename could leave if the file were written in place:
        // the loader refuses it instead of loading part of it.
        var path = folder.File("cut.ckpt");
        using var model = new LeNet5();
        Checkpoint.Capture(model, Info("LeNet5", 1)).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.Take(bytes.Length / 2).ToArray());

        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("truncated or damaged", e.Message);
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_named()
    {
        var path = folder.File("weights.bin");
        File.WriteAllText(path, "not a checkpoint at all");
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Equal($"{path}: not a CnnDsl checkpoint (it does not start with CNNDSLCK)", e.Message);
        Assert.Contains("checkpoint not found", Assert.Throws<CheckpointException>(() => Checkpoint.Load(folder.File("none.ckpt"))).Message);
    }

    [Fact]
    public void Loading_into_another_architecture_names_the_first_mismatch_and_changes_nothing()
    {
        // VggMnistA and VggMnistB share stage1.0; B's stage1.2 is a convolution where A has none.
        using var a = new VggMnistA();
        var checkpoint = Checkpoint.Capture(a, Info("VggMnistA", 4));
        torch.manual_seed(3);
        using var b = new VggMnistB();
        var before = Tensors.Snapshot(b);

        var e = Assert.Throws<CheckpointMismatchException>(() => checkpoint.LoadInto(b, "a.ckpt", "VggMnistB"));

        Assert.Equal("stage1.2.weight", e.Mismatch.Name);
        Assert.Equal("a.ckpt: does not fit VggMnistB (it holds VggMnistA): tensor `stage1.2.weight` is not in the checkpoint: checkpoint absent, model [16, 16, 3, 3]; nothing was loaded", e.Message);
        // stage1.0 fits and comes first, yet was not copied: nothing is, unless everything fits.
        Tensors.AssertIdentical(before, Tensors.Snapshot(b));
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        const string text = """
            model Narrow input 1x8x8 = stem: conv(4, 3) -> relu -> body: conv(8, 3) -> flatten -> fc: linear(10)
            model Wide input 1x8x8 = stem: conv(4, 3) -> relu -> body: conv(12, 3) -> flatten -> fc: linear(10)
            """;
        using var narrow = CnnDsl.Runtime.Interpreter.CnnInterpreter.Build("two.cnn", text, "Narrow");
        var checkpoint = Checkpoint.Capture(narrow, Info("Narrow", 1));
        using var wide = CnnDsl.Runtime.Interpreter.CnnInterpreter.Build("two.cnn", text, "Wide");
        var before = Tensors.Snapshot(wide);

        var e = Assert.Throws<CheckpointMismatchException>(() => checkpoint.LoadInto(wide, "n.ckpt", "Wide"));

        Assert.Equal("n.ckpt: does not fit Wide (it holds Narrow): tensor `body.weight` has a different shape: checkpoint [8, 4, 3, 3], model [12, 4, 3, 3]; nothing was loaded", e.Message);
        Assert.Equal(new long[] { 8, 4, 3, 3 }, e.Mismatch.CheckpointShape);
        Assert.Equal(new long[] { 12, 4, 3, 3 }, e.Mismatch.ModelShape);
        // stem fits and comes first, yet was not copied.
        Tensors.AssertIdentical(before, Tensors.Snapshot(wide));
    }

    [Fact]
    public void A_checkpoint_with_a_tensor_the_model_lacks_is_refused()
    {
        using var b = new VggMnistB();
        var checkpoint = Checkpoint.Capture(b, Info("VggMnistB", 1));
        using var a = new VggMnistA();
        var before = Tensors.Snapshot(a);

        var e = Assert.Throws<CheckpointMismatchException>(() => checkpoint.LoadInto(a));

        // A's tensors are all in B's checkpoint with the same shapes; B's extra convolutions are not in A.
        Assert.Equal("stage1.2.weight", e.Mismatch.Name);
        Assert.Contains("is not in the model: checkpoint [16, 16, 3, 3], model absent", e.Message);
        Tensors.AssertIdentical(before, Tensors.Snapshot(a));
    }

    [Fact]
    public void The_optimizer_state_is_saved_and_restored()
    {
        torch.manual_seed(5);
        using var model = new LeNet5();
        using var optimizer = torch.optim.Adam(model.parameters(), 0.01);
        using (var scope = torch.NewDisposeScope())
        {
            var loss = model.forward(torch.randn(4, 1, 28, 28)).square().mean();
            loss.backward();
            optimizer.step();
        }

        var checkpoint = Checkpoint.Capture(model, Info("LeNet5", 1), optimizer);
        checkpoint.Save(folder.File("o.ckpt"));
        var read = Checkpoint.Load(folder.File("o.ckpt"));
        Assert.NotNull(read.OptimizerState);
        Assert.Equal(checkpoint.OptimizerState, read.OptimizerState);

        using var other = new LeNet5();
        read.LoadInto(other);
        using var restored = torch.optim.Adam(other.parameters(), 0.01);
        Assert.True(read.RestoreOptimizer(restored));
        var again = Checkpoint.Capture(other, Info("LeNet5", 1), restored);
        Assert.Equal(checkpoint.OptimizerState, again.OptimizerState);
    }

    /// <summary>A stream that fails after a number of bytes, like a full or failing disk.</summary>
    private sealed class FailingStream : Stream
    {
        private readonly Stream inner;
        private long left;

        public FailingStream(Stream inner, long bytes)
        {
            this.inner = inner;
            left = bytes;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (buffer.Length > left)
            {
                inner.Write(buffer[..(int)left]);
                left = 0;
                throw new IOException("simulated disk failure in the middle of the write");
            }

            inner.Write(buffer);
            left -= buffer.Length;
        }
    }
}
