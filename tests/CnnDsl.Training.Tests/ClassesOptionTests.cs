using System.IO;
using Xunit;
using static CnnDsl.Training.Tests.TestData;

namespace CnnDsl.Training.Tests;

/// <summary><c>--classes</c>: a network declared for 1,000 classes trained on the ten digits, and
/// its checkpoint tested without saying the class count again.</summary>
public sealed class ClassesOptionTests : IClassFixture<TorchFixture>, System.IDisposable
{
    private const string Tiny = "network tiny(classes = 1000) input 1x28x28 = conv(4, 5, stride: 2) -> relu -> flatten -> linear(classes)\nmodel Tiny = tiny()\n";

    private readonly TempFolder work = new();
    private readonly TempFolder data = TestData.Slice(200, 100);

    public void Dispose()
    {
        work.Dispose();
        data.Dispose();
    }

    [Fact]
    public void A_model_for_1000_classes_trains_on_ten_with_classes_10_and_its_checkpoint_remembers()
    {
        var file = work.File("tiny.cnn");
        File.WriteAllText(file, Tiny);
        var checkpoint = work.File("tiny.ckpt");

        var plain = Run("train", file, "--data", data.Path, "--epochs", "1", "--out", checkpoint, "--no-plots");
        Assert.Equal(0, plain.Exit);
        Assert.Contains("Tiny has 1,000 outputs for 10 classes: 990 outputs are never the right answer", plain.Error);
        Assert.Contains("--classes 10 builds it for them", plain.Error);

        var train = Run("train", file, "--data", data.Path, "--epochs", "1", "--classes", "10", "--out", checkpoint, "--no-plots");
        Assert.True(train.Exit == 0, train.Error);
        Assert.DoesNotContain("outputs for 10 classes", train.Error);
        // 4 x 1 x 5 x 5 + 4 = 104 for the conv; 4 x 12 x 12 = 576 features, so 576 x 10 + 10 = 5,770 for the linear layer.
        Assert.Contains("Training Tiny", train.Out);
        Assert.Contains("5,874 parameters", train.Out);

        var test = Run("test", file, "--checkpoint", checkpoint, "--data", data.Path, "--no-plots");
        Assert.True(test.Exit == 0, test.Error);
        Assert.Contains("top-5", test.Out);
        Assert.Contains("│    9 │", test.Out);         // the confusion matrix has the ten digits' rows
        Assert.DoesNotContain("│   10 │", test.Out);  // and no row for an eleventh output

        var resumed = Run("train", file, "--data", data.Path, "--epochs", "2", "--resume", checkpoint, "--out", work.File("more.ckpt"), "--no-plots");
        Assert.True(resumed.Exit == 0, resumed.Error);
    }

    [Fact]
    public void PyTorch_weights_are_tested_and_fine_tuned_with_a_new_classifier_where_the_class_count_differs()
    {
        var file = work.File("tiny.cnn");
        File.WriteAllText(file, Tiny);
        var checkpoint = work.File("tiny.ckpt");
        var train = Run("train", file, "--data", data.Path, "--epochs", "1", "--classes", "10", "--out", checkpoint, "--no-plots");
        Assert.True(train.Exit == 0, train.Error);

        // The checkpoint's weights as a .safetensors state_dict, as PyTorch would save them.
        var (compiled, problem) = CnnDsl.Dsl.CnnCompiler.Compile(new CnnDsl.Dsl.Text.SourceFile(file, Tiny), null, null, "Tiny", 10);
        Assert.Null(problem);
        var weights = work.File("tiny10.safetensors");
        using (var model = new CnnDsl.Runtime.Interpreter.InterpretedModel(System.Linq.Enumerable.Single(compiled!.Models)))
        {
            CnnDsl.Runtime.Training.Checkpoint.Load(checkpoint).LoadInto(model);
            CnnDsl.Runtime.Weights.InterpretedModelWeights.SaveWeights(model, weights);
        }

        // The same weights give the same figures from either file.
        var fromCheckpoint = Run("test", file, "--checkpoint", checkpoint, "--data", data.Path, "--no-plots");
        var fromWeights = Run("test", file, "--weights", weights, "--classes", "10", "--data", data.Path, "--no-plots");
        Assert.True(fromWeights.Exit == 0, fromWeights.Error);
        Assert.Equal(AccuracyLine(fromCheckpoint.Out), AccuracyLine(fromWeights.Out));

        // Without --classes the model has 1,000 outputs: the file's 10-class classifier does not fit
        // and starts new, everything else loads.
        var wider = Run("train", file, "--data", data.Path, "--epochs", "1", "--weights", weights, "--out", work.File("wide.ckpt"), "--no-plots");
        Assert.True(wider.Exit == 0, wider.Error);
        Assert.Contains($"Starting from {weights}: 2 tensors; new classifier (3.weight, 3.bias: another number of classes)", wider.Out);

        var same = Run("train", file, "--data", data.Path, "--epochs", "1", "--weights", weights, "--classes", "10", "--out", work.File("same.ckpt"), "--no-plots");
        Assert.True(same.Exit == 0, same.Error);
        Assert.Contains($"Starting from {weights}: 4 tensors", same.Out);
        Assert.DoesNotContain("new classifier", same.Out);
    }

    private static string AccuracyLine(string output) =>
        System.Linq.Enumerable.Single(output.Split('\n'), line => line.StartsWith("Accuracy ", System.StringComparison.Ordinal));

    [Fact]
    public void A_model_whose_classes_are_written_in_its_layers_is_refused_with_the_reason()
    {
        var run = Run("train", TestData.Architecture("lenet5.cnn"), "--model", "LeNet5", "--data", data.Path, "--classes", "5");

        Assert.Equal(CnnDsl.Cli.ExitCodes.Usage, run.Exit);
        Assert.Contains("--classes 5: LeNet5 is not a call of a network, so its number of classes is written in its layers; end the model with linear(5)", run.Error);
    }
}
