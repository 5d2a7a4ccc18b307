using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CnnDsl.Architectures;
using CnnDsl.Dsl;
using CnnDsl.Dsl.Analysis;
using CnnDsl.Runtime.Data;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Training;
using TorchSharp;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary>Training on a small slice of real digits: the models learn, runs repeat bit for bit,
/// a resumed run equals an uninterrupted one, and the generated class trains exactly like the
/// interpreter's module.</summary>
public sealed class TrainingTests : IClassFixture<TorchFixture>
{
    private static readonly TrainingOptions OneEpoch = new() { Epochs = 1, BatchSize = 10, LearningRate = 0.002, ValidationFraction = 0, Seed = 11, Threads = 1 };

    private static ModelInfo Analysed(string file, string model)
    {
        var path = TestData.Architecture(file);
        return CnnCompiler.Compile(path, File.ReadAllText(path)).Models.Single(m => m.Name == model);
    }

    private static Classifier Interpreted(string file, string model, long seed)
    {
        Determinism.Configure(seed, 1);
        return Classifier.For(new InterpretedModel(Analysed(file, model)));
    }

    /// <summary>500 training digits, and 500 other digits to measure on.</summary>
    private static (LabeledImages Train, LabeledImages Held) Slice()
    {
        var train = TestData.Train;
        return (train.Take(500), train.Subset(Enumerable.Range(7_500, 500).ToArray()));
    }

