using System.IO;
using System.Linq;
using CnnDsl.Architectures;
using CnnDsl.Runtime.Interpreter;
using CnnDsl.Runtime.Training;
using TorchSharp;
using Xunit;

namespace CnnDsl.Training.Tests;

/// <summary>VGG's trick: a deeper model starts from a trained shallower one. Tensors whose names
/// and shapes agree are copied; the rest keep a fresh initialisation; the report says which and why.</summary>
public sealed class TransferTests : IClassFixture<TorchFixture>
{
    [Fact]
    public void VggMnistB_takes_every_tensor_of_VggMnistA_and_keeps_its_two_new_convolutions()
    {
        torch.manual_seed(1);
        using var a = new VggMnistA();
        var source = Checkpoint.Capture(a, new CheckpointInfo { Model = "VggMnistA", Epoch = 5 });
        torch.manual_seed(2);
        using var b = new VggMnistB();
        var fresh = Tensors.Snapshot(b);

        var report = WeightTransfer.Apply(source, b);

        var copied = new[]
        {
            "stage1.0.weight", "stage1.0.bias", "stage2.0.weight", "stage2.0.bias",
            "stage3.0.weight", "stage3.0.bias", "stage3.2.weight", "stage3.2.bias",
            "classifier.0.weight", "classifier.0.bias", "classifier.3.weight", "classifier.3.bias",
        };
        Assert.Equal(copied, report.Copied.Select(e => e.Name));
        Assert.Equal(new[] { "stage1.2.weight", "stage1.2.bias", "stage2.2.weight", "stage2.2.bias" },
            report.Entries.Where(e => e.Outcome == TransferOutcome.NotInSource).Select(e => e.Name));
        Assert.Empty(report.UnusedSource);
        Assert.Equal(325_194, report.CopiedElements);       // all of VggMnistA's parameters
        Assert.Equal(336_762, report.TargetElements);       // VggMnistB's
        Assert.Equal("not in VggMnistA: freshly initialised", report.Entries.First(e => e.Name == "stage1.2.weight").Reason("VggMnistA"));

        var after = Tensors.Snapshot(b);
        var fromA = Tensors.Snapshot(a);
        foreach (var name in copied) Assert.Equal(fromA[name], after[name]);
        foreach (var name in new[] { "stage1.2.weight", "stage2.2.bias" }) Assert.Equal(fresh[name], after[name]);
    }

    [Fact]
    public void A_tensor_of_another_shape_is_reported_with_both_shapes_and_not_copied()
    {
        const string text = """
            model Small input 1x8x8 = stem: conv(4, 3) -> relu -> body: conv(8, 3) -> flatten -> fc: linear(10)
            model Wider input 1x8x8 = stem: conv(4, 3) -> relu -> body: conv(12, 3) -> relu -> extra: conv(12, 1) -> flatten -> fc: linear(10)
            """;
        using var small = CnnInterpreter.Build("t.cnn", text, "Small");
        var source = Checkpoint.Capture(small, new CheckpointInfo { Model = "Small" });
        using var wider = CnnInterpreter.Build("t.cnn", text, "Wider");
        var before = Tensors.Snapshot(wider);

        var report = WeightTransfer.Apply(source, wider);

        Assert.Equal(
            new[]
            {
                ("stem.weight", TransferOutcome.Copied), ("stem.bias", TransferOutcome.Copied),
                ("body.weight", TransferOutcome.ShapeDiffers), ("body.bias", TransferOutcome.ShapeDiffers),
                ("extra.weight", TransferOutcome.NotInSource), ("extra.bias", TransferOutcome.NotInSource),
                ("fc.weight", TransferOutcome.ShapeDiffers), ("fc.bias", TransferOutcome.Copied),
            },
            report.Entries.Select(e => (e.Name, e.Outcome)));
        Assert.Equal("shape differs ([8, 4, 3, 3] in Small): freshly initialised", report.Entries[2].Reason("Small"));
        Assert.Equal(new[] { "body.weight", "body.bias", "fc.weight" }, report.UnusedSource.Select(t => t.Name));
        var after = Tensors.Snapshot(wider);
        Assert.Equal(before["body.weight"], after["body.weight"]);
        Assert.Equal(Tensors.Snapshot(small)["stem.weight"], after["stem.weight"]);
    }
}