    [Theory]
    [InlineData("lenet5.cnn", "LeNet5", 0.5)]
    [InlineData("lenet5.cnn", "LeNet5_1998", 0.5)]
    [InlineData("vgg_mnist.cnn", "VggMnistA", 0.5)]
    public void One_epoch_on_500_digits_lowers_the_loss_and_beats_chance_widely(string file, string name, double floor)
    {
        var (train, held) = Slice();
        var model = Interpreted(file, name, 11);
        using var scope = torch.NewDisposeScope();
        var (x, y) = DigitTensors.Create(held, model.Input);
        var before = Trainer.Evaluate(model, x, y);

        var result = TrainingSession.Run(model, train, OneEpoch, file);
        var after = Trainer.Evaluate(model, x, y);

        Assert.Single(result.Epochs);
        Assert.True(after.Loss < before.Loss * 0.7, $"{name}: loss {before.Loss:F4} -> {after.Loss:F4}");
        Assert.True(after.Accuracy >= floor, $"{name}: accuracy on 500 unseen digits {after.Accuracy:P1} (chance: 10%), before {before.Accuracy:P1}");
        Assert.Equal(500, after.Count);
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_weights_and_metrics()
    {
        var (train, _) = Slice();
        var options = OneEpoch with { Epochs = 2, ValidationFraction = 0.2, Shift = 2 };

        (Dictionary<string, byte[]> Weights, IReadOnlyList<EpochRecord> History, byte[] File) Run(long seed)
        {
            using var folder = new TempFolder();
            var model = Interpreted("vgg_mnist.cnn", "VggMnistA", seed);
            var result = TrainingSession.Run(model, train, options with { Seed = seed }, "vgg_mnist.cnn", lastPath: folder.File("last.ckpt"));
            return (Tensors.Snapshot(model.Module), result.History, File.ReadAllBytes(folder.File("last.ckpt")));
        }

        var first = Run(5);
        var second = Run(5);
        var other = Run(6);

        Tensors.AssertIdentical(first.Weights, second.Weights);
        Assert.Equal(first.History, second.History);
        Assert.Equal(first.File, second.File);   // the checkpoints too, byte for byte
        Assert.NotEqual(first.History, other.History);
        Assert.False(first.Weights["stage1.0.weight"].AsSpan().SequenceEqual(other.Weights["stage1.0.weight"]));
    }

    [Fact]
    public void A_resumed_run_equals_an_uninterrupted_one()
    {
        var (train, _) = Slice();
        var options = OneEpoch with { Epochs = 2, ValidationFraction = 0.1 };
        using var folder = new TempFolder();

        var straight = Interpreted("lenet5.cnn", "LeNet5", 3);
        var whole = TrainingSession.Run(straight, train, options, "lenet5.cnn");

        var interrupted = Interpreted("lenet5.cnn", "LeNet5", 3);
        TrainingSession.Run(interrupted, train, options with { Epochs = 1 }, "lenet5.cnn", lastPath: folder.File("e1.ckpt"));
        var resumed = Interpreted("lenet5.cnn", "LeNet5", 99);   // other initial weights: the checkpoint replaces them
        var rest = TrainingSession.Run(resumed, train, options, "lenet5.cnn", resume: Checkpoint.Load(folder.File("e1.ckpt")));

        Assert.Equal(2, rest.FirstEpoch);
        Assert.Equal(whole.History, rest.History);
        Tensors.AssertIdentical(Tensors.Snapshot(straight.Module), Tensors.Snapshot(resumed.Module));
    }

    [Fact]
    public void The_best_and_the_last_epoch_are_kept()
    {
        var (train, _) = Slice();
        using var folder = new TempFolder();
        var model = Interpreted("lenet5.cnn", "LeNet5", 2);

        var result = TrainingSession.Run(model, train, OneEpoch with { Epochs = 3, ValidationFraction = 0.2 }, "lenet5.cnn", folder.File("best.ckpt"), folder.File("best.last.ckpt"));

        var best = Checkpoint.Load(folder.File("best.ckpt"));
        var last = Checkpoint.Load(folder.File("best.last.ckpt"));
        Assert.Equal(3, last.Info.Epoch);
        Assert.Equal(result.BestEpoch, best.Info.Epoch);
        Assert.Equal(result.History.Max(h => h.ValidationAccuracy), best.Info.Best!.ValidationAccuracy);
        Assert.Equal(3, last.Info.History.Count);
        Assert.Equal((400, 100), (last.Info.TrainCount, last.Info.ValidationCount));
        Assert.Equal(new[] { "best.ckpt", "best.last.ckpt" }, folder.Names());
    }

    public static TheoryData<string, string> GeneratedModels() => new()
    {
        { "lenet5.cnn", "LeNet5" },
        { "lenet5.cnn", "LeNet5_1998" },
        { "vgg_mnist.cnn", "VggMnistB" },   // with dropout: both draw the same random numbers
    };

    [Theory]
    [MemberData(nameof(GeneratedModels))]
    public void The_generated_class_trains_exactly_like_the_interpreter(string file, string name)
    {
        var (train, held) = Slice();
        var info = Analysed(file, name);
        Determinism.Configure(21, 1);
        torch.nn.Module<torch.Tensor, torch.Tensor> generated = name switch
        {
            "LeNet5" => new LeNet5(),
            "LeNet5_1998" => new LeNet5_1998(),
            _ => new VggMnistB(),
        };
        var interpreted = new InterpretedModel(info);
        // The same starting point: the interpreter's module takes the generated class's weights.
        Checkpoint.Capture(generated, new CheckpointInfo { Model = name }).LoadInto(interpreted);
        Tensors.AssertIdentical(Tensors.Snapshot(generated), Tensors.Snapshot(interpreted));

        var options = OneEpoch with { Seed = 21 };
        var a = TrainingSession.Run(Classifier.For(generated, info), train.Take(256), options, file);
        var b = TrainingSession.Run(Classifier.For(interpreted), train.Take(256), options, file);

        Assert.Equal(a.History, b.History);
        Tensors.AssertIdentical(Tensors.Snapshot(generated), Tensors.Snapshot(interpreted));
        Assert.True(a.History[0].TrainLoss > 0);
        Assert.Equal(Classifier.KindOf(info), name == "LeNet5_1998" ? OutputKind.Distances : OutputKind.Logits);
        _ = held;
    }

    [Fact]
    public void Digits_are_padded_to_the_declared_input_centred()
    {
        var pixels = new byte[2 * 28 * 28];
        pixels[0] = 255;                 // image 0, top-left corner
        pixels[784 + 27 * 28 + 27] = 255; // image 1, bottom-right corner
        var set = new LabeledImages("two", 28, 28, pixels, new byte[] { 1, 2 });

        using var scope = torch.NewDisposeScope();
        var (images, labels) = DigitTensors.Create(set, new long[] { 1, 32, 32 });

        Assert.Equal(new long[] { 2, 1, 32, 32 }, images.shape);
        Assert.Equal(new long[] { 1, 2 }, labels.data<long>().ToArray());
        var background = (float)(-DigitTensors.Mean / DigitTensors.StandardDeviation);
        var ink = (float)((1 - DigitTensors.Mean) / DigitTensors.StandardDeviation);
        Assert.Equal(ink, images[0, 0, 2, 2].item<float>(), 5);
        Assert.Equal(ink, images[1, 0, 29, 29].item<float>(), 5);
        Assert.Equal(background, images[0, 0, 0, 0].item<float>(), 5);
        Assert.Equal(2, images.gt(0).sum().item<long>());
        Assert.Equal("28x28 padded by 2 on each side to 1x32x32", DigitTensors.DescribeFit(28, 28, new long[] { 1, 32, 32 }));
    }

    [Fact]
    public void Digits_are_resized_for_a_smaller_input_and_repeated_over_channels()
    {
        var set = new LabeledImages("one", 28, 28, Enumerable.Repeat((byte)255, 784).ToArray(), new byte[] { 4 });
        using var scope = torch.NewDisposeScope();
        var (images, _) = DigitTensors.Create(set, new long[] { 3, 14, 14 });
        Assert.Equal(new long[] { 1, 3, 14, 14 }, images.shape);
        var ink = (float)((1 - DigitTensors.Mean) / DigitTensors.StandardDeviation);
        Assert.Equal(ink, images.min().item<float>(), 4);
        Assert.Equal(ink, images.max().item<float>(), 4);
        Assert.Equal("28x28 resized (bilinear) to 3x14x14, grey repeated over 3 channels", DigitTensors.DescribeFit(28, 28, new long[] { 3, 14, 14 }));
    }

    [Fact]
    public void Shifting_moves_each_image_by_its_own_offset_and_fills_with_background()
    {
        using var scope = torch.NewDisposeScope();
        var batch = torch.arange(2 * 5 * 5, dtype: torch.ScalarType.Float32).reshape(2, 1, 5, 5);
        using var generator = new torch.Generator(42);
        var shifted = Trainer.Shift(batch, 1, generator);
        using var same = new torch.Generator(42);
        var offsets = torch.randint(0, 3, new long[] { 2, 2 }, generator: same).data<long>().ToArray();

        Assert.Equal(batch.shape, shifted.shape);
        var background = (float)(-DigitTensors.Mean / DigitTensors.StandardDeviation);
        for (var n = 0; n < 2; n++)
        {
            long dy = offsets[n] - 1, dx = offsets[2 + n] - 1;   // output (r, c) shows input (r + dy, c + dx)
            for (var r = 0; r < 5; r++)
            {
                for (var c = 0; c < 5; c++)
                {
                    var (sr, sc) = (r + dy, c + dx);
                    var expected = sr is >= 0 and < 5 && sc is >= 0 and < 5 ? batch[n, 0, sr, sc].item<float>() : background;
                    Assert.Equal(expected, shifted[n, 0, r, c].item<float>());
                }
            }
        }
    }

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.Sgd)]
    public void The_cosine_schedule_starts_at_the_rate_and_decays_towards_zero(OptimizerKind optimizer)
    {
        var options = new TrainingOptions { Epochs = 4, LearningRate = 0.01, Schedule = LearningRateSchedule.Cosine, Optimizer = optimizer, BatchSize = 50 };
        Assert.Equal(0.01, options.LearningRateAt(1), 12);
        Assert.Equal(0.005, options.LearningRateAt(3), 12);
        Assert.True(options.LearningRateAt(4) < 0.0015);
        Assert.Equal(0.01, (options with { Schedule = LearningRateSchedule.Constant }).LearningRateAt(4));

        // The optimizer really runs each epoch at the scheduled rate.
        var model = Interpreted("lenet5.cnn", "LeNet5", 1);
        using var scope = torch.NewDisposeScope();
        var (x, y) = DigitTensors.Create(TestData.Train.Take(100), model.Input);
        using var trainer = new Trainer(model, options);
        Assert.Equal(0.01, trainer.LearningRate, 12);
        trainer.RunEpoch(3, x, y);
        Assert.Equal(0.005, trainer.LearningRate, 12);
    }

    [Fact]
    public void The_validation_split_is_stratified_and_fixed_by_the_seed()
    {
        var data = TestData.Train;
        var (train, validation) = TrainingSession.Split(data, new TrainingOptions { ValidationFraction = 0.1, Seed = 1 });
        var (_, again) = TrainingSession.Split(data, new TrainingOptions { ValidationFraction = 0.1, Seed = 1 });
        var (_, other) = TrainingSession.Split(data, new TrainingOptions { ValidationFraction = 0.1, Seed = 2 });

        Assert.Equal((7_200, 800), (train.Count, validation!.Count));
        Assert.Equal(validation.Pixels, again!.Pixels);
        Assert.NotEqual(validation.Pixels, other!.Pixels);
        var shares = validation.ClassCounts().Zip(data.ClassCounts(), (v, all) => v - 0.1 * all);
        Assert.All(shares, d => Assert.InRange(d, -1, 1));
    }
}
